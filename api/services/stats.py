"""Dashboard figures from the reports package's statistics (reports.caseindex.stats_report): the same cases,
loss-rate definition and agency matching as the bulletins. An agency user's figures cover their agency
only (agency_ids); everyone else may pick one registry agency."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import Forbidden
from api.services import drill

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


UNIT_SCOPES = {"ours": "本县单位", "all": "全部被告（含县外单位和未入名录的名称）"}
RANKINGS = (
    ("township", "乡镇（街道）败诉排名"),
    ("department", "县级部门败诉排名"),
    ("agency", "单位败诉排名"),
)


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
    unit_scope: str = "ours",
) -> dict[str, Any]:
    """{filters, definition_zh, rules_zh, counted_zh, totals, undated, benchmarks, by_period, ranking,
    rankings{township, department, agency}, key_targets, lost_by_field, lost_by_action_type, lost_by_cause,
    queries}. Every row and bar carries ``query``: the search that opens its documents (api.services.drill).
    ``unit_scope`` ours: the rankings hold only registry bodies marked 本县; all: every defendant."""
    from reports.benchmarks import benchmarks_for
    from reports.bulletin import benchmark_lines
    from reports.caseindex import agency_reports, agency_reports_both, stats_report
    from reports.stats import GroupBy, parse_period

    trend = trend if trend in TRENDS else "year"
    ids = _agency_ids(scope, agency_id)
    unit_scope = "all" if scope.restricted else (unit_scope if unit_scope in UNIT_SCOPES else "ours")
    p = parse_period(period or None, since or None)
    rules = _rules(settings)
    common: dict[str, Any] = {"period": p, "definition": definition, "agency_ids": ids, "rules": rules}
    need_ours = unit_scope == "ours" or (not scope.restricted and ids is None)
    if need_ours:
        every, ours = agency_reports_both(s, period=p, definition=definition, agency_ids=ids, rules=rules)
    else:
        every = ours = agency_reports(s, period=p, definition=definition, agency_ids=ids, rules=rules)
    by_agency = every[GroupBy.agency]
    names = _names_for(s, scope, agency_id)
    base_q = drill.join(drill.period_query(p), drill.agency_query(names))
    shown = ours if unit_scope == "ours" else every
    registry = _registry_names(s)
    rankings = {
        by: _ranking(shown[GroupBy(by)], title, p, rules.min_concluded, registry) for by, title in RANKINGS
    }
    targets = None
    if not scope.restricted:
        county = ours[GroupBy.township] if ids is None else None
        targets = key_targets(s, p, definition, rules, county)
    out = {
        "filters": {
            "period": period or "",
            "since": since or "",
            "trend": trend,
            "agency_id": agency_id,
            "period_code": p.code,
            "period_zh": by_agency.period.zh,
            "unit_scope": unit_scope,
            "unit_scope_zh": UNIT_SCOPES[unit_scope],
        },
        "definition_zh": by_agency.definition.zh,
        "rules_zh": by_agency.rules_zh,
        "counted_zh": drill.COUNTED_ZH,
        "min_concluded": rules.min_concluded,
        "flag_labels": by_agency.rules.labels,
        "undated": by_agency.undated.to_json(),
        "benchmarks": benchmark_lines(by_agency.totals.loss_rate, benchmarks_for(s, p)),
        "totals": by_agency.totals.to_json(),
        "previous_totals": by_agency.previous_totals.to_json() if by_agency.previous_totals else None,
        "ranking": rankings["agency"]["rows"],
        "rankings": rankings,
        "key_targets": targets,
        "queries": {
            "documents": base_q,
            "concluded": drill.join(base_q, drill.concluded_query()),
            "lost": drill.join(base_q, "结果:败诉"),
        },
        "by_period": _trend_rows(stats_report(s, by=trend, **common).all_rows, p, names),
    }
    for key, by, field_name in (
        ("lost_by_field", "field", "领域"),
        ("lost_by_action_type", "action_type", "类型"),
        ("lost_by_cause", "cause", "原因"),
    ):
        rows = _rows(stats_report(s, by=by, **common))
        out[key] = sorted(
            (
                {
                    "code": r["key"],
                    "label": r["label"],
                    "count": r["lost"],
                    "query": drill.join(base_q, "结果:败诉", f"{field_name}:{r['label']}")
                    if r["key"]
                    else None,
                }
                for r in rows
                if r["lost"] and r["key"] != "undated"
            ),
            key=lambda r: -r["count"],
        )
    return out


def _names_for(s: Session, scope: Scope, agency_id: int | None) -> list[str]:
    """The names of the dashboard's agency (the user's own, or the one chosen) for the 被告 filter."""
    if scope.restricted:
        return [n for n in scope.agency_names or () if not n.startswith("\x00")]
    if agency_id:
        from registry.agencies import agency_names

        return agency_names(s, agency_id)
    return []


def _registry_names(s: Session) -> dict[str, list[str]]:
    """Every registry agency's row key ("a:<id>") → its full name and aliases, in two queries."""
    from sqlalchemy import select

    from core.models import Agency, AgencyAlias

    out = {f"a:{i}": [name] for i, name in s.execute(select(Agency.id, Agency.name))}
    for agency_id, alias in s.execute(select(AgencyAlias.agency_id, AgencyAlias.alias)):
        names = out.get(f"a:{agency_id}")
        if names is not None and alias not in names:
            names.append(alias)
    return out


