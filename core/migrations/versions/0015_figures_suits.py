"""reports: register rows merged into the suits the statistics count (issue 16) — ``stood_alone`` on the case
table (a suit of appeals / retrials only whose first-instance case number was not found, so every table can say
how many judgments stood as their own suit) with its index; and covering indexes for the two-way tables: the
date-range indexes of report_cases also cover field and action type, the agency figures index covers case_id
(the join key), the cause and norm rows get (case_id, value) indexes.

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
AGENCY_FIGURES = [
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
]


def _date_indexes(extra: list[str]) -> None:
    op.drop_index("ix_report_cases_stats", "report_cases")
    op.create_index("ix_report_cases_stats", "report_cases", [*FIGURES, *extra])
    op.drop_index("ix_report_cases_filed", "report_cases")
    op.create_index(
        "ix_report_cases_filed", "report_cases", ["filed", *(c for c in FIGURES if c != "filed"), *extra]
    )


def upgrade() -> None:
    with op.batch_alter_table("report_cases") as t:
        t.add_column(sa.Column("stood_alone", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_report_cases_alone", "report_cases", ["stood_alone", "filed", "filed_year"])
    _date_indexes(["field", "action_type"])
    op.drop_index("ix_report_case_agencies_figures", "report_case_agencies")
    op.create_index("ix_report_case_agencies_figures", "report_case_agencies", [*AGENCY_FIGURES, "case_id"])
    op.create_index("ix_report_case_causes_cover", "report_case_causes", ["case_id", "cause"])
    op.create_index("ix_report_case_norms_cover", "report_case_norms", ["case_id", "norm"])


def downgrade() -> None:
    op.drop_index("ix_report_case_norms_cover", "report_case_norms")
    op.drop_index("ix_report_case_causes_cover", "report_case_causes")
    op.drop_index("ix_report_case_agencies_figures", "report_case_agencies")
    op.create_index("ix_report_case_agencies_figures", "report_case_agencies", AGENCY_FIGURES)
    _date_indexes([])
    op.drop_index("ix_report_cases_alone", "report_cases")
    with op.batch_alter_table("report_cases") as t:
        t.drop_column("stood_alone")
