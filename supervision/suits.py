"""The register of suits: one row per suit through first instance, appeal and retrial.

A suit is keyed by the first instance's court and canonical case number (:func:`suit_key`); an appeal or a
retrial carries its first instance in ``record.first_instance`` (:func:`judgment_suit_key`). A second agency
sued in the same suit joins the row as co-defendant with its own obligations. A judgment stored by anyone
(:func:`on_judgment_stored`) attaches to its suit and advances it; a suit registered without a case number
is only *proposed* for a judgment (:func:`proposals`), a person confirms it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, load_only

from core.db import Database
from core.models import Agency, Judgment, Suit, SuitAgency, SuitDiscussion, SuitJudgment, SuitMeasure
from core.normalize import normalize_case_no, normalize_name
from core.taxonomy import ActionType, Field, LossCause, Outcome

DECIDED = {"agency_lost", "agency_won", "dismissed"}


class SuitStatus(StrEnum):
    pending = "pending"  # 审理中
    decided = "decided"  # 已判决
    withdrawn = "withdrawn"  # 已撤诉
    closed = "closed"  # 已办结

    @property
    def zh(self) -> str:
        return {"pending": "审理中", "decided": "已裁判", "withdrawn": "已撤诉", "closed": "已办结"}[
            self.value
        ]


class SuitError(Exception):
    """Bad input to the register; the message is for the user (Chinese)."""


class SuitNotFound(SuitError):
    pass


@dataclass(frozen=True)
class GoLive:
    """Obligations start only for papers and judgments received on or after ``start`` (None: always)."""

    start: dt.date | None = None

    def counts(self, received: dt.date | None) -> bool:
        return received is not None and (self.start is None or received >= self.start)


# -- keys ---------------------------------------------------------------------------------------------
def suit_key(court: str | None, case_no: str | None) -> str | None:
    """Court + canonical case number of the first instance; None when either is unknown."""
    c = normalize_name(court or "")
    n = normalize_case_no(case_no or "") if case_no else ""
    return f"{c}|{n}" if c and n else None


def first_instance_of(j: Judgment) -> tuple[str | None, str | None]:
    """(court, case number) of the judgment's first instance: its own for a first instance, else
    ``record.first_instance`` (filled by ingest)."""
    if j.procedure in (None, "first", "other") and "行初" in (j.case_no or ""):
        return j.court, j.case_no
    fi = (j.record or {}).get("first_instance") or {}
    if j.procedure in ("appeal", "retrial", "retrial_review") or fi:
        return fi.get("court"), fi.get("case_no")
    return j.court, j.case_no


def judgment_suit_key(j: Judgment) -> str | None:
    return suit_key(*first_instance_of(j))


# -- register -----------------------------------------------------------------------------------------
def _date(v: object, what: str) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip())
    except ValueError as exc:
        raise SuitError(f"{what}应写成 2024-05-20 这样的日期：{v}") from exc


def _note(suit: Suit, what: str, by: str | None, on: dt.date | None = None) -> None:
    suit.history = [
        *(suit.history or []),
        {"on": (on or dt.date.today()).isoformat(), "what": what, "by": by},
    ]


def get_suit(session: Session, suit_id: int) -> Suit:
    suit = session.get(Suit, suit_id)
    if suit is None:
        raise SuitNotFound(f"没有编号为 {suit_id} 的案件")
    return suit


def _agency(session: Session, agency_id: int | None) -> Agency:
    if agency_id is None:
        raise SuitError("请选择被诉单位")
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise SuitError(f"单位名录中没有编号为 {agency_id} 的单位")
    return agency


UNREPORTED = (
    object()
)  # ``reported_on=UNREPORTED``: entered from the court's list, never reported by the agency


@dataclass
class Registered:
    suit: Suit
    defendant: SuitAgency
    joined: bool  # the case number was already registered: this agency joined as co-defendant
    message: str


def register_suit(
    session: Session,
    *,
    papers_received: object,
    plaintiffs: list[str],
    court: str,
    sued_action: str,
    agency_id: int | None,
    case_no: str | None = None,
    action_type: str | None = None,
    field: str | None = None,
    reported_on: object = None,
    by: str | None = None,
    today: dt.date | None = None,
    go_live: GoLive | None = None,
) -> Registered:
    """Register a suit (or join an existing one as co-defendant). ``reported_on`` defaults to today. A
    judgment of the suit stored before it was registered attaches at once (``go_live`` decides whether
    it opens the loss report)."""
    today = today or dt.date.today()
    go_live = go_live or GoLive()
    received = _date(papers_received, "收到应诉材料日期")
    if received is None:
        raise SuitError("请填写收到应诉材料的日期")
    if received > today:
        raise SuitError(f"收到应诉材料日期 {received} 晚于今天，请核对")
    reported = None if reported_on is UNREPORTED else (_date(reported_on, "报备日期") or today)
    if reported is not None and reported < received:
        raise SuitError("报备日期不能早于收到应诉材料的日期")
    court = (court or "").strip()
    if not court:
        raise SuitError("请填写受理法院")
    names = [p.strip() for p in plaintiffs if p and p.strip()]
    if not names:
        raise SuitError("请至少填写一名原告")
    agency = _agency(session, agency_id)
    action_code = _code(ActionType, action_type, "被诉行为类型")
    field_code = _code(Field, field, "行政管理领域")
    key = suit_key(court, case_no)
    suit = session.scalar(select(Suit).where(Suit.key == key)) if key else None
    if key and suit is None:
        other = session.scalar(select(Suit).where(Suit.case_no_norm == normalize_case_no(case_no or "")))
        if other is not None and other.court and normalize_name(other.court) != normalize_name(court):
            raise SuitError(
                f"案号 {case_no} 已由其他单位登记，受理法院为「{other.court}」，与填写的「{court}」不一致，"
                "请核对法院或案号"
            )
        suit = other
    joined = suit is not None
    if suit is None:
        suit = Suit(
            key=key,
            court=court,
            case_no=case_no.strip() if case_no else None,
            case_no_norm=normalize_case_no(case_no) if case_no else None,
            plaintiffs=names,
            sued_action=sued_action.strip() or None,
            action_type=action_code,
            field=field_code,
            status=SuitStatus.pending.value,
            judgment_received_estimated=False,
            withdrawn_after_correction=False,
            history=[],
            created_by=by,
        )
        session.add(suit)
        session.flush()
        _note(suit, f"{agency.name}登记应诉案件", by, today)
    else:
        if any(d.agency_id == agency.id for d in defendants(session, suit)):
            raise SuitError(f"{agency.name}已登记过此案（编号 {suit.id}），无需重复登记")
        if suit.key is None and key:
            suit.key, suit.court = key, court
        _note(suit, f"{agency.name}作为共同被告登记", by, today)
    row = SuitAgency(
        suit_id=suit.id, agency_id=agency.id, papers_received=received, reported_on=reported, causes=[]
    )
    session.add(row)
    session.flush()
    if not joined and key:
        for j in stored_judgments_of(session, case_no or ""):
            if judgment_suit_key(j) == key:
                link_judgment(session, suit, j, by=by, today=today, go_live=go_live, received=None)
    message = (
        f"案号 {suit.case_no} 已登记（编号 {suit.id}），{agency.name}已作为共同被告加入此案"
        if joined
        else f"已登记（编号 {suit.id}）"
    )
    return Registered(suit, row, joined, message)


def stored_judgments_of(session: Session, case_no: str) -> list[Judgment]:
    """Stored judgments of a first-instance case number: the first instance itself, and the appeals and
    retrials whose ``record.first_instance`` names it (a JSON path query, SQLite and PostgreSQL)."""
    norm = normalize_case_no(case_no)
    fi = Judgment.record["first_instance"]["case_no"].as_string()
    q = select(Judgment).where(or_(Judgment.case_no == norm, fi.in_(sorted({norm, case_no.strip()}))))
    return list(session.scalars(q.order_by(Judgment.judgment_date, Judgment.id)))


def _code(enum: Any, value: str | None, what: str) -> str | None:
    if not value:
        return None
    member = enum.parse(value)
    if member is None:
        raise SuitError(f"{what}「{value}」不在分类表中")
    return member.value


def defendants(session: Session, suit: Suit) -> list[SuitAgency]:
    return list(
        session.scalars(select(SuitAgency).where(SuitAgency.suit_id == suit.id).order_by(SuitAgency.id))
    )


def judgments_of(session: Session, suit: Suit) -> list[Judgment]:
    return list(
        session.scalars(
            select(Judgment)
            .join(SuitJudgment, SuitJudgment.judgment_id == Judgment.id)
            .where(SuitJudgment.suit_id == suit.id)
            .order_by(Judgment.judgment_date, Judgment.id)
        )
    )


# -- judgments --------------------------------------------------------------------------------------
def link_judgment(
    session: Session,
    suit: Suit,
    j: Judgment,
    *,
    by: str | None,
    today: dt.date,
    go_live: GoLive,
    received: dt.date | None,
) -> None:
    """Attach a judgment and advance the suit: a decision sets outcome and status; a decision dated on or
    after go-live starts the 5-day clock at ``received`` (or today, marked as estimated)."""
    if session.scalar(select(SuitJudgment).where(SuitJudgment.judgment_id == j.id)) is None:
        session.add(SuitJudgment(suit_id=suit.id, judgment_id=j.id, linked_by=by))
    if suit.case_no is None:
        court, case_no = first_instance_of(j)
        suit.case_no = case_no
        suit.case_no_norm = normalize_case_no(case_no) if case_no else None
        suit.key = suit_key(court or suit.court, case_no)
    suit.action_type = suit.action_type or j.action_type
    suit.field = suit.field or j.field
    label = f"{j.case_no or '（无案号）'}{j.title and '：' + j.title or ''}"
    _note(suit, f"裁判文书入库并关联：{label}", by, today)
    if j.outcome == "withdrawn":
        suit.status, suit.outcome, suit.decided_on = SuitStatus.withdrawn.value, j.outcome, j.judgment_date
        suit.withdrawn_after_correction = bool((j.classification or {}).get("withdrawn_after_correction"))
    elif j.outcome in DECIDED and (suit.decided_on is None or (j.judgment_date or today) >= suit.decided_on):
        suit.status, suit.outcome, suit.decided_on = SuitStatus.decided.value, j.outcome, j.judgment_date
        dated_after = go_live.counts(j.judgment_date) if j.judgment_date else go_live.start is None
        if dated_after:
            suit.judgment_received = received or today
            suit.judgment_received_estimated = received is None
        if j.outcome == "agency_lost" and dated_after:
            _note(suit, "败诉：应于收到判决后 5 个工作日内报送败诉原因分析和整改措施", by, today)
    elif j.outcome == "remanded":
        suit.status = SuitStatus.pending.value
    session.flush()


def on_judgment_stored(
    session: Session,
    judgment_id: int,
    *,
    go_live: GoLive,
    today: dt.date | None = None,
    received: dt.date | None = None,
    by: str | None = None,
) -> Suit | None:
    """A stored judgment opens nothing by itself; it attaches to the registered suit with its key (or, for a
    migrated suit with no court, its unique case number) and advances it. Returns the suit or None."""
    today = today or dt.date.today()
    j = session.get(Judgment, judgment_id)
    if j is None:
        return None
    linked = session.scalar(select(SuitJudgment).where(SuitJudgment.judgment_id == j.id))
    if linked is not None:
        return session.get(Suit, linked.suit_id)
    suit = find_suit_for(session, j)
    if suit is not None:
        link_judgment(session, suit, j, by=by, today=today, go_live=go_live, received=received)
    return suit


def find_suit_for(session: Session, j: Judgment) -> Suit | None:
    court, case_no = first_instance_of(j)
    key = suit_key(court, case_no)
    if key:
        suit = session.scalar(select(Suit).where(Suit.key == key))
        if suit is not None:
            return suit
    if case_no:
        same = list(session.scalars(select(Suit).where(Suit.case_no_norm == normalize_case_no(case_no))))
        if len(same) == 1 and (same[0].key is None or court is None):
            return same[0]
    return None


def proposals(session: Session, agency_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Suits registered without a case number and unlinked judgments of the same court naming one of the
    suit's agencies as defendant and one of its plaintiffs: proposed, never attached until confirmed."""
    from registry.agencies import agency_names

    open_suits = list(
        session.scalars(select(Suit).where(Suit.case_no.is_(None), Suit.status == SuitStatus.pending.value))
    )
    if not open_suits:
        return []
    linked = set(session.scalars(select(SuitJudgment.judgment_id)))
    out = []
    light = load_only(
        Judgment.id,
        Judgment.case_no,
        Judgment.court,
        Judgment.procedure,
        Judgment.defendants,
        Judgment.plaintiffs,
    )
    candidates = [j for j in session.scalars(select(Judgment).options(light)) if j.id not in linked]
    for suit in open_suits:
        agencies = [d.agency_id for d in defendants(session, suit) if d.agency_id is not None]
        if agency_ids is not None and not set(agencies) & set(agency_ids):
            continue
        names = {normalize_name(n) for a in agencies for n in agency_names(session, a)}
        plaintiffs = {normalize_name(p) for p in suit.plaintiffs or []}
        for j in candidates:
            if not plaintiffs & {normalize_name(str(p)) for p in j.plaintiffs or []}:
                continue
            if not names & {normalize_name(str(d)) for d in j.defendants or []}:
                continue
            jc, _cn = first_instance_of(j)
            if normalize_name(jc or j.court or "") != normalize_name(suit.court or ""):
                continue
            out.append(
                {
                    "suit_id": suit.id,
                    "judgment_id": j.id,
                    "case_no": j.case_no,
                    "reason": "同一法院、同一被告单位、同一原告（登记时未填案号），请人工确认",
                }
            )
    return out


