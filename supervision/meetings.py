"""The 以案促改 loop (issue 17): each department holds at least one meeting a year on court or reconsideration
cases (the presiding judge possibly invited); the bureau sees which departments have not held one by a date;
a new loss of an agency on the same cause or the same kind of act as an earlier loss is a recurrence
(同类问题反弹); fault-accountability cases (执法过错责任追究) are registered and reported per quarter.

Service functions over a Session; numbers for the documents are built in reports.loop_docs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AccountabilityCase, Agency, AuditEntry, LessonMeeting, Suit, SuitAgency, SuitMeasure
from core.spreadsheet import zh_label
from core.taxonomy import ActionType, LossCause


class MeetingError(Exception):
    """Bad input to the 以案促改 record; the message is for the user (Chinese)."""


def _agency(s: Session, agency_id: int) -> Agency:
    a = s.get(Agency, agency_id)
    if a is None:
        raise MeetingError(f"单位名录中没有编号为 {agency_id} 的单位")
    return a


def _day(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise MeetingError(f"{what}“{value}”不是有效日期，请写成 2024-05-20") from exc


def record_meeting(
    s: Session,
    agency_id: int,
    held_on: dt.date | str,
    *,
    participants: str = "",
    judge_invited: str = "",
    cases_used: list[str] | None = None,
    draft_id: int | None = None,
    measures: str = "",
    minutes: str = "",
    user: str | None = None,
    today: dt.date | None = None,
) -> LessonMeeting:
    agency = _agency(s, agency_id)
    day = _day(held_on, "会议日期")
    if day > (today or dt.date.today()):
        raise MeetingError("会议日期不能晚于今天：请在会议召开后登记")
    if not (cases_used or draft_id):
        raise MeetingError("请填写会上使用的案例（案号）或选择一份汇编")
    m = LessonMeeting(
        agency_id=agency.id,
        year=day.year,
        held_on=day,
        participants=participants.strip() or None,
        judge_invited=judge_invited.strip() or None,
        cases_used=[c.strip() for c in cases_used or [] if c.strip()],
        draft_id=draft_id,
        measures=measures.strip() or None,
        minutes=minutes.strip() or None,
        created_by=user,
    )
    s.add(m)
    s.flush()
    s.add(
        AuditEntry(
            username=user,
            action="meeting_record",
            target=f"agency:{agency.id}",
            detail={"meeting": m.id, "held_on": day.isoformat()},
        )
    )
    return m


def meeting_as_dict(m: LessonMeeting, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": m.id,
        "agency_id": m.agency_id,
        "agency": names.get(m.agency_id, ""),
        "year": m.year,
        "held_on": m.held_on.isoformat(),
        "participants": m.participants or "",
        "judge_invited": m.judge_invited or "",
        "cases_used": list(m.cases_used or []),
        "draft_id": m.draft_id,
        "measures": m.measures or "",
        "minutes": m.minutes or "",
    }


def _names(s: Session) -> dict[int, str]:
    return {aid: name for aid, name in s.execute(select(Agency.id, Agency.name))}


def meetings(
    s: Session, year: int | None = None, agency_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    q = select(LessonMeeting).order_by(LessonMeeting.held_on, LessonMeeting.id)
    if year:
        q = q.where(LessonMeeting.year == year)
    if agency_ids is not None:
        q = q.where(LessonMeeting.agency_id.in_(agency_ids))
    names = _names(s)
    return [meeting_as_dict(m, names) for m in s.scalars(q)]


def due_date(year: int, month_day: str) -> dt.date:
    """The date by which a department's yearly meeting must be held (setting ANJIAN_LESSON_MEETING_DUE, MM-DD)."""
    try:
        month, day = (int(x) for x in month_day.split("-"))
        return dt.date(year, month, day)
    except ValueError as exc:
        raise MeetingError(f"以案促改截止日期设置“{month_day}”无效，应写成 MM-DD，例如 12-31") from exc


