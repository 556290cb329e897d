"""The agency's desk and the bureau's view of the register of suits (supervision.suits), scoped and audited.

Scope: an agency user sees and files for the suits in which its own agency (its registry id) is a
defendant; bureau staff (admin, analyst) see and act on all; viewers read all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError, Forbidden, NotFound
from api.services.accounts import audit
from core.db import Database
from core.models import Judgment, Suit
from core.settings import Settings
from supervision import attachments as att
from supervision import suits as reg
from supervision.obligations import list_suits, suit_as_dict
from supervision.workdays import WorkCalendar


def calendar(settings: Settings) -> WorkCalendar:
    return WorkCalendar.load([settings.holidays_file, Path(settings.data_dir) / "holidays.csv"])


def go_live(settings: Settings) -> reg.GoLive:
    return reg.GoLive(settings.supervision_start)


def attachments_root(settings: Settings) -> Path:
    return Path(settings.data_dir) / "attachments"


def own_agency(scope: Scope) -> int | None:
    """The registry id of an agency user's agency (None for bureau staff)."""
    if not scope.restricted:
        return None
    try:
        return int(scope.agency_id or "")
    except ValueError as exc:
        raise Forbidden("您的账号未关联到单位名录中的单位，请联系管理员") from exc


def visible_agencies(scope: Scope) -> list[int] | None:
    return None if not scope.restricted else [own_agency(scope) or 0]


def _can_act(scope: Scope) -> None:
    if scope.role.value == "viewer":
        raise Forbidden("只读账号不能登记或报送")


def _suit(s: Session, scope: Scope, suit_id: int) -> Suit:
    suit = s.get(Suit, suit_id)
    mine = visible_agencies(scope)
    if suit is None or (mine is not None and not any(d.agency_id in mine for d in reg.defendants(s, suit))):
        raise NotFound(f"没有编号为 {suit_id} 的案件")
    return suit


def _acting_agency(scope: Scope, agency_id: int | None) -> int | None:
    own = own_agency(scope)
    if own is not None:
        if agency_id is not None and agency_id != own:
            raise Forbidden("单位账号只能为本单位登记或报送")
        return own
    return agency_id


def detail(
    s: Session, settings: Settings, scope: Scope, suit: Suit, today: dt.date | None = None
) -> dict[str, Any]:
    d = suit_as_dict(
        s, suit, reg.defendants(s, suit), calendar(settings), today or dt.date.today(), go_live(settings)
    )
    d["attachments"] = att.attachments_of(s, suit.id)
    d["discussions"] = reg.discussions_of(s, suit.id)
    d["suggested_causes"] = reg.suggested_causes(s, suit)
    return d


def register(
    s: Session, settings: Settings, scope: Scope, body: dict[str, Any], ip: str | None = None
) -> dict[str, Any]:
    _can_act(scope)
    agency_id = _acting_agency(scope, body.get("agency_id"))
    r = reg.register_suit(
        s,
        papers_received=body.get("papers_received"),
        plaintiffs=list(body.get("plaintiffs") or []),
        court=body.get("court") or "",
        sued_action=body.get("sued_action") or "",
        agency_id=agency_id,
        case_no=body.get("case_no") or None,
        reported_on=body.get("reported_on"),
        action_type=body.get("action_type"),
        field=body.get("field"),
        by=scope.username,
        go_live=go_live(settings),
    )
    audit(s, "suit_register", user=scope.username, target=str(r.suit.id), ip=ip, detail={"joined": r.joined})
    d = detail(s, settings, scope, r.suit)
    mine = next(a for a in d["agencies"] if a["agency_id"] == r.defendant.agency_id)
    d["report_due"] = mine["report_due"]
    d["report_on_time"] = mine["report_on_time"]
    d["joined"] = r.joined
    d["message"] = r.message + (f"；应于 {mine['report_due']} 前报备" if mine["report_due"] else "")
    return d