def confirm_proposal(
    session: Session, suit_id: int, judgment_id: int, *, go_live: GoLive, by: str | None, today: dt.date
) -> Suit:
    suit = get_suit(session, suit_id)
    j = session.get(Judgment, judgment_id)
    if j is None:
        raise SuitError(f"没有编号为 {judgment_id} 的裁判文书")
    if session.scalar(select(SuitJudgment).where(SuitJudgment.judgment_id == judgment_id)) is not None:
        raise SuitError("该裁判文书已关联到其他案件")
    link_judgment(session, suit, j, by=by, today=today, go_live=go_live, received=None)
    return suit


# -- reports of the agency ------------------------------------------------------------------------------
MEASURE_STATUS = {"planned": "未开始", "doing": "整改中", "done": "已完成"}
DECISIONS = {"correct": "纠正", "maintain": "坚持", "mediate": "协调化解"}


def defendant_row(session: Session, suit: Suit, agency_id: int | None) -> SuitAgency:
    rows = defendants(session, suit)
    for r in rows:
        if agency_id is None and len(rows) == 1 or r.agency_id == agency_id:
            return r
    raise SuitError("该单位不是本案被告，不能报送")


def file_loss_report(
    session: Session,
    suit_id: int,
    *,
    agency_id: int | None,
    causes: list[str],
    analysis: str,
    measures: list[dict[str, Any]],
    reported_on: object = None,
    by: str | None = None,
    today: dt.date | None = None,
) -> SuitAgency:
    """The 5-day report after a loss: causes (taxonomy codes or labels), the analysis, the measures."""
    today = today or dt.date.today()
    suit = get_suit(session, suit_id)
    if suit.outcome != "agency_lost":
        raise SuitError("本案尚无败诉裁判，无需报送败诉原因分析")
    row = defendant_row(session, suit, agency_id)
    on = _date(reported_on, "报送日期") or today
    if on > today:
        raise SuitError(f"报送日期 {on} 晚于今天，请核对")
    if suit.judgment_received and on < suit.judgment_received:
        raise SuitError("报送日期不能早于收到判决的日期")
    codes = []
    for c in causes:
        cause = LossCause.parse(c)
        if cause is None:
            raise SuitError(f"败诉原因「{c}」不在分类表中")
        codes.append(cause.value)
    if not codes and not analysis.strip():
        raise SuitError("请选择败诉原因或填写原因分析")
    if not measures:
        raise SuitError("请至少填写一项整改措施")
    for old in session.scalars(select(SuitMeasure).where(SuitMeasure.suit_agency_id == row.id)):
        session.delete(old)
    for m in measures:
        text = str(m.get("text") or "").strip()
        if not text:
            raise SuitError("整改措施内容不能为空")
        status = str(m.get("status") or "planned")
        if status not in MEASURE_STATUS:
            raise SuitError(f"整改状态只能是 {'、'.join(MEASURE_STATUS.values())}")
        session.add(
            SuitMeasure(
                suit_agency_id=row.id,
                text=text,
                owner=(str(m.get("owner") or "").strip() or None),
                due=_date(m.get("due"), "整改期限"),
                status=status,
            )
        )
    row.causes, row.analysis, row.loss_reported_on = codes, analysis.strip() or None, on
    _note(suit, "报送败诉原因分析和整改措施", by, today)
    session.flush()
    return row


