"""The reporting obligations of the register, in working days (supervision.workdays):

- 应诉报备: each defendant agency reports the suit within 3 working days of receiving the court's papers;
- 败诉报告: after a loss, each defendant agency sends the analysis and rectification within 5 working days
  of receiving the judgment.

Only papers and judgments received on or after the go-live date open an obligation (:class:`GoLive`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, Suit, SuitAgency, SuitMeasure
from supervision.suits import MEASURE_STATUS, GoLive, SuitStatus, judgments_of
from supervision.workdays import WorkCalendar

SUIT_DAYS = 3
LOSS_DAYS = 5
WHAT_ZH = {"register": "应诉报备", "loss_report": "败诉原因分析及整改报告"}
STATE_ZH = {"open": "待报送", "late": "已逾期未报", "done": "已按期报送", "done_late": "逾期报送"}


@dataclass
class Obligation:
    suit_id: int
    agency_id: int | None
    agency: str
    case_no: str | None
    what: str  # register / loss_report
    what_zh: str
    received: dt.date
    received_estimated: bool  # the judgment's upload date stood in for its receipt
    due: dt.date
    done_on: dt.date | None
    state: str  # open / late / done / done_late
    state_zh: str
    late_by: int  # working days past due (as of today, or of the report)
    days_left: int  # working days from today to the due date (0 on or after it)
    approximate: bool  # a year without official holiday data was involved

    @property
    def key(self) -> str:
        return f"{self.suit_id}:{self.agency_id}:{self.what}"

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("received", "due", "done_on"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


def _obligation(
    cal: WorkCalendar,
    today: dt.date,
    suit: Suit,
    row: SuitAgency,
    agency: str,
    what: str,
    received: dt.date,
    done_on: dt.date | None,
    *,
    estimated: bool = False,
) -> Obligation:
    before = set(cal.unknown_years)
    due = cal.add_workdays(received, SUIT_DAYS if what == "register" else LOSS_DAYS)
    ref = done_on or today
    late = cal.workdays_between(due, ref) if ref > due else 0
    if done_on is not None:
        state = "done_late" if late else "done"
    else:
        state = "late" if late else "open"
    return Obligation(
        suit.id,
        row.agency_id,
        agency,
        suit.case_no,
        what,
        WHAT_ZH[what],
        received,
        estimated,
        due,
        done_on,
        state,
        STATE_ZH[state],
        late,
        cal.workdays_between(today, due) if due > today else 0,
        cal.unknown_years != before or not cal.covers(due.year),
    )


def suit_obligations(
    suit: Suit,
    rows: list[SuitAgency],
    names: dict[int, str],
    cal: WorkCalendar,
    today: dt.date,
    go_live: GoLive,
) -> list[Obligation]:
    out = []
    for row in rows:
        name = names.get(row.agency_id or 0, "（未登记单位）")
        if go_live.counts(row.papers_received) and row.papers_received is not None:
            out.append(
                _obligation(cal, today, suit, row, name, "register", row.papers_received, row.reported_on)
            )
        if (
            suit.outcome == "agency_lost"
            and suit.judgment_received
            and go_live.counts(suit.judgment_received)
        ):
            out.append(
                _obligation(
                    cal,
                    today,
                    suit,
                    row,
                    name,
                    "loss_report",
                    suit.judgment_received,
                    row.loss_reported_on,
                    estimated=suit.judgment_received_estimated,
                )
            )
    return out


def _load(
    session: Session, agency_ids: list[int] | None, status: str | None = None
) -> list[tuple[Suit, list[SuitAgency]]]:
    q = select(Suit).order_by(Suit.id)
    if status:
        q = q.where(Suit.status == status)
    if agency_ids is not None:
        q = q.where(Suit.id.in_(select(SuitAgency.suit_id).where(SuitAgency.agency_id.in_(agency_ids))))
    suits = list(session.scalars(q))
    rows: dict[int, list[SuitAgency]] = {}
    if suits:
        for r in session.scalars(
            select(SuitAgency).where(SuitAgency.suit_id.in_([s.id for s in suits])).order_by(SuitAgency.id)
        ):
            rows.setdefault(r.suit_id, []).append(r)
    return [(s, rows.get(s.id, [])) for s in suits]


def agency_names(session: Session) -> dict[int, str]:
    return {aid: name for aid, name in session.execute(select(Agency.id, Agency.name))}


def obligations(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    go_live: GoLive,
    *,
    agency_ids: list[int] | None = None,
) -> list[Obligation]:
    """Every obligation of the register (an agency's own only when ``agency_ids`` is given)."""
    names = agency_names(session)
    out = []
    for suit, rows in _load(session, agency_ids):
        mine = [r for r in rows if agency_ids is None or r.agency_id in agency_ids]
        out.extend(suit_obligations(suit, mine, names, cal, today, go_live))
    return out


def suit_as_dict(
    session: Session, suit: Suit, rows: list[SuitAgency], cal: WorkCalendar, today: dt.date, go_live: GoLive
) -> dict[str, Any]:
    names = agency_names(session)
    obs = suit_obligations(suit, rows, names, cal, today, go_live)
    reg = {o.agency_id: o for o in obs if o.what == "register"}
    return {
        "id": suit.id,
        "court": suit.court,
        "case_no": suit.case_no,
        "plaintiffs": suit.plaintiffs or [],
        "sued_action": suit.sued_action,
        "action_type": suit.action_type,
        "field": suit.field,
        "status": suit.status,
        "status_zh": SuitStatus(suit.status).zh,
        "outcome": suit.outcome,
        "decided_on": _iso(suit.decided_on),
        "judgment_received": _iso(suit.judgment_received),
        "judgment_received_estimated": suit.judgment_received_estimated,
        "withdrawn_after_correction": suit.withdrawn_after_correction,
        "agencies": [
            {
                "agency_id": r.agency_id,
                "agency": names.get(r.agency_id or 0),
                "papers_received": _iso(r.papers_received),
                "reported_on": _iso(r.reported_on),
                "report_due": _iso(reg[r.agency_id].due) if r.agency_id in reg else None,
                "report_on_time": (reg[r.agency_id].state == "done") if r.agency_id in reg else None,
                "loss_reported_on": _iso(r.loss_reported_on),
                "causes": r.causes or [],
                "analysis": r.analysis,
                "measures": [
                    {
                        "id": m.id,
                        "text": m.text,
                        "owner": m.owner,
                        "recheck_on": _iso(m.recheck_on),
                        "recheck_result": m.recheck_result,
                        "due": _iso(m.due),
                        "status": m.status,
                        "status_zh": MEASURE_STATUS.get(m.status, m.status),
                    }
                    for m in session.scalars(
                        select(SuitMeasure).where(SuitMeasure.suit_agency_id == r.id).order_by(SuitMeasure.id)
                    )
                ],
            }
            for r in rows
        ],
        "judgments": [
            {"id": j.id, "case_no": j.case_no, "procedure": j.procedure, "outcome": j.outcome}
            for j in judgments_of(session, suit)
        ],
        "obligations": [o.as_json() for o in obs],
        "history": suit.history or [],
    }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def list_suits(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    go_live: GoLive,
    *,
    agency_ids: list[int] | None = None,
    status: str | None = None,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    out = []
    for suit, rows in _load(session, agency_ids, status):
        d = suit_as_dict(session, suit, rows, cal, today, go_live)
        if overdue_only and not any(o["state"] in ("late", "done_late") for o in d["obligations"]):
            continue
        out.append(d)
    return out


def overdue(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    go_live: GoLive,
    *,
    agency_ids: list[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """(one row per late report in the period, how many obligations fell due in it at all)."""
    record = reporting_record(session, cal, today, go_live, agency_ids=agency_ids, since=since, until=until)
    return record["late"], record["due"]


def reporting_record(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    go_live: GoLive,
    *,
    agency_ids: list[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, Any]:
    """The reporting obligations due in the period: ``due`` (all of them), ``reported`` (a report was
    recorded), ``on_time`` (recorded by its due date), ``open`` (not reported and not yet due) and ``late``
    (one row per late or missing report). A bulletin may say "均按期报备" only when ``reported`` > 0 and
    nothing is late."""
    rows: list[dict[str, Any]] = []
    due_in_period = reported = on_time = still_open = 0
    for o in obligations(session, cal, today, go_live, agency_ids=agency_ids):
        if (since and o.due < since) or (until and o.due >= until):
            continue
        due_in_period += 1
        if o.done_on is not None:
            reported += 1
            on_time += o.late_by <= 0
        elif o.late_by <= 0:
            still_open += 1
        if o.late_by <= 0:
            continue
        rows.append(
            {
                "agency": o.agency,
                "case_no": o.case_no or f"（登记编号 {o.suit_id}）",
                "what": o.what_zh,
                "received": o.received.isoformat(),
                "due": o.due.isoformat(),
                "reported": o.done_on.isoformat() if o.done_on else None,
                "late_by": o.late_by,
                "approximate": o.approximate,
            }
        )
    return {"late": rows, "due": due_in_period, "reported": reported, "on_time": on_time, "open": still_open}
