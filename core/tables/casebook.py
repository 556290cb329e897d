"""Tables the statistics keep: cases as counted (first instance and appeal linked), their agencies and causes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.tables.judgments import Base, JsonType

_FIGURE_COLUMNS = (
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


_PROFILE = ("outcome", "withdrawn_after_correction", "agency_head_appeared")


def _without(name: str) -> tuple[str, ...]:
    return tuple(c for c in _FIGURE_COLUMNS if c != name)


class CaseUnit(Base):
    """A case as the statistics count it (first instance + appeal/retrial linked, outcome in effect).

    Derived data, rebuilt by reports.caseindex when judgments, the registry or the ledger change, so that
    the statistics are SQL aggregates over one narrow table.
    """

    __tablename__ = "report_cases"
    __table_args__ = (
        # Covering indexes of the figures (0009_figures): whichever one a query's conditions start with, the
        # scan reads narrow index entries instead of the wide rows.
        # the two date-range indexes also cover field and action type (0015), so a date grouping under them
        # reads no wide row
        Index("ix_report_cases_stats", *_FIGURE_COLUMNS, "field", "action_type"),
        Index("ix_report_cases_figures", "filed_year", *_without("filed_year")),
        Index("ix_report_cases_decided", "decided_year", *_without("decided_year")),
        Index("ix_report_cases_filed", "filed", *_without("filed"), "field", "action_type"),
        # the few suits that stood alone, counted under every table (0015)
        Index("ix_report_cases_alone", "stood_alone", "filed", "filed_year"),
        Index("ix_report_cases_groups", "field", "action_type", "court", *_FIGURE_COLUMNS),
        # GROUP BY the case profile streams in this order
        Index("ix_report_cases_profile", *_PROFILE, *(c for c in _FIGURE_COLUMNS if c not in _PROFILE)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    effective_judgment_id: Mapped[int | None] = mapped_column(Integer)
    judgment_ids: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    case_nos: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    date: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))
    court: Mapped[str | None] = mapped_column(String(200))
    action_type: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(40))
    withdrawn_after_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_head_appeared: Mapped[bool | None] = mapped_column(Boolean)
    loss_causes: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    defendants: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    # 发案 by rule (0009_figures): the filing date (ledger 收案日期, else the judgment's filing_date) and its
    # source; filed_year is that date's year, else the first-instance case number's year (推定).
    filed: Mapped[dt.date | None] = mapped_column(Date)
    filed_year: Mapped[int | None] = mapped_column(Integer)
    filed_source: Mapped[str | None] = mapped_column(String(30))
    # 审结/败诉: ``date`` is the decision in effect; decided_year its year, else the case number's (推定).
    decided_year: Mapped[int | None] = mapped_column(Integer)
    date_source: Mapped[str | None] = mapped_column(String(30))
    # the months of both dates as year·12 + month − 1 (date groupings fold months, not days)
    filed_ym: Mapped[int | None] = mapped_column(Integer)
    decided_ym: Mapped[int | None] = mapped_column(Integer)
    # only appeals / retrials and no first-instance case number found: stands as its own suit (0015)
    stood_alone: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseUnitJudgment(Base):
    """Which suit each judgment of the store belongs to (0016): statistics over a search result pick their suits
    by the judgments the query matched with one indexed join, instead of reading every suit's id list."""

    __tablename__ = "report_case_judgments"

    judgment_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id", ondelete="CASCADE"), index=True)


class CaseUnitAgency(Base):
    __tablename__ = "report_case_agencies"
    # covering index of the agency groupings (0009_figures): one narrow scan in key order, no join
    __table_args__ = (
        Index(
            "ix_report_case_agencies_figures",
            "key",
            "name",
            "kind",
            "level",
            "role",
            *_PROFILE,
            "agency_id",
            "ours",
            *(c for c in _FIGURE_COLUMNS if c not in _PROFILE),
            "field",
            "action_type",
            "case_id",  # 0015: covering for the joins of two-way tables (agency × cause …)
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(220), index=True)  # a:<id> / n:<name>
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    ours: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    role: Mapped[str | None] = mapped_column(String(30))  # "reconsideration_body" (复议机关共同被告)
    # Copies of the case's columns the figures read (0009_figures), so agency groupings need no join.
    filed: Mapped[dt.date | None] = mapped_column(Date)
    filed_year: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)
    decided_year: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(30))
    withdrawn_after_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_head_appeared: Mapped[bool | None] = mapped_column(Boolean)
    filed_ym: Mapped[int | None] = mapped_column(Integer)
    decided_ym: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(40))
    action_type: Mapped[str | None] = mapped_column(String(40))
    court: Mapped[str | None] = mapped_column(String(200))


class CaseUnitCause(Base):
    __tablename__ = "report_case_causes"
    __table_args__ = (Index("ix_report_case_causes_cover", "case_id", "cause"),)  # joins read no row (0015)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id", ondelete="CASCADE"), index=True)
    cause: Mapped[str] = mapped_column(String(40), index=True)


class CaseUnitNorm(Base):
    """A norm the court found breached in a lost case (《法律》第N条, from the citations of the judgment)."""

    __tablename__ = "report_case_norms"
    __table_args__ = (Index("ix_report_case_norms_cover", "case_id", "norm"),)  # joins read no row (0015)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id", ondelete="CASCADE"), index=True)
    norm: Mapped[str] = mapped_column(String(200), index=True)


class ReportState(Base):
    """Key/value bookkeeping of the reports area (the fingerprint the case table was built from)."""

    __tablename__ = "report_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CaseReconsideration(Base):
    """One 行政复议决定 against one agency (复议纠错 when ``corrected``): never a suit, counted apart."""

    __tablename__ = "report_reconsiderations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judgment_id: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(30))
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    key: Mapped[str] = mapped_column(String(220), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    ours: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_id: Mapped[int | None] = mapped_column(Integer)


class Benchmark(Base):
    """对标数据: an operator-supplied figure of a province, city or county for one year."""

    __tablename__ = "report_benchmarks"
    __table_args__ = (
        UniqueConstraint("level", "region", "year", name="uq_report_benchmarks_level_region_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(20))  # province / city / county
    region: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int | None] = mapped_column(Integer)
    losses: Mapped[int | None] = mapped_column(Integer)
    rate: Mapped[float | None] = mapped_column(Float)