def suggested_causes(session: Session, suit: Suit) -> list[dict[str, Any]]:
    """The classifier's loss-cause tags (with their evidence) of the suit's losing judgments: the prefill."""
    out: dict[str, dict[str, Any]] = {}
    for j in judgments_of(session, suit):
        if j.outcome != "agency_lost":
            continue
        tags = ((j.classification or {}).get("loss_causes")) or []
        for t in tags:
            member = LossCause.parse(str(t.get("cause") or "")) if isinstance(t, dict) else None
            if member and member.value in (j.loss_causes or []) and member.value not in out:
                ev = [e.get("text") for e in t.get("evidence") or [] if isinstance(e, dict)]
                out[member.value] = {"cause": member.value, "cause_zh": member.zh, "evidence": ev[:2]}
        for c in j.loss_causes or []:
            member = LossCause.parse(str(c))
            if member and member.value not in out:
                out[member.value] = {"cause": member.value, "cause_zh": member.zh, "evidence": []}
    return list(out.values())


def record_withdrawal(
    session: Session, suit_id: int, *, after_correction: bool, by: str | None, today: dt.date | None = None
) -> Suit:
    suit = get_suit(session, suit_id)
    suit.status, suit.outcome = SuitStatus.withdrawn.value, Outcome.withdrawn.value
    suit.withdrawn_after_correction = after_correction
    _note(suit, "原告撤诉" + ("（行政机关纠正后撤诉，实质性化解）" if after_correction else ""), by, today)
    session.flush()
    return suit