def missing(s: Session, year: int, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The supervised departments (名录中“本县单位”) with no meeting held in ``year`` on or before ``as_of``."""
    q = select(LessonMeeting.agency_id).where(LessonMeeting.year == year)
    if as_of:
        q = q.where(LessonMeeting.held_on <= as_of)
    held = set(s.scalars(q))
    ours = s.scalars(select(Agency).where(Agency.ours.is_(True)).order_by(Agency.name))
    return [{"agency_id": a.id, "agency": a.name} for a in ours if a.id not in held]


# ---------------------------------------------------------------- 回头看 (re-check of a measure)


def recheck_measure(
    s: Session,
    measure_id: int,
    *,
    recheck_on: dt.date | str | None = None,
    result: str | None = None,
    user: str | None = None,
    agency_ids: list[int] | None = None,
) -> SuitMeasure:
    """Set the re-check date of a rectification measure, or record what the re-check found."""
    m = s.get(SuitMeasure, measure_id)
    row = s.get(SuitAgency, m.suit_agency_id) if m else None
    if m is None or row is None or (agency_ids is not None and row.agency_id not in agency_ids):
        raise MeetingError(f"没有编号为 {measure_id} 的整改措施")
    if recheck_on:
        m.recheck_on = _day(recheck_on, "回头看日期")
    if result is not None and result.strip():
        m.recheck_result = result.strip()
        m.rechecked_by = user
    if not (recheck_on or (result and result.strip())):
        raise MeetingError("请填写回头看日期或回头看结果")
    s.add(
        AuditEntry(
            username=user,
            action="measure_recheck",
            target=f"suit:{row.suit_id}",
            detail={"measure": m.id, "recheck_on": str(m.recheck_on or ""), "result": m.recheck_result},
        )
    )
    return m


def rechecks_due(s: Session, today: dt.date, agency_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Measures whose re-check date has come and that have no result yet."""
    q = (
        select(SuitMeasure, SuitAgency.agency_id, SuitAgency.suit_id)
        .join(SuitAgency, SuitAgency.id == SuitMeasure.suit_agency_id)
        .where(SuitMeasure.recheck_on.is_not(None), SuitMeasure.recheck_on <= today)
        .where(SuitMeasure.recheck_result.is_(None))
    )
    names = _names(s)
    return [
        {
            "measure_id": m.id,
            "suit_id": suit_id,
            "agency": names.get(aid or 0, ""),
            "text": m.text,
            "recheck_on": m.recheck_on.isoformat() if m.recheck_on else None,
        }
        for m, aid, suit_id in s.execute(q)
        if agency_ids is None or aid in agency_ids
    ]


# ---------------------------------------------------------------- recurrence (同类问题反弹)


def recurrences(s: Session, agency_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Each lost suit whose agency lost an earlier suit on the same cause or the same kind of act: the
    problem came back after the first loss and its rectification."""
    rows = s.execute(
        select(
            Suit.id, Suit.case_no, Suit.decided_on, Suit.action_type, SuitAgency.agency_id, SuitAgency.causes
        )
        .join(SuitAgency, SuitAgency.suit_id == Suit.id)
        .where(Suit.outcome == "agency_lost", Suit.decided_on.is_not(None))
        .order_by(Suit.decided_on, Suit.id)
    ).all()
    names = _names(s)
    seen: dict[int, list[Any]] = {}
    out = []
    for r in rows:
        if r.agency_id is None:
            continue
        earlier = seen.setdefault(r.agency_id, [])
        for e in earlier:
            same_causes = sorted(set(r.causes or []) & set(e.causes or []))
            same_act = r.action_type and r.action_type == e.action_type
            if not (same_causes or same_act):
                continue
            if agency_ids is None or r.agency_id in agency_ids:
                what = [zh_label(LossCause, c) for c in same_causes]
                if same_act:
                    what.append(f"同为{zh_label(ActionType, r.action_type)}")
                out.append(
                    {
                        "suit_id": r.id,
                        "case_no": r.case_no,
                        "decided_on": r.decided_on.isoformat(),
                        "agency_id": r.agency_id,
                        "agency": names.get(r.agency_id, ""),
                        "earlier_suit_id": e.id,
                        "earlier_case_no": e.case_no,
                        "same": what,
                    }
                )
            break
        earlier.append(r)
    return out


def recurrence_of(s: Session, suit_id: int) -> list[dict[str, Any]]:
    return [r for r in recurrences(s) if r["suit_id"] == suit_id]


# ---------------------------------------------------------------- 执法过错责任追究


def record_accountability(
    s: Session,
    agency_id: int,
    case_ref: str,
    fault: str,
    measure: str,
    decided_on: dt.date | str,
    *,
    suit_id: int | None = None,
    user: str | None = None,
) -> AccountabilityCase:
    agency = _agency(s, agency_id)
    if not case_ref.strip() or not fault.strip() or not measure.strip():
        raise MeetingError("请填写案件、认定的过错和追究措施")
    if suit_id is not None and s.get(Suit, suit_id) is None:
        raise MeetingError(f"应诉登记簿中没有编号为 {suit_id} 的案件")
    row = AccountabilityCase(
        agency_id=agency.id,
        suit_id=suit_id,
        case_ref=case_ref.strip()[:300],
        fault=fault.strip(),
        measure=measure.strip(),
        decided_on=_day(decided_on, "追究决定日期"),
        created_by=user,
    )
    s.add(row)
    s.flush()
    s.add(
        AuditEntry(
            username=user, action="accountability_record", target=f"agency:{agency.id}", detail={"id": row.id}
        )
    )
    return row


def accountability(
    s: Session,
    since: dt.date | None = None,
    until: dt.date | None = None,
    agency_ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    q = select(AccountabilityCase).order_by(AccountabilityCase.decided_on, AccountabilityCase.id)
    if since:
        q = q.where(AccountabilityCase.decided_on >= since)
    if until:
        q = q.where(AccountabilityCase.decided_on < until)
    if agency_ids is not None:
        q = q.where(AccountabilityCase.agency_id.in_(agency_ids))
    names = _names(s)
    return [
        {
            "id": a.id,
            "agency_id": a.agency_id,
            "agency": names.get(a.agency_id, ""),
            "case_ref": a.case_ref,
            "fault": a.fault,
            "measure": a.measure,
            "decided_on": a.decided_on.isoformat(),
            "suit_id": a.suit_id,
        }
        for a in s.scalars(q)
    ]