def listing(
    s: Session,
    settings: Settings,
    scope: Scope,
    *,
    status: str | None = None,
    agency_id: int | None = None,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    ids = visible_agencies(scope)
    if agency_id is not None:
        if ids is not None and agency_id not in ids:
            return []
        ids = [agency_id]
    return list_suits(
        s,
        calendar(settings),
        dt.date.today(),
        go_live(settings),
        agency_ids=ids,
        status=status,
        overdue_only=overdue_only,
    )


def one(s: Session, settings: Settings, scope: Scope, suit_id: int) -> dict[str, Any]:
    return detail(s, settings, scope, _suit(s, scope, suit_id))


def loss_report(
    s: Session, settings: Settings, scope: Scope, suit_id: int, body: dict[str, Any], ip: str | None = None
) -> dict[str, Any]:
    _can_act(scope)
    suit = _suit(s, scope, suit_id)
    agency_id = _acting_agency(scope, body.get("agency_id"))
    reg.file_loss_report(
        s,
        suit.id,
        agency_id=agency_id,
        causes=list(body.get("causes") or []),
        analysis=body.get("analysis") or "",
        measures=list(body.get("measures") or []),
        reported_on=body.get("reported_on"),
        by=scope.username,
    )
    audit(
        s,
        "suit_loss_report",
        user=scope.username,
        target=str(suit.id),
        ip=ip,
        detail={"agency_id": agency_id},
    )
    return detail(s, settings, scope, suit)


def discussion(
    s: Session, settings: Settings, scope: Scope, suit_id: int, body: dict[str, Any], ip: str | None = None
) -> dict[str, Any]:
    _can_act(scope)
    suit = _suit(s, scope, suit_id)
    reg.add_discussion(
        s,
        suit.id,
        agency_id=_acting_agency(scope, body.get("agency_id")),
        held_on=body.get("held_on"),
        participants=body.get("participants") or "",
        decision=body.get("decision") or "",
        note=body.get("note") or "",
        by=scope.username,
    )
    audit(s, "suit_discussion", user=scope.username, target=str(suit.id), ip=ip)
    return detail(s, settings, scope, suit)


def withdraw(
    s: Session, settings: Settings, scope: Scope, suit_id: int, after_correction: bool, ip: str | None = None
) -> dict[str, Any]:
    _can_act(scope)
    suit = _suit(s, scope, suit_id)
    reg.record_withdrawal(s, suit.id, after_correction=after_correction, by=scope.username)
    audit(s, "suit_withdrawn", user=scope.username, target=str(suit.id), ip=ip)
    return detail(s, settings, scope, suit)


def add_attachment(
    s: Session,
    settings: Settings,
    scope: Scope,
    suit_id: int,
    filename: str,
    data: bytes,
    ip: str | None = None,
) -> dict[str, Any]:
    _can_act(scope)
    suit = _suit(s, scope, suit_id)
    row = att.add_attachment(
        s,
        attachments_root(settings),
        suit.id,
        filename,
        data,
        max_mb=settings.attachment_max_mb,
        agency_id=own_agency(scope),
        by=scope.username,
    )
    audit(
        s, "suit_attachment", user=scope.username, target=str(suit.id), ip=ip, detail={"file": row.filename}
    )
    return {"id": row.id, "filename": row.filename, "size": row.size}


def attachment_path(
    s: Session, settings: Settings, scope: Scope, suit_id: int, attachment_id: int
) -> tuple[str, Path]:
    suit = _suit(s, scope, suit_id)
    try:
        a, path = att.attachment_file(s, attachments_root(settings), suit.id, attachment_id)
    except reg.SuitError as exc:
        raise NotFound(str(exc)) from exc
    return a.filename, path


def upload_judgment(
    db: Database,
    settings: Settings,
    scope: Scope,
    suit_id: int,
    filename: str,
    data: bytes,
    received: str | None,
    ip: str | None = None,
) -> dict[str, Any]:
    """The judgment slot: the file is read first; a file that is not a decision of this suit is refused and
    nothing is stored. Agency users may upload the judgments of their own suits (scoped, audited)."""
    from ingest.errors import Rejected
    from pipeline.process import IngestResult, Pipeline

    _can_act(scope)
    today = dt.date.today()
    with db.session() as s:
        suit = _suit(s, scope, suit_id)
        on = reg._date(received, "收到判决日期")
        first_papers = min(
            (d.papers_received for d in reg.defendants(s, suit) if d.papers_received), default=None
        )
        if on and on > today:
            raise ApiError(f"收到判决日期 {on} 晚于今天，请核对", code="suit")
        if on and first_papers and on < first_papers:
            raise ApiError("收到判决日期早于收到应诉材料的日期，请核对", code="suit")
    if len(data) > settings.max_file_mb * 1024 * 1024:
        raise ApiError(f"文件超过 {settings.max_file_mb} MB 的大小限制", code="too_large")
    pipeline = Pipeline(db, settings)
    try:
        analysed = pipeline.analyse(data, filename)
    except Rejected as exc:
        raise ApiError(
            f"无法作为裁判文书读取：{getattr(exc, 'message', exc)}，未保存", code="suit_not_judgment"
        ) from exc
    rec = analysed.record
    if rec.doc_kind is None or rec.doc_kind.value not in ("judgment", "ruling", "mediation"):
        raise ApiError("上传的文件不是判决书、裁定书或调解书，未保存", code="suit_not_judgment")
    with db.session() as s:
        suit = _suit(s, scope, suit_id)
        reg.check_judgment_for_suit(
            suit,
            court=rec.court,
            case_no=rec.case_no,
            procedure=rec.procedure.value if rec.procedure else None,
            first_instance=rec.first_instance.model_dump() if rec.first_instance else None,
        )
    received_file = pipeline.receive(data, filename)
    result = (
        received_file if isinstance(received_file, IngestResult) else pipeline.commit(received_file, analysed)
    )
    if result.judgment_id is None:
        raise ApiError(result.message or "文书未能保存", code="suit_not_judgment")
    with db.session() as s:
        suit = _suit(s, scope, suit_id)
        j = s.get(Judgment, result.judgment_id)
        assert j is not None
        reg.link_judgment(s, suit, j, by=scope.username, today=today, go_live=go_live(settings), received=on)
        audit(
            s,
            "suit_judgment",
            user=scope.username,
            target=str(suit.id),
            ip=ip,
            detail={"judgment_id": j.id, "file": filename},
        )
        return detail(s, settings, scope, suit)


# -- reminders ---------------------------------------------------------------------------------------
def delivery(settings: Settings) -> Any:
    from supervision.reminders import delivery_for

    return delivery_for(settings)


def reminders(s: Session, settings: Settings, user: Any) -> dict[str, Any]:
    from supervision.reminders import in_app, prefs_of

    items = in_app(s, user, calendar(settings), dt.date.today(), go_live(settings))
    return {
        "items": items,
        "due": sum(1 for i in items if i["state"] == "open"),
        "late": sum(1 for i in items if i["state"] == "late"),
        "settings": prefs_of(s, user),
        "email_available": settings.smtp_host is not None,
    }


def set_reminder_settings(s: Session, user: Any, body: dict[str, Any]) -> dict[str, Any]:
    from supervision.reminders import prefs_of, set_prefs

    set_prefs(
        s,
        user,
        email=body.get("email"),
        email_on=bool(body.get("email_on")),
        webhook_url=body.get("webhook_url"),
        webhook_on=bool(body.get("webhook_on")),
    )
    return prefs_of(s, user)


# -- the bureau's lists --------------------------------------------------------------------------------
def similar_fn(settings: Settings) -> Any:
    """The search backend's ``similar`` behind one function (judgment id, n) → ids."""
    from search import open_backend

    def similar(judgment_id: int, n: int) -> list[int]:
        return [h.id for h in open_backend(settings).similar(judgment_id, size=n).hits if h.id != judgment_id]

    return similar


def review(s: Session, settings: Settings, scope: Scope) -> list[dict[str, Any]]:
    from supervision.review import RiskRule
    from supervision.review import review as run

    rule = RiskRule.parse(settings.risk_rule)
    return run(
        s,
        calendar(settings),
        dt.date.today(),
        rule,
        agency_ids=visible_agencies(scope),
        similar=similar_fn(settings),
    )


def _bureau(scope: Scope) -> None:
    if scope.role.value not in ("admin", "analyst"):
        raise Forbidden("仅司法局工作人员（管理员、分析员）可以进行此操作")


def unreported(s: Session, settings: Settings, scope: Scope) -> list[dict[str, Any]]:
    from supervision.reconcile import unreported_judgments

    return unreported_judgments(s, go_live(settings), agency_ids=visible_agencies(scope))


def proposals(s: Session, scope: Scope) -> list[dict[str, Any]]:
    return reg.proposals(s, agency_ids=visible_agencies(scope))


def confirm(
    s: Session, settings: Settings, scope: Scope, suit_id: int, judgment_id: int, ip: str | None = None
) -> dict[str, Any]:
    _can_act(scope)
    suit = _suit(s, scope, suit_id)
    if not any(p["judgment_id"] == judgment_id and p["suit_id"] == suit_id for p in proposals(s, scope)):
        raise ApiError("这份裁判文书不在本案的待确认关联中", code="suit")
    reg.confirm_proposal(
        s, suit.id, judgment_id, go_live=go_live(settings), by=scope.username, today=dt.date.today()
    )
    audit(
        s,
        "suit_confirm",
        user=scope.username,
        target=str(suit.id),
        ip=ip,
        detail={"judgment_id": judgment_id},
    )
    return detail(s, settings, scope, suit)


def reconcile(
    s: Session, scope: Scope, filename: str, data: bytes, *, register_missing: bool = False
) -> dict[str, Any]:
    import tempfile

    from registry.agencies import read_table_file
    from supervision.reconcile import reconcile as run

    _bureau(scope)
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ApiError("法院案件名单须为 .csv 或 .xlsx 文件", code="suit")
    with tempfile.TemporaryDirectory(prefix="anjian-court-") as tmp:
        path = Path(tmp) / f"list{suffix}"
        path.write_bytes(data)
        rows = read_table_file(path)
    lists: dict[str, Any] = run(s, rows)
    if register_missing:
        from supervision.reconcile import register_missing as back_fill

        lists["registered_missing"] = back_fill(s, lists["never_reported"], by=scope.username)
    return lists
