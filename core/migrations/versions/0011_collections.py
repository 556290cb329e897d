"""collections: collection drafts and their cases (issue 17's editor's pass), 以案促改 meetings, the
fault-accountability register, and the re-check (回头看) of each rectification measure.

Revision ID: 0011_collections
Revises: 0008_suits (agencies, suits)
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011_collections"
down_revision = "0008_suits"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "collection_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("subtitle", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "collection_draft_cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "draft_id",
            sa.Integer(),
            sa.ForeignKey("collection_drafts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("judgment_ids", JSON, nullable=False),
        sa.Column("built", JSON, nullable=False),
        sa.Column("edits", JSON, nullable=False),
        sa.Column("resolved", JSON, nullable=False),
    )
    op.create_index("ix_collection_draft_cases_draft_id", "collection_draft_cases", ["draft_id"])
    op.create_table(
        "lesson_meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "agency_id", sa.Integer(), sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("judge_invited", sa.String(200), nullable=True),
        sa.Column("cases_used", JSON, nullable=False),
        sa.Column(
            "draft_id",
            sa.Integer(),
            sa.ForeignKey("collection_drafts.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=True),
        _created(),
    )
    op.create_index("ix_lesson_meetings_agency_id", "lesson_meetings", ["agency_id"])
    op.create_index("ix_lesson_meetings_year", "lesson_meetings", ["year"])
    op.create_table(
        "accountability_cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "agency_id", sa.Integer(), sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("suit_id", sa.Integer(), sa.ForeignKey("suits.id", ondelete="SET NULL"), nullable=True),
        sa.Column("case_ref", sa.String(300), nullable=False),
        sa.Column("fault", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=True),
        _created(),
    )
    op.create_index("ix_accountability_cases_agency_id", "accountability_cases", ["agency_id"])
    op.create_index("ix_accountability_cases_decided_on", "accountability_cases", ["decided_on"])
    op.add_column("suit_measures", sa.Column("recheck_on", sa.Date(), nullable=True))
    op.add_column("suit_measures", sa.Column("recheck_result", sa.Text(), nullable=True))
    op.add_column("suit_measures", sa.Column("rechecked_by", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suit_measures") as batch:
        batch.drop_column("rechecked_by")
        batch.drop_column("recheck_result")
        batch.drop_column("recheck_on")
    op.drop_table("accountability_cases")
    op.drop_table("lesson_meetings")
    op.drop_table("collection_draft_cases")
    op.drop_table("collection_drafts")
