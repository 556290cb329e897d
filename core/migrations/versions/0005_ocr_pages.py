"""ocr_pages: recognised pages of stored scans, so page ranges can be OCR'd by several workers

Revision ID: 0005_ocr_pages
Revises: 0002_jobs
Create Date: 2026-11-28 02:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_ocr_pages"
down_revision = "0002_jobs"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "ocr_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("result", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "page", "fingerprint", name="uq_ocr_pages_key"),
    )
    op.create_index("ix_ocr_pages_sha256", "ocr_pages", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_ocr_pages_sha256", table_name="ocr_pages")
    op.drop_table("ocr_pages")
