"""judgments.doc_kind wide enough for every document kind ('reconsideration_decision' has 24 characters)

Revision ID: 0012_doc_kind_width
Revises: 0006_outbox
Create Date: 2026-12-04 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_doc_kind_width"
down_revision = "0006_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("judgments") as batch:
        batch.alter_column("doc_kind", type_=sa.String(length=40), existing_type=sa.String(length=20))


def downgrade() -> None:
    with op.batch_alter_table("judgments") as batch:
        batch.alter_column("doc_kind", type_=sa.String(length=20), existing_type=sa.String(length=40))
