"""reports: derived case table for fast statistics (report_cases, report_case_agencies, report_case_causes,
report_state)

Revision ID: 0003b
Revises: 0003
Create Date: 2026-11-28 01:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003b"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "report_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("effective_judgment_id", sa.Integer(), nullable=True),
        sa.Column("judgment_ids", JSON, nullable=False),
        sa.Column("case_nos", JSON, nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("court", sa.String(length=200), nullable=True),
        sa.Column("action_type", sa.String(length=40), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=True),
        sa.Column("withdrawn_after_correction", sa.Boolean(), nullable=False),
        sa.Column("agency_head_appeared", sa.Boolean(), nullable=True),
        sa.Column("loss_causes", JSON, nullable=False),
        sa.Column("defendants", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_cases_date", "report_cases", ["date"])
    op.create_index(
        "ix_report_cases_stats",
        "report_cases",
        ["date", "outcome", "withdrawn_after_correction", "agency_head_appeared"],
    )
    op.create_table(
        "report_case_agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=220), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("ours", sa.Boolean(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["report_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_case_agencies_case_id", "report_case_agencies", ["case_id"])
    op.create_index("ix_report_case_agencies_key", "report_case_agencies", ["key"])
    op.create_index("ix_report_case_agencies_agency_id", "report_case_agencies", ["agency_id"])
    op.create_table(
        "report_case_causes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["report_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_case_causes_case_id", "report_case_causes", ["case_id"])
    op.create_index("ix_report_case_causes_cause", "report_case_causes", ["cause"])
    op.create_table(
        "report_state",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("report_state")
    op.drop_table("report_case_causes")
    op.drop_table("report_case_agencies")
    op.drop_table("report_cases")
