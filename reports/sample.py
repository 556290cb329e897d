"""Statistics over a search result: the same tables, over the suits of the judgments a query matches.

A suit is in the sample when any of its documents (first instance, appeal, retrial) matches the query of
``anjian search``; the 行政复议决定 it matches give the 复议纠错 column. The search engine is asked for ids
only (it never reads the store). The matched ids go into a temporary table of this connection; the suits
are the case table's rows joined to them (``report_case_judgments``), and the tables are the SQL aggregates of
reports.caseindex restricted to those suits — the same queries as the whole store's tables, tested equal to
the pure path (reports.stats.compute over the sample's cases).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.orm import Session

from core.models import CaseUnit, CaseUnitJudgment
from reports.caseindex import Sample, case_scope, ensure_fresh, report_arguments, sql_report
from reports.stats import GroupBy, LossRateDefinition, Period, RankingRules, StatsError, StatsReport

# Temporary tables (per connection, never in the schema): the judgments a query matched, and their suits.
_TEMP = MetaData()
_MATCHED = Table(
    "anjian_sample_judgments", _TEMP, Column("judgment_id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)
_SUITS = Table(
    "anjian_sample_cases", _TEMP, Column("case_id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)
_CHUNK = 5000


def matching_judgment_ids(settings: Any, query: str, restrict_parties: list[str] | None = None) -> set[int]:
    """The ids of every judgment the query matches, from the search engine (errors: search.SearchError)."""
    from search import open_backend

    return open_backend(settings).matching_ids(query, restrict_parties=restrict_parties)


@contextmanager
def sample_tables(session: Session, judgment_ids: Iterable[int]) -> Iterator[Sample]:
    """The matched judgments and their suits as temporary tables of the session's connection, for the length
    of the ``with`` (the case table made fresh first)."""
    ensure_fresh(session)
    conn = session.connection()
    for t in (_MATCHED, _SUITS):
        t.drop(conn, checkfirst=True)  # left by an earlier call on this pooled connection that failed
        t.create(conn)
    ids = sorted({int(i) for i in judgment_ids})
    for k in range(0, len(ids), _CHUNK):
        conn.execute(insert(_MATCHED), [{"judgment_id": i} for i in ids[k : k + _CHUNK]])
    suits = (
        select(CaseUnitJudgment.case_id)
        .join(_MATCHED, _MATCHED.c.judgment_id == CaseUnitJudgment.judgment_id)
        .distinct()
    )
    conn.execute(insert(_SUITS).from_select(["case_id"], suits))
    yield Sample(case_ids=select(_SUITS.c.case_id), judgment_ids=select(_MATCHED.c.judgment_id))
    # not in a ``finally``: after an error the session rolls back, and with it the tables' creation (DDL is
    # transactional on SQLite and PostgreSQL); a failed statement would only hide the original error here
    for t in (_SUITS, _MATCHED):
        t.drop(conn)


def sample_report(
    session: Session,
    judgment_ids: Iterable[int],
    query: str,
    *,
    by: GroupBy | str = GroupBy.agency,
    period: Period | str | None = None,
    since: str | None = None,
    definition: LossRateDefinition | str | None = None,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    then: GroupBy | str | None = None,
    rules: RankingRules | None = None,
) -> StatsReport:
    """The table of reports.caseindex.stats_report over the suits of ``judgment_ids``, saying which query."""
    grouping, then_by, p, d = report_arguments(by, then, period, since, definition)
    if then_by == grouping:  # before any temporary table is made
        raise StatsError("--then 须与 --by 不同")
    with sample_tables(session, judgment_ids) as sample:
        report = sql_report(
            session,
            grouping,
            p,
            d,
            agency_ids=agency_ids,
            ours_only=ours_only,
            then=then_by,
            rules=rules,
            sample=sample,
        )
        in_scope = case_scope(agency_ids, ours_only, sample)
        n = session.scalar(select(func.count(CaseUnit.id)).where(*in_scope))
    report.query = query
    report.sample = int(n or 0)
    return report


def query_report(
    session: Session,
    settings: Any,
    query: str,
    *,
    restrict_parties: list[str] | None = None,
    **kw: Any,
) -> StatsReport:
    """Service function (CLI, API): ``anjian stats --query`` — search, then the table over its suits."""
    q = (query or "").strip()
    if not q:
        raise StatsError("检索式为空：请写出要统计的检索式，例如 原因:违反法定程序 年份:2023")
    ids = matching_judgment_ids(settings, q, restrict_parties)
    return sample_report(session, ids, q, **kw)
