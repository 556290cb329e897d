"""Follow-up reports per case: papers and judgment received / reported, written analysis, rectification.

Due dates follow the plan: the suit is reported within 3 working days of receiving the papers, a judgment
within 5 working days of receiving it. Overdue = due date passed without a report (or reported late).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, FollowUp, Judgment
from core.normalize import normalize_case_no
from supervision.workdays import WorkCalendar

SUIT_DAYS = 3
JUDGMENT_DAYS = 5


class FollowUpStatus(StrEnum):
    open = "open"  # 跟踪中
    analysed = "analysed"  # 已提交分析
    rectified = "rectified"  # 已整改
    closed = "closed"  # 已办结

    @property
    def zh(self) -> str:
        return {"open": "跟踪中", "analysed": "已提交分析", "rectified": "已整改", "closed": "已办结"}[
            self.value
        ]


class FollowUpError(Exception):
    """Bad follow-up input; the message is for the user (Chinese)."""


@dataclass
class Deadline:
    what: str  # suit / judgment
    what_zh: str
    received: dt.date
    due: dt.date
    reported: dt.date | None
    overdue: bool  # not reported by the due date (as of today) or reported late
    late_by: int  # working days past due (0 when on time)
    approximate: bool  # a year without official holiday data was involved


def deadlines(f: FollowUp, cal: WorkCalendar, today: dt.date) -> list[Deadline]:
    """The reporting deadlines of one follow-up, computed from the receipt dates."""
    out = []
    for what, zh, received, reported, days in (
        ("suit", "应诉报备", f.papers_received, f.papers_reported, SUIT_DAYS),
        ("judgment", "裁判文书报备", f.judgment_received, f.judgment_reported, JUDGMENT_DAYS),
    ):
        if received is None:
            continue
        before = set(cal.unknown_years)
        due = cal.add_workdays(received, days)
        ref = reported or today
        late = cal.workdays_between(due, ref) if ref > due else 0
        out.append(
            Deadline(
                what,
                zh,
                received,
                due,
                reported,
                late > 0,
                late,
                cal.unknown_years != before or not cal.covers(due.year),
            )
        )
    return out


def upsert_followup(
    session: Session, case_no: str, *, agency_id: int | None = None, **values: object
) -> FollowUp:
    """Create or update the follow-up of (case, agency). Dates as date or ISO text; ``status`` a code."""
    norm = normalize_case_no(case_no)
    if not norm:
        raise FollowUpError("案号不能为空")
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise FollowUpError(f"没有编号为 {agency_id} 的单位")
    f = session.scalar(
        select(FollowUp).where(FollowUp.case_no_norm == norm, FollowUp.agency_id == agency_id)
        if agency_id is not None
        else select(FollowUp).where(FollowUp.case_no_norm == norm, FollowUp.agency_id.is_(None))
    )
    if f is None:
        f = FollowUp(
            case_no=case_no, case_no_norm=norm, agency_id=agency_id, status=FollowUpStatus.open.value
        )
        session.add(f)
    for key, v in values.items():
        if v is None:
            continue
        if key in ("papers_received", "papers_reported", "judgment_received", "judgment_reported"):
            try:
                v = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
            except ValueError as exc:
                raise FollowUpError(f"日期应写成 2024-05-20：{v}") from exc
        elif key == "status":
            try:
                v = FollowUpStatus(str(v)).value
            except ValueError as exc:
                raise FollowUpError(f"状态只能是 {', '.join(s.value for s in FollowUpStatus)}") from exc
        elif key not in ("analysis", "rectification"):
            raise FollowUpError(f"未知字段 {key}")
        setattr(f, key, v)
    if f.judgment_id is None:
        f.judgment_id = session.scalar(select(Judgment.id).where(Judgment.case_no == norm).limit(1))
    session.flush()
    return f


def followup_as_dict(f: FollowUp, cal: WorkCalendar, today: dt.date, agency_name: str | None = None) -> dict:
    return {
        "id": f.id,
        "case_no": f.case_no,
        "judgment_id": f.judgment_id,
        "agency_id": f.agency_id,
        "agency": agency_name,
        "status": f.status,
        "status_zh": FollowUpStatus(f.status).zh,
        "papers_received": _iso(f.papers_received),
        "papers_reported": _iso(f.papers_reported),
        "judgment_received": _iso(f.judgment_received),
        "judgment_reported": _iso(f.judgment_reported),
        "analysis": f.analysis,
        "rectification": f.rectification,
        "deadlines": [
            {**asdict(d), "received": _iso(d.received), "due": _iso(d.due), "reported": _iso(d.reported)}
            for d in deadlines(f, cal, today)
        ],
    }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def list_followups(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    *,
    agency_ids: list[int] | None = None,
    overdue_only: bool = False,
) -> list[dict]:
    q = select(FollowUp, Agency.name).outerjoin(Agency, Agency.id == FollowUp.agency_id).order_by(FollowUp.id)
    if agency_ids is not None:
        q = q.where(FollowUp.agency_id.in_(agency_ids))
    out = []
    for f, name in session.execute(q):
        d = followup_as_dict(f, cal, today, name)
        if overdue_only and not any(x["overdue"] for x in d["deadlines"]):
            continue
        out.append(d)
    return out


def overdue(
    session: Session,
    cal: WorkCalendar,
    today: dt.date,
    *,
    agency_ids: list[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict]:
    """One row per late report: agency, case, what, received, due, reported, working days late."""
    rows = []
    for f in list_followups(session, cal, today, agency_ids=agency_ids, overdue_only=True):
        for d in f["deadlines"]:
            due = dt.date.fromisoformat(d["due"])
            if not d["overdue"] or (since and due < since) or (until and due >= until):
                continue
            rows.append(
                {
                    "agency": f["agency"] or "（未登记单位）",
                    "case_no": f["case_no"],
                    "what": d["what_zh"],
                    "received": d["received"],
                    "due": d["due"],
                    "reported": d["reported"],
                    "late_by": d["late_by"],
                    "approximate": d["approximate"],
                }
            )
    return rows
