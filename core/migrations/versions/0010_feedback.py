"""similar_feedback: "not similar" marks on 类案 (a pair is not offered again)

Revision ID: 0010_feedback
Revises: 0001
Create Date: 2026-12-03 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_feedback"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "similar_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("judgment_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["judgment_id"], ["judgments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_id"], ["judgments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("judgment_id", "other_id", "username", name="uq_similar_feedback"),
    )
    op.create_index("ix_similar_feedback_judgment_id", "similar_feedback", ["judgment_id"])
    op.create_index("ix_similar_feedback_other_id", "similar_feedback", ["other_id"])


def downgrade() -> None:
    op.drop_index("ix_similar_feedback_other_id", table_name="similar_feedback")
    op.drop_index("ix_similar_feedback_judgment_id", table_name="similar_feedback")
    op.drop_table("similar_feedback")
