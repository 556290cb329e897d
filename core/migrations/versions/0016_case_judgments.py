"""reports: which suit each judgment belongs to (``report_case_judgments``), so statistics over a search result
find the suits of the judgments a query matched with one indexed join (issue 16). Derived data: the case table is
rebuilt when it is next read (CASEBOOK_VERSION 4), which fills it.

Revision ID: 0016_case_judgments
Revises: 0015_figures_suits
Create Date: 2026-12-07 23:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_case_judgments"
down_revision = "0015_figures_suits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_case_judgments",
        sa.Column("judgment_id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("report_cases.id", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_index("ix_report_case_judgments_case_id", "report_case_judgments", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_report_case_judgments_case_id", "report_case_judgments")
    op.drop_table("report_case_judgments")
