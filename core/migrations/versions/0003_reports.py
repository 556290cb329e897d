"""reports tables: agencies, agency_aliases, agency_unmatched, ledger_entries, followups

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28 00:50:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = ("reports",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("parent", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=True),
        sa.Column("ours", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "agency_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alias", "agency_id", name="uq_agency_aliases_alias_agency"),
    )
    op.create_index("ix_agency_aliases_agency_id", "agency_aliases", ["agency_id"])
    op.create_index("ix_agency_aliases_alias", "agency_aliases", ["alias"])
    op.create_table(
        "agency_unmatched",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["agencies.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_agency_unmatched_status", "agency_unmatched", ["status"])
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=120), nullable=False),
        sa.Column("case_no_norm", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("received_date", sa.Date(), nullable=True),
        sa.Column("concluded_date", sa.Date(), nullable=True),
        sa.Column("outcome_text", sa.String(length=100), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("judgment_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("extra", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["judgment_id"], ["judgments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_no_norm", "agency_name", name="uq_ledger_case_agency"),
    )
    op.create_index("ix_ledger_entries_case_no_norm", "ledger_entries", ["case_no_norm"])
    op.create_index("ix_ledger_entries_agency_id", "ledger_entries", ["agency_id"])
    op.create_index("ix_ledger_entries_judgment_id", "ledger_entries", ["judgment_id"])
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=120), nullable=False),
        sa.Column("case_no_norm", sa.String(length=120), nullable=False),
        sa.Column("judgment_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("papers_received", sa.Date(), nullable=True),
        sa.Column("papers_reported", sa.Date(), nullable=True),
        sa.Column("judgment_received", sa.Date(), nullable=True),
        sa.Column("judgment_reported", sa.Date(), nullable=True),
        sa.Column("analysis", sa.Text(), nullable=True),
        sa.Column("rectification", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["judgment_id"], ["judgments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_no_norm", "agency_id", name="uq_followups_case_agency"),
    )
    op.create_index("ix_followups_case_no_norm", "followups", ["case_no_norm"])
    op.create_index("ix_followups_judgment_id", "followups", ["judgment_id"])
    op.create_index("ix_followups_agency_id", "followups", ["agency_id"])
    op.create_index("ix_followups_status", "followups", ["status"])


def downgrade() -> None:
    op.drop_table("followups")
    op.drop_table("ledger_entries")
    op.drop_table("agency_unmatched")
    op.drop_table("agency_aliases")
    op.drop_table("agencies")