def attach_stored(db: Database, judgment_ids: list[int], go_live: GoLive, by: str | None = None) -> int:
    """After ingest: every newly stored judgment that belongs to a registered suit attaches to it (the
    callers are the ingest faces: the worker task and ``anjian ingest``). Returns how many attached."""
    n = 0
    with db.session() as s:
        if s.scalar(select(Suit.id).limit(1)) is None:  # no suit registered: nothing can attach
            return 0
        for jid in judgment_ids:
            n += on_judgment_stored(s, jid, go_live=go_live, by=by) is not None
    return n


def add_discussion(
    session: Session,
    suit_id: int,
    *,
    agency_id: int | None,
    held_on: object,
    participants: str,
    decision: str,
    note: str = "",
    by: str | None = None,
    today: dt.date | None = None,
) -> SuitDiscussion:
    """The agency's case discussion of a pending suit (诉中化解): 纠正 / 坚持 / 协调化解."""
    today = today or dt.date.today()
    suit = get_suit(session, suit_id)
    on = _date(held_on, "研判日期")
    if on is None:
        raise SuitError("请填写研判日期")
    if on > today:
        raise SuitError(f"研判日期 {on} 晚于今天，请核对")
    code = next((k for k, v in DECISIONS.items() if decision in (k, v)), None)
    if code is None:
        raise SuitError(f"研判结论只能是 {'、'.join(DECISIONS.values())}")
    row = SuitDiscussion(
        suit_id=suit.id,
        agency_id=agency_id,
        held_on=on,
        participants=participants.strip() or None,
        decision=code,
        note=note.strip() or None,
    )
    session.add(row)
    _note(suit, f"案件研判：{DECISIONS[code]}", by, today)
    session.flush()
    return row


