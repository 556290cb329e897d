"""reports: figures by rule — filing and decision dates with their sources on the case table, the role of a
case's agency (reconsideration body), the norms found breached (report_case_norms), reconsideration decisions per agency (复议纠错), and 对标数据
(report_benchmarks).

Revision ID: 0009_figures
Revises: 0003b
Create Date: 2026-12-04 18:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_figures"
down_revision = "0003b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_cases") as t:
        t.add_column(sa.Column("filed", sa.Date(), nullable=True))
        t.add_column(sa.Column("filed_year", sa.Integer(), nullable=True))
        t.add_column(sa.Column("filed_source", sa.String(length=30), nullable=True))
        t.add_column(sa.Column("decided_year", sa.Integer(), nullable=True))
        t.add_column(sa.Column("date_source", sa.String(length=30), nullable=True))
    op.create_index("ix_report_cases_filed", "report_cases", ["filed"])
    op.create_index("ix_report_cases_filed_year", "report_cases", ["filed_year"])
    op.create_index("ix_report_cases_decided_year", "report_cases", ["decided_year"])
    with op.batch_alter_table("report_case_agencies") as t:
        t.add_column(sa.Column("role", sa.String(length=30), nullable=True))
    op.create_table(
        "report_reconsiderations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("judgment_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("corrected", sa.Boolean(), nullable=False),
        sa.Column("key", sa.String(length=220), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("ours", sa.Boolean(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_reconsiderations_key", "report_reconsiderations", ["key"])
    op.create_table(
        "report_case_norms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("norm", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["report_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_case_norms_case_id", "report_case_norms", ["case_id"])
    op.create_index("ix_report_case_norms_norm", "report_case_norms", ["norm"])
    op.create_table(
        "report_benchmarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=True),
        sa.Column("losses", sa.Integer(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("level", "region", "year", name="uq_report_benchmarks_level_region_year"),
    )


def downgrade() -> None:
    op.drop_table("report_benchmarks")
    op.drop_table("report_case_norms")
    op.drop_table("report_reconsiderations")
    with op.batch_alter_table("report_case_agencies") as t:
        t.drop_column("role")
    op.drop_index("ix_report_cases_decided_year", "report_cases")
    op.drop_index("ix_report_cases_filed_year", "report_cases")
    op.drop_index("ix_report_cases_filed", "report_cases")
    with op.batch_alter_table("report_cases") as t:
        for c in ("date_source", "decided_year", "filed_source", "filed_year", "filed"):
            t.drop_column(c)
