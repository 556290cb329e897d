"""The court's quarterly case list as a reconciliation with the register, and the decided judgments no agency
reported (未报备).

Three lists from the court's list (CSV/XLSX, the ledger's headers: 案号, 法院, 被告, 原告, 立案日期, 结案日期,
结果): in the court's list but never reported; reported but not in the court's list; decided but judgment
not received. ``register_rows`` exports the register in the same columns back to the court.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from core.models import Agency, Judgment, Suit, SuitJudgment
from core.normalize import normalize_case_no, normalize_name
from registry.agencies import RegistryError, RegistryIndex, agency_names
from supervision.ledger import parse_date, parse_outcome
from supervision.suits import DECIDED, GoLive, SuitStatus, defendants, first_instance_of

COLUMNS = ["案号", "法院", "被告", "原告", "立案日期", "结案日期", "结果"]
HEADERS = {
    "case_no": ("案号", "案件编号", "一审案号"),
    "court": ("法院", "受理法院", "审理法院"),
    "agency": ("被告", "被告单位", "单位", "应诉单位", "行政机关", "被诉行政机关"),
    "plaintiff": ("原告", "起诉人", "当事人"),
    "filed": ("立案日期", "收案日期", "收案时间"),
    "concluded": ("结案日期", "裁判日期", "判决日期", "结案时间"),
    "outcome": ("结果", "裁判结果", "结案结果", "胜败诉"),
}


def _pick(row: dict[str, str], key: str) -> str:
    for h in HEADERS[key]:
        if row.get(h):
            return str(row[h]).strip()
    return ""


def reconcile(session: Session, rows: Iterable[dict[str, str]]) -> dict[str, list[dict[str, Any]]]:
    index = RegistryIndex.load(session)
    names = {a.id: a.name for a in session.scalars(select(Agency))}
    suits = list(session.scalars(select(Suit)))
    by_no = {s.case_no_norm: s for s in suits if s.case_no_norm}
    linked = set(session.scalars(select(SuitJudgment.suit_id)))
    seen: set[str] = set()
    never, not_received = [], []
    for i, row in enumerate(rows, start=2):
        case_no = _pick(row, "case_no")
        if not case_no:
            continue
        norm = normalize_case_no(case_no)
        seen.add(norm)
        try:
            concluded = parse_date(_pick(row, "concluded"))
        except RegistryError as exc:
            raise RegistryError(f"法院名单第 {i} 行：{exc}") from exc
        outcome = parse_outcome(_pick(row, "outcome"))
        agency_text = _pick(row, "agency")
        m = index.match(agency_text) if agency_text else None
        item = {
            "case_no": case_no,
            "court": _pick(row, "court"),
            "agency": names.get(m.agency_id) if m and m.agency_id else agency_text,
            "agency_id": m.agency_id if m else None,
            "plaintiff": _pick(row, "plaintiff"),
            "filed": _pick(row, "filed"),
            "concluded": concluded.isoformat() if concluded else "",
            "outcome": outcome,
        }
        suit = by_no.get(norm)
        if suit is None:
            never.append({**item, "problem": "法院名单中有此案，单位未报备"})
            continue
        reported = {d.agency_id for d in defendants(session, suit)}
        if m and m.agency_id and m.agency_id not in reported:
            never.append({**item, "suit_id": suit.id, "problem": "此单位未作为被告报备（其他被告已报备）"})
        if (concluded or (outcome and outcome in DECIDED | {"withdrawn"})) and suit.id not in linked:
            not_received.append({**item, "suit_id": suit.id, "problem": "法院已结案，尚未收到裁判文书"})
    not_in_court = [
        {
            "suit_id": s.id,
            "case_no": s.case_no,
            "court": s.court,
            "agency": "、".join(names.get(d.agency_id or 0, "") for d in defendants(session, s)),
            "problem": "单位已报备，法院名单中没有此案",
        }
        for s in suits
        if s.case_no_norm and s.case_no_norm not in seen
    ]
    return {"never_reported": never, "not_in_court_list": not_in_court, "judgment_not_received": not_received}


def register_rows(session: Session) -> list[list[str]]:
    """The register in the court list's columns (for sending back to the court)."""
    names = {a.id: a.name for a in session.scalars(select(Agency))}
    out = []
    for s in session.scalars(select(Suit).order_by(Suit.id)):
        rows = defendants(session, s)
        filed = min((r.papers_received for r in rows if r.papers_received), default=None)
        out.append(
            [
                s.case_no or "",
                s.court or "",
                "、".join(names.get(r.agency_id or 0, "") for r in rows),
                "、".join(s.plaintiffs or []),
                filed.isoformat() if filed else "",
                s.decided_on.isoformat() if s.decided_on else "",
                SuitStatus(s.status).zh if not s.outcome else _outcome_zh(s.outcome),
            ]
        )
    return out


