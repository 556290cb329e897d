"""Dashboard figures from the effective (reviewer-corrected) tags of the cases the caller may see:
volume and loss rate by period, rankings of defendant agencies, breakdowns by field, action type and cause.

Loss rate = losses / concluded cases, where concluded means an outcome on the merits or a termination
(败诉, 胜诉, 驳回起诉, 撤诉); enforcement reviews (not_applicable) and remands are not counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Scope, can_see
from api.services.cases import zh
from core.models import Judgment
from core.taxonomy import ActionType, Field, LossCause, Outcome

CONCLUDED = {"agency_lost", "agency_won", "dismissed", "withdrawn"}
PERIODS = ("year", "quarter", "month")


def period_of(j: Judgment, period: str) -> str | None:
    d = j.judgment_date
    if d is None:
        return None
    if period == "month":
        return f"{d.year}-{d.month:02d}"
    if period == "quarter":
        return f"{d.year}Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


def _rate(lost: int, concluded: int) -> float | None:
    return round(lost / concluded, 4) if concluded else None


def selected_cases(s: Session, scope: Scope, year_from: int | None = None, year_to: int | None = None,
                   agency: str | None = None) -> list[Judgment]:
    rows = []
    for j in s.scalars(select(Judgment).order_by(Judgment.id)):
        if not can_see(scope, j):
            continue
        year = j.judgment_date.year if j.judgment_date else None
        if (year_from and (year is None or year < year_from)) or (year_to and (year is None or year > year_to)):
            continue
        if agency and not any(agency in d for d in (j.defendants or [])):
            continue
        rows.append(j)
    return rows


def dashboard(s: Session, scope: Scope, *, period: str = "year", year_from: int | None = None,
              year_to: int | None = None, agency: str | None = None) -> dict[str, Any]:
    period = period if period in PERIODS else "year"
    cases = selected_cases(s, scope, year_from, year_to, agency)
    by_period: dict[str, Counter[str]] = defaultdict(Counter)
    by_agency: dict[str, Counter[str]] = defaultdict(Counter)
    fields: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for j in cases:
        concluded, lost = j.outcome in CONCLUDED, j.outcome == "agency_lost"
        outcomes[j.outcome or "unknown"] += 1
        p = period_of(j, period) or "日期不详"
        by_period[p].update(cases=1, concluded=int(concluded), lost=int(lost))
        for d in dict.fromkeys(j.defendants or []):
            by_agency[d].update(cases=1, concluded=int(concluded), lost=int(lost))
        if lost:
            fields[j.field or "other"] += 1
            actions[j.action_type or "other"] += 1
            causes.update(j.loss_causes or [])
    concluded_n = sum(c["concluded"] for c in by_period.values())
    lost_n = sum(c["lost"] for c in by_period.values())
    ranking = sorted(
        ({"name": name, "cases": c["cases"], "concluded": c["concluded"], "lost": c["lost"],
          "loss_rate": _rate(c["lost"], c["concluded"])} for name, c in by_agency.items()),
        key=lambda r: (-r["lost"], -(r["loss_rate"] or 0), -r["cases"], r["name"]))
    return {
        "filters": {"period": period, "year_from": year_from, "year_to": year_to, "agency": agency},
        "totals": {"cases": len(cases), "concluded": concluded_n, "lost": lost_n, "loss_rate": _rate(lost_n, concluded_n)},
        "by_period": [{"period": k, "cases": c["cases"], "concluded": c["concluded"], "lost": c["lost"],
                       "loss_rate": _rate(c["lost"], c["concluded"])} for k, c in sorted(by_period.items())],
        "ranking": ranking[:20],
        "outcomes": [{"code": k, "label": zh(Outcome, k) or "未识别", "count": n} for k, n in outcomes.most_common()],
        "lost_by_field": [{"code": k, "label": zh(Field, k), "count": n} for k, n in fields.most_common()],
        "lost_by_action_type": [{"code": k, "label": zh(ActionType, k), "count": n} for k, n in actions.most_common()],
        "lost_by_cause": [{"code": k, "label": zh(LossCause, k), "count": n} for k, n in causes.most_common()],
    }