def discussions_of(session: Session, suit_id: int) -> list[dict[str, Any]]:
    return [
        {
            "held_on": d.held_on.isoformat(),
            "participants": d.participants,
            "decision": d.decision,
            "decision_zh": DECISIONS[d.decision],
            "note": d.note,
        }
        for d in session.scalars(
            select(SuitDiscussion).where(SuitDiscussion.suit_id == suit_id).order_by(SuitDiscussion.id)
        )
    ]


def check_judgment_for_suit(
    suit: Suit, *, court: str | None, case_no: str | None, procedure: str | None, first_instance: dict | None
) -> None:
    """Refuse a file for a suit's judgment slot when it is not a decision of this suit (nothing is stored)."""
    if not case_no:
        raise SuitError("上传的文件中没有找到案号，不像是一份裁判文书，未保存")
    fi = first_instance or {}
    fi_court: str | None
    fi_no: str | None
    if procedure in (None, "first", "other") and "行初" in case_no:
        fi_court, fi_no = court, case_no
    else:
        fi_court, fi_no = fi.get("court"), fi.get("case_no")
    if suit.case_no_norm and fi_no and normalize_case_no(fi_no) != suit.case_no_norm:
        raise SuitError(f"上传文书的案号为 {case_no}（一审 {fi_no}），与本案 {suit.case_no} 不符，未保存")
    if suit.case_no_norm and not fi_no and normalize_case_no(case_no) != suit.case_no_norm:
        raise SuitError(f"上传文书的案号为 {case_no}，无法确认属于本案 {suit.case_no}，未保存")
    if suit.court and fi_court and normalize_name(fi_court) != normalize_name(suit.court):
        raise SuitError(f"上传文书的一审法院为「{fi_court}」，与本案「{suit.court}」不符，未保存")