def _outcome_zh(code: str) -> str:
    from core.taxonomy import Outcome

    member = Outcome.parse(code)
    return member.zh if member else code


def unreported_judgments(
    session: Session, go_live: GoLive, *, agency_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Decided judgments dated on or after go-live that belong to no registered suit while a defendant is in
    the registry: the suits nobody reported (未报备)."""
    linked = set(session.scalars(select(SuitJudgment.judgment_id)))
    keys: dict[str, int] = {}
    ids = agency_ids if agency_ids is not None else list(session.scalars(select(Agency.id)))
    for aid in ids:
        for n in agency_names(session, aid):
            keys.setdefault(normalize_name(n), aid)
    reported_by_no = {
        s.case_no_norm: {d.agency_id for d in defendants(session, s)}
        for s in session.scalars(select(Suit).where(Suit.case_no_norm.is_not(None)))
    }
    out = []
    light = load_only(
        Judgment.id,
        Judgment.case_no,
        Judgment.court,
        Judgment.procedure,
        Judgment.judgment_date,
        Judgment.outcome,
        Judgment.defendants,
    )
    q = (
        select(Judgment)
        .options(light)
        .where(Judgment.outcome.in_(DECIDED | {"withdrawn"}))
        .order_by(Judgment.judgment_date)
    )
    for j in session.scalars(q):
        if j.id in linked or not (
            j.judgment_date and (go_live.start is None or j.judgment_date >= go_live.start)
        ):
            continue
        agencies = {keys[k] for k in (normalize_name(str(d)) for d in j.defendants or []) if k in keys}
        if not agencies:
            continue
        _, fi_no = first_instance_of(j)
        if fi_no and agencies <= reported_by_no.get(normalize_case_no(fi_no), set()):
            continue
        out.append(
            {
                "judgment_id": j.id,
                "case_no": j.case_no,
                "court": j.court,
                "judgment_date": j.judgment_date.isoformat(),
                "outcome": j.outcome,
                "agency_ids": sorted(agencies),
                "defendants": j.defendants or [],
                "problem": "已有裁判文书，单位未报备此案",
            }
        )
    return out


def register_missing(session: Session, never_reported: list[dict[str, Any]], *, by: str | None) -> int:
    """Enter the court's suits that no agency reported into the register as *not reported* (papers taken as
    received on the court's filing date), so that they show as late in the lists and the bulletin."""
    from supervision.suits import UNREPORTED, SuitError, register_suit

    n = 0
    for row in never_reported:
        if not row.get("agency_id") or not row.get("filed") or not row.get("court"):
            continue
        try:
            with session.begin_nested():
                r = register_suit(
                    session,
                    papers_received=parse_date(row["filed"]),
                    plaintiffs=[p for p in str(row.get("plaintiff") or "（法院名单未列）").split("、") if p],
                    court=row["court"],
                    sued_action="（法院名单补录）",
                    agency_id=row["agency_id"],
                    case_no=row["case_no"],
                    reported_on=UNREPORTED,
                    by=by,
                )
                r.suit.history = [
                    *r.suit.history,
                    {"on": None, "what": "据法院案件名单补录，单位未报备", "by": by},
                ]
            n += 1
        except SuitError:
            continue
    return n
