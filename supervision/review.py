"""Pending-suit review (诉中化解): per agency, the open suits with working days since receipt, the agency's
and the county's past losses on the same action type and field, the nearest decided similar cases with their
causes, and a risk level with its reason in words.

The rule that sets the level is a setting (``ANJIAN_RISK_RULE``, JSON), not code::

    {"high":   {"agency_losses": 2, "county_loss_rate": 0.5},
     "medium": {"agency_losses": 1, "county_loss_rate": 0.3},
     "min_county_cases": 3}

A level is reached when the agency lost at least ``agency_losses`` earlier cases of the same action type and
field, or the county's loss rate on them is at least ``county_loss_rate`` over at least ``min_county_cases``
decided cases. The similar cases come from one function handed in by the caller (the search backend's
``similar`` when the suit has a judgment), so a better ranking reaches this page without a change here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from core.models import Judgment, Suit, SuitAgency
from core.normalize import normalize_name
from core.taxonomy import ActionType, Field, LossCause
from supervision.suits import DECIDED, SuitError, SuitStatus, discussions_of, judgments_of
from supervision.workdays import WorkCalendar

LEVEL_ZH = {"high": "高", "medium": "中", "low": "低"}
SimilarFn = Callable[[int, int], list[int]]  # (judgment id, how many) → similar judgment ids


@dataclass(frozen=True)
class Threshold:
    agency_losses: int
    county_loss_rate: float


@dataclass(frozen=True)
class RiskRule:
    high: Threshold
    medium: Threshold
    min_county_cases: int = 3

    @classmethod
    def parse(cls, text: str) -> RiskRule:
        try:
            raw = json.loads(text)
            return cls(
                Threshold(int(raw["high"]["agency_losses"]), float(raw["high"]["county_loss_rate"])),
                Threshold(int(raw["medium"]["agency_losses"]), float(raw["medium"]["county_loss_rate"])),
                int(raw.get("min_county_cases", 3)),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise SuitError(
                "风险规则设置（ANJIAN_RISK_RULE）格式有误，应为 JSON，例如 "
                '{"high": {"agency_losses": 2, "county_loss_rate": 0.5}, '
                '"medium": {"agency_losses": 1, "county_loss_rate": 0.3}, "min_county_cases": 3}'
            ) from exc

    def level(self, agency_losses: int, county_lost: int, county_decided: int) -> tuple[str, str]:
        rate = county_lost / county_decided if county_decided else 0.0
        enough = county_decided >= self.min_county_cases
        for name, t in (("high", self.high), ("medium", self.medium)):
            reasons = []
            if agency_losses >= t.agency_losses > 0:
                reasons.append(f"本单位同类案件已败诉 {agency_losses} 件（≥{t.agency_losses}）")
            if enough and rate >= t.county_loss_rate:
                reasons.append(
                    f"全县同类案件败诉率 {rate:.0%}（{county_lost}/{county_decided}，≥{t.county_loss_rate:.0%}）"
                )
            if reasons:
                return name, "；".join(reasons)
        parts = [f"本单位同类案件败诉 {agency_losses} 件"]
        parts.append(
            f"全县同类案件败诉率 {rate:.0%}（{county_lost}/{county_decided}）"
            if enough
            else f"全县同类已审结案件仅 {county_decided} 件，不足 {self.min_county_cases} 件，不计败诉率"
        )
        return "low", "；".join(parts) + "，未达到中、高风险标准"


def _zh(enum: Any, code: str | None) -> str | None:
    member = enum.parse(code) if code else None
    return member.zh if member else None


def _same_kind(j: Judgment, suit: Suit) -> bool:
    return bool(suit.action_type) and j.action_type == suit.action_type and j.field == suit.field


def review(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    rule: RiskRule,
    *,
    agency_ids: list[int] | None = None,
    similar: SimilarFn | None = None,
) -> list[dict[str, Any]]:
    """One row per (open suit, defendant agency), highest risk first."""
    from registry.agencies import agency_names

    rows = session.execute(
        select(Suit, SuitAgency)
        .join(SuitAgency, SuitAgency.suit_id == Suit.id)
        .where(Suit.status == SuitStatus.pending.value)
        .order_by(Suit.id)
    ).all()
    light = load_only(
        Judgment.id,
        Judgment.case_no,
        Judgment.outcome,
        Judgment.action_type,
        Judgment.field,
        Judgment.defendants,
        Judgment.loss_causes,
        Judgment.judgment_date,
    )
    decided = list(session.scalars(select(Judgment).options(light).where(Judgment.outcome.in_(DECIDED))))
    names_of: dict[int, set[str]] = {}
    out: list[dict[str, Any]] = []
    for suit, row in rows:
        if agency_ids is not None and row.agency_id not in agency_ids:
            continue
        aid = row.agency_id or 0
        if aid not in names_of:
            names_of[aid] = {normalize_name(n) for n in agency_names(session, aid)}
        same = [j for j in decided if _same_kind(j, suit)]
        county_lost = sum(j.outcome == "agency_lost" for j in same)
        mine = [j for j in same if names_of[aid] & {normalize_name(str(d)) for d in j.defendants or []}]
        agency_lost = sum(j.outcome == "agency_lost" for j in mine)
        level, reason = rule.level(agency_lost, county_lost, len(same))
        if not suit.action_type:
            reason = "未登记被诉行为类型和领域，无法比对同类案件；" + reason
        out.append(
            {
                "suit_id": suit.id,
                "case_no": suit.case_no,
                "court": suit.court,
                "agency_id": row.agency_id,
                "sued_action": suit.sued_action,
                "action_type": suit.action_type,
                "action_type_zh": _zh(ActionType, suit.action_type),
                "field": suit.field,
                "field_zh": _zh(Field, suit.field),
                "papers_received": row.papers_received.isoformat() if row.papers_received else None,
                "workdays_since_receipt": cal.workdays_between(row.papers_received, today)
                if row.papers_received
                else None,
                "agency_losses": agency_lost,
                "agency_decided": len(mine),
                "county_losses": county_lost,
                "county_decided": len(same),
                "risk": level,
                "risk_zh": LEVEL_ZH[level],
                "reason": reason,
                "similar": nearest_decided(session, suit, same, similar),
                "discussions": discussions_of(session, suit.id),
            }
        )
    order = {"high": 0, "medium": 1, "low": 2}
    out.sort(key=lambda r: (order[str(r["risk"])], int(r["suit_id"])))
    return out


def nearest_decided(
    session: Session, suit: Suit, same_kind: list[Judgment], similar: SimilarFn | None, n: int = 3
) -> list[dict[str, Any]]:
    """The three nearest decided similar cases with their causes: by the search backend's ``similar`` from
    the suit's own judgment when it has one; otherwise the latest decided cases of the same action type and
    field (losses first)."""
    ids: list[int] = []
    own = judgments_of(session, suit)
    if similar is not None and own:
        try:
            ids = similar(own[-1].id, n + len(own))
        except Exception:  # noqa: BLE001 - the search index may be unavailable; the fallback still answers
            ids = []
    picked: list[Judgment] = []
    own_ids = {j.id for j in own}
    for jid in ids:
        j = session.get(Judgment, jid)
        if j is not None and j.id not in own_ids and j.outcome in DECIDED:
            picked.append(j)
    if not picked:
        picked = sorted(
            same_kind,
            key=lambda j: (j.outcome != "agency_lost", -(j.judgment_date or dt.date.min).toordinal()),
        )
    return [
        {
            "judgment_id": j.id,
            "case_no": j.case_no,
            "outcome": j.outcome,
            "causes": [z for c in j.loss_causes or [] if (z := _zh(LossCause, str(c)))],
        }
        for j in picked[:n]
    ]
