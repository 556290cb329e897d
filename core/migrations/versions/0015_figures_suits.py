"""reports: register rows merged into the suits the statistics count (issue 16) — ``stood_alone`` on the case
table: a suit of appeals / retrials only whose first-instance case number was not found, so every table can
say how many judgments stood as their own suit.

Revision ID: 0015_figures_suits
Revises: 0012_doc_kind_width
Create Date: 2026-12-07 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_figures_suits"
down_revision = "0012_doc_kind_width"
branch_labels = None
# report_cases is the reports branch's table (0003b, widened by 0009_figures)
depends_on = "0009_figures"


def upgrade() -> None:
    with op.batch_alter_table("report_cases") as t:
        t.add_column(sa.Column("stood_alone", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("report_cases") as t:
        t.drop_column("stood_alone")
