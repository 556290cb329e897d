"""Dashboard figures from the reports package's statistics (reports.caseindex.stats_report): the same cases,
loss-rate definition and agency matching as the bulletins. An agency user's figures cover their agency
only (agency_ids); everyone else may pick one registry agency."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import Forbidden

TRENDS = ("year", "quarter", "month")


def _agency_ids(scope: Scope, agency_id: int | None) -> list[int] | None:
    if scope.restricted:
        if not (scope.agency_id or "").isdigit():
            raise Forbidden("您的账号没有关联单位名录中的单位，无法查看统计")
        return [int(scope.agency_id or 0)]
    return [agency_id] if agency_id else None


def _rows(report: Any, limit: int | None = None) -> list[dict[str, Any]]:
    rows = [r.to_json() for r in report.rows]
    return rows[:limit] if limit else rows


def _rules(settings: Any) -> Any:
    from reports.stats import RankingRules

    return RankingRules.from_settings(settings) if settings is not None else RankingRules()


def table(
    s: Session,
    scope: Scope,
    *,
    by: str = "agency",
    then: str | None = None,
    period: str | None = None,
    since: str | None = None,
    agency_id: int | None = None,
    definition: str | None = None,
    settings: Any = None,
    q: str | None = None,
) -> Any:
    """One statistics table (one or two groupings) as reports.stats.StatsReport, for JSON or a spreadsheet;
    ``q``: over the suits of the judgments the search query matches (the caller's agency only, as in search)."""
    from reports.caseindex import stats_report
    from reports.sample import query_report

    options: dict[str, Any] = dict(
        by=by,
        then=then or None,
        period=period or None,
        since=since or None,
        definition=definition,
        agency_ids=_agency_ids(scope, agency_id),
        rules=_rules(settings),
    )
    if q and q.strip():
        restrict = list(scope.agency_names) if scope.agency_names is not None else None
        return query_report(s, settings, q, restrict_parties=restrict, **options)
    return stats_report(s, **options)


def dashboard(
    s: Session,
    scope: Scope,
    *,
    period: str | None = None,
    since: str | None = None,
    trend: str = "year",
    agency_id: int | None = None,
    definition: str | None = None,
    settings: Any = None,
) -> dict[str, Any]:
    """{filters, definition_zh, rules_zh, totals, undated, benchmarks, by_period, ranking, lost_by_field,
    lost_by_action_type, lost_by_cause}."""
    from reports.benchmarks import benchmarks_for
    from reports.bulletin import benchmark_lines
    from reports.caseindex import stats_report
    from reports.stats import parse_period

    trend = trend if trend in TRENDS else "year"
    ids = _agency_ids(scope, agency_id)
    p = parse_period(period or None, since or None)
    common: dict[str, Any] = {
        "period": p,
        "definition": definition,
        "agency_ids": ids,
        "rules": _rules(settings),
    }
    by_agency = stats_report(s, by="agency", **common)
    out = {
        "filters": {
            "period": period or "",
            "since": since or "",
            "trend": trend,
            "agency_id": agency_id,
            "period_zh": by_agency.period.zh,
        },
        "definition_zh": by_agency.definition.zh,
        "rules_zh": by_agency.rules_zh,
        "flag_labels": by_agency.rules.labels,
        "undated": by_agency.undated.to_json(),
        "benchmarks": benchmark_lines(by_agency.totals.loss_rate, benchmarks_for(s, p)),
        "totals": by_agency.totals.to_json(),
        "previous_totals": by_agency.previous_totals.to_json() if by_agency.previous_totals else None,
        "ranking": _rows(by_agency, 20),
        "by_period": [r.to_json() for r in stats_report(s, by=trend, **common).all_rows],
    }
    for key, by in (
        ("lost_by_field", "field"),
        ("lost_by_action_type", "action_type"),
        ("lost_by_cause", "cause"),
    ):
        rows = _rows(stats_report(s, by=by, **common))
        out[key] = sorted(
            ({"code": r["key"], "label": r["label"], "count": r["lost"]} for r in rows if r["lost"]),
            key=lambda r: -r["count"],
        )
    return out


def agency_choices(s: Session, scope: Scope) -> list[dict[str, Any]]:
    if scope.restricted:
        return []
    from registry.agencies import list_agencies

    return [{"id": a["id"], "name": a["name"]} for a in list_agencies(s)]
