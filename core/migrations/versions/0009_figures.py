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

FIGURES = (
    "date",
    "outcome",
    "withdrawn_after_correction",
    "agency_head_appeared",
    "filed",
    "filed_year",
    "decided_year",
    "filed_ym",
    "decided_ym",
)
PROFILE = ("outcome", "withdrawn_after_correction", "agency_head_appeared")


def upgrade() -> None:
    with op.batch_alter_table("report_cases") as t:
        t.add_column(sa.Column("filed", sa.Date(), nullable=True))
        t.add_column(sa.Column("filed_year", sa.Integer(), nullable=True))
        t.add_column(sa.Column("filed_source", sa.String(length=30), nullable=True))
        t.add_column(sa.Column("decided_year", sa.Integer(), nullable=True))
        t.add_column(sa.Column("date_source", sa.String(length=30), nullable=True))
        t.add_column(sa.Column("filed_ym", sa.Integer(), nullable=True))
        t.add_column(sa.Column("decided_ym", sa.Integer(), nullable=True))
    # covering indexes of the figures replace the date indexes of 0003b
    op.drop_index("ix_report_cases_stats", "report_cases")
    op.drop_index("ix_report_cases_date", "report_cases")
    op.create_index("ix_report_cases_stats", "report_cases", list(FIGURES))
    for name, first in (
        ("ix_report_cases_figures", "filed_year"),
        ("ix_report_cases_decided", "decided_year"),
        ("ix_report_cases_filed", "filed"),
    ):
        op.create_index(name, "report_cases", [first, *(c for c in FIGURES if c != first)])
    op.create_index("ix_report_cases_groups", "report_cases", ["field", "action_type", "court", *FIGURES])
    op.create_index(
        "ix_report_cases_profile", "report_cases", [*PROFILE, *(c for c in FIGURES if c not in PROFILE)]
    )
    # the freshness check of the case table reads max(updated_at) of the judgments
    op.create_index("ix_judgments_updated_at", "judgments", ["updated_at"])
    with op.batch_alter_table("report_case_agencies") as t:
        t.add_column(sa.Column("role", sa.String(length=30), nullable=True))
        # copies of the case's figure columns: agency groupings read one table
        t.add_column(sa.Column("filed", sa.Date(), nullable=True))
        t.add_column(sa.Column("filed_year", sa.Integer(), nullable=True))
        t.add_column(sa.Column("date", sa.Date(), nullable=True))
        t.add_column(sa.Column("decided_year", sa.Integer(), nullable=True))
        t.add_column(sa.Column("outcome", sa.String(length=30), nullable=True))
        t.add_column(sa.Column("withdrawn_after_correction", sa.Boolean(), nullable=True))
        t.add_column(sa.Column("agency_head_appeared", sa.Boolean(), nullable=True))
        t.add_column(sa.Column("filed_ym", sa.Integer(), nullable=True))
        t.add_column(sa.Column("decided_ym", sa.Integer(), nullable=True))
        t.add_column(sa.Column("field", sa.String(length=40), nullable=True))
        t.add_column(sa.Column("action_type", sa.String(length=40), nullable=True))
        t.add_column(sa.Column("court", sa.String(length=200), nullable=True))
    op.create_index(
        "ix_report_case_agencies_figures",
        "report_case_agencies",
        [
            "key",
            "name",
            "kind",
            "level",
            "role",
            *PROFILE,
            "agency_id",
            "ours",
            *(c for c in FIGURES if c not in PROFILE),
            "field",
            "action_type",
        ],
    )
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
    op.drop_index("ix_report_case_agencies_figures", "report_case_agencies")
    with op.batch_alter_table("report_case_agencies") as t:
        for c in (
            "court",
            "action_type",
            "field",
            "decided_ym",
            "filed_ym",
            "agency_head_appeared",
            "withdrawn_after_correction",
            "outcome",
            "decided_year",
            "date",
            "filed_year",
            "filed",
            "role",
        ):
            t.drop_column(c)
    op.drop_index("ix_judgments_updated_at", "judgments")
    op.drop_index("ix_report_cases_profile", "report_cases")
    op.drop_index("ix_report_cases_groups", "report_cases")
    for name in ("ix_report_cases_filed", "ix_report_cases_decided", "ix_report_cases_figures"):
        op.drop_index(name, "report_cases")
    op.drop_index("ix_report_cases_stats", "report_cases")
    op.create_index("ix_report_cases_date", "report_cases", ["date"])
    op.create_index(
        "ix_report_cases_stats",
        "report_cases",
        ["date", "outcome", "withdrawn_after_correction", "agency_head_appeared"],
    )
    with op.batch_alter_table("report_cases") as t:
        for c in (
            "decided_ym",
            "filed_ym",
            "date_source",
            "decided_year",
            "filed_source",
            "filed_year",
            "filed",
        ):
            t.drop_column(c)
