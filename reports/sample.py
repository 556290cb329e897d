"""Statistics over a search result: the same tables, over the suits of the judgments a query matches.

A suit is in the sample when any of its documents (first instance, appeal, retrial) matches the query of
``anjian search``; the 行政复议决定 it matches give the 复议纠错 column. The search engine is asked for ids
only (it never reads the store); the suits come from the case table (reports.caseindex) and are counted by
the pure path (reports.stats.compute, tested equal to the SQL path).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import CaseUnit
from reports.caseindex import ensure_fresh, group_by, indexed_cases, indexed_reconsiderations
from reports.cases import Case, Reconsideration
from reports.stats import (
    GroupBy,
    LossRateDefinition,
    Period,
    RankingRules,
    StatsError,
    StatsReport,
    compute,
    parse_period,
    restrict,
)


def matching_judgment_ids(settings: Any, query: str, restrict_parties: list[str] | None = None) -> set[int]:
    """The ids of every judgment the query matches, from the search engine (errors: search.SearchError)."""
    from search import open_backend

    return open_backend(settings).matching_ids(query, restrict_parties=restrict_parties)


def sample_of(session: Session, judgment_ids: Iterable[int]) -> tuple[list[Case], list[Reconsideration]]:
    """The suits with a document among ``judgment_ids`` and the reconsideration decisions among them."""
    wanted = set(judgment_ids)
    ensure_fresh(session)
    case_ids = [
        cid
        for cid, jids in session.execute(select(CaseUnit.id, CaseUnit.judgment_ids))
        if wanted.intersection(jids or ())
    ]
    cases = indexed_cases(session, case_ids) if case_ids else []
    recs = [r for r in indexed_reconsiderations(session) if r.judgment_id in wanted]
    return cases, recs


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
    by = group_by(by)
    then_by = group_by(then) if then else None
    if then_by == by:
        raise StatsError("--then 须与 --by 不同")
    p = period if isinstance(period, Period) else parse_period(period, since)
    d = definition if isinstance(definition, LossRateDefinition) else LossRateDefinition.parse(definition)
    cases, recs = sample_of(session, judgment_ids)
    report = compute(
        cases,
        by,
        p,
        d,
        agency_ids=agency_ids,
        ours_only=ours_only,
        then=then_by,
        rules=rules,
        reconsiderations=recs,
    )
    report.query = query
    report.sample = len(restrict(cases, agency_ids=agency_ids, ours_only=ours_only))
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
