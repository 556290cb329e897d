"""key_targets: 重点监督对象 confirmed by bureau staff, one township and one department per period

Revision ID: 0013_key_targets
Revises: 0012_doc_kind_width
Create Date: 2026-12-07 14:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013_key_targets"
down_revision = "0012_doc_kind_width"
branch_labels = None
depends_on = "0003"  # the agencies table (another branch)

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "key_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("proposed", JSON, nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("confirmed_by", sa.String(length=100), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "kind", name="uq_key_targets_period_kind"),
    )


def downgrade() -> None:
    op.drop_table("key_targets")