def _ranking(
    report: Any, title: str, p: Any, min_concluded: int, registry: dict[str, list[str]]
) -> dict[str, Any]:
    """One ranking table: every row (no cut; the page pages them), with the searches of its figures."""
    pq = drill.period_query(p)
    rows = []
    for r in report.rows:
        row = r.to_json()
        q = drill.join(pq, drill.agency_query(registry.get(r.key) or [r.label]))
        row["query"] = q
        row["concluded_query"] = drill.join(q, drill.concluded_query())
        row["lost_query"] = drill.join(q, "结果:败诉")
        rows.append(row)
    unranked = sum(1 for r in rows if not r["ranked"])
    return {
        "title": title,
        "rows": rows,
        "ranked_count": len(rows) - unranked,
        "unranked_count": unranked,
        "rule_zh": f"审结不足{min_concluded}件的单位不排名（其败诉率只作参考，点“显示全部”可见）",
    }


def _trend_rows(rows: list[Any], p: Any, names: list[str]) -> list[dict[str, Any]]:
    from reports.stats import Period

    aq = drill.agency_query(names)
    out = []
    for r in rows:
        row = r.to_json()
        q = drill.join(drill.period_query(Period.parse(r.key)), aq) if r.key != "undated" else None
        row["query"] = q
        row["concluded_query"] = drill.join(q, drill.concluded_query()) if q is not None else None
        row["lost_query"] = drill.join(q, "结果:败诉") if q is not None else None
        out.append(row)
    return out


def key_targets(s: Session, p: Any, definition: str | None, rules: Any, report: Any = None) -> dict[str, Any]:
    """重点监督对象 of the period: the proposal (reports.stats rule, 本县单位 only, whatever agency is chosen on
    the dashboard) and the confirmed choice (supervision.key_targets) per kind. ``report``: a county-wide
    本县 agency report of the period already computed (its key targets are the proposal)."""
    from reports.caseindex import stats_report
    from reports.stats import key_target_rule_zh
    from supervision.key_targets import KINDS, choices, confirmed

    if report is None:
        report = stats_report(s, by="township", period=p, definition=definition, ours_only=True, rules=rules)
    proposed = {k.kind: k for k in report.key_targets}
    stored = confirmed(s, p.code) if p.kind != "all" else {}
    items = []
    for kind, kind_zh in KINDS.items():
        k = proposed.get(kind)
        items.append(
            {
                "kind": kind,
                "kind_zh": kind_zh,
                "proposed": {
                    "names": k.names,
                    "agency_ids": [int(x[2:]) for x in k.keys if x.startswith("a:")],
                    "losses": k.losses,
                    "concluded": k.concluded,
                    "loss_rate": k.loss_rate,
                    "ranked": k.ranked,
                    "tied": len(k.names) > 1,
                }
                if k
                else None,
                "confirmed": stored.get(kind),
                "state": "confirmed" if kind in stored else ("proposed" if k else "none"),
                "choices": choices(s, kind),
            }
        )
    return {
        "period": p.code,
        "period_zh": p.zh,
        "can_confirm": p.kind != "all",
        "rule_zh": key_target_rule_zh(rules.min_concluded),
        "items": items,
    }


def confirm_key_target(
    s: Session,
    scope: Scope,
    *,
    period: str,
    kind: str,
    agency_id: int | None,
    note: str = "",
    settings: Any = None,
) -> dict[str, Any]:
    """Bureau staff (admin, analyst) confirm or change the period's 重点监督对象 of one kind; ``agency_id``
    None withdraws the confirmation. Audited; returns the period's key_targets."""
    from api.services.accounts import audit
    from reports.stats import Period
    from supervision import key_targets as kt

    if not scope.can_write:
        raise Forbidden("只有司法局的管理员或分析员可以确认重点监督对象")
    p = Period.parse(period)
    rules = _rules(settings)
    current = key_targets(s, p, None, rules)
    item = next((i for i in current["items"] if i["kind"] == kind), None)
    proposed = (item or {}).get("proposed") or {}
    if agency_id is None:
        kt.withdraw(s, period=p.code, kind=kind)
        audit(
            s,
            "key_target_withdraw",
            user=scope.username,
            target=f"{p.code} {kind}",
            detail={"period": p.code},
        )
    else:
        row = kt.confirm(
            s,
            period=p.code,
            kind=kind,
            agency_id=agency_id,
            user=scope.username,
            proposed=proposed.get("names") or [],
            note=note,
        )
        audit(
            s,
            "key_target_confirm",
            user=scope.username,
            target=f"{p.code} {kind}",
            detail={"period": p.code, "kind": kind, "agency": row.agency_name, "proposed": row.proposed},
        )
    s.flush()
    return key_targets(s, p, None, rules)


def agency_choices(s: Session, scope: Scope) -> list[dict[str, Any]]:
    if scope.restricted:
        return []
    from registry.agencies import list_agencies

    return [{"id": a["id"], "name": a["name"]} for a in list_agencies(s)]
