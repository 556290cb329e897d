"""The editor's pass before export (issue 17): a collection is a draft kept in the database — cases chosen
and ordered, each case's title, facts, result, reasoning excerpt, lesson and 典型意义 editable, the
de-identified text previewed exactly as it prints, every change audited, export blocked while the last
de-identification pass has a finding the reviewer has not answered (mask or keep).

Service functions over a Session; the API, the pages and ``anjian draft`` call them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEntry, CollectionDraft, DraftCase
from reports.collection import (
    CollectionFilter,
    CollectionResult,
    Entry,
    collection_entries,
    make_collection,
)
from reports.deidentify import Finding, apply_masks, mask_name, residual_persons
from reports.officialdoc import RenderError

EDITABLE = {
    "title": "标题",
    "summary": "基本案情",
    "result": "裁判结果",
    "excerpt": "裁判理由摘录",
    "lesson": "警示",
    "significance": "典型意义",
}
MAX_TEXT = 4000


class DraftError(Exception):
    """Bad input to a draft; the message is for the user (Chinese)."""


class DraftNotFound(DraftError):
    pass


class DraftBlocked(RenderError):
    """Export refused: the last pass found names nobody has answered yet."""

    def __init__(self, pending: list[tuple[int, Finding]]):
        self.pending = pending
        names = "、".join(dict.fromkeys(f"「{f.name}」" for _, f in pending))
        super().__init__(
            f"还有 {len(pending)} 处疑似未隐名的姓名需要确认（{names}）：请逐条选择“隐名”或“保留”后再导出"
        )


def _audit(s: Session, user: str | None, action: str, draft_id: int, detail: dict[str, Any]) -> None:
    s.add(AuditEntry(username=user, action=action, target=f"draft:{draft_id}", detail=detail))


def _to_entry(data: dict[str, Any]) -> Entry:
    d = dict(data)
    d["reasons"] = [tuple(x) for x in d.get("reasons") or []]
    d["findings"] = []
    known = {f.name for f in dataclasses.fields(Entry)}
    return Entry(**{k: v for k, v in d.items() if k in known})


def _built(e: Entry) -> dict[str, Any]:
    d = dataclasses.asdict(e)
    d.pop("findings", None)
    return d


def get_draft(s: Session, draft_id: int) -> CollectionDraft:
    d = s.get(CollectionDraft, draft_id)
    if d is None:
        raise DraftNotFound(f"汇编草稿 {draft_id} 不存在")
    return d


def cases_of(s: Session, draft_id: int) -> list[DraftCase]:
    return list(
        s.scalars(
            select(DraftCase).where(DraftCase.draft_id == draft_id).order_by(DraftCase.position, DraftCase.id)
        )
    )


def create_draft(s: Session, title: str, judgment_ids: list[int], user: str | None = None) -> CollectionDraft:
    """A draft from chosen judgments (one case per suit: an appeal and its first instance are one)."""
    title = (title or "").strip() or "行政机关败诉典型案例汇编"
    draft = CollectionDraft(title=title[:200], created_by=user)
    s.add(draft)
    s.flush()
    if judgment_ids:
        add_cases(s, draft.id, judgment_ids, user)
    _audit(s, user, "draft_create", draft.id, {"title": title, "ids": judgment_ids})
    return draft


def add_cases(s: Session, draft_id: int, judgment_ids: list[int], user: str | None = None) -> int:
    get_draft(s, draft_id)
    have = {i for c in cases_of(s, draft_id) for i in c.judgment_ids}
    wanted = [i for i in dict.fromkeys(judgment_ids) if i not in have]
    if not wanted:
        return 0
    entries = collection_entries(s, CollectionFilter(judgment_ids=wanted))
    start = len(cases_of(s, draft_id))
    for k, e in enumerate(entries):
        s.add(DraftCase(draft_id=draft_id, position=start + k, judgment_ids=e.judgment_ids, built=_built(e)))
    s.flush()
    _audit(s, user, "draft_add", draft_id, {"ids": wanted, "cases": len(entries)})
    return len(entries)


def _case(s: Session, draft_id: int, case_id: int) -> DraftCase:
    c = s.get(DraftCase, case_id)
    if c is None or c.draft_id != draft_id:
        raise DraftNotFound(f"草稿 {draft_id} 中没有案例 {case_id}")
    return c


def remove_case(s: Session, draft_id: int, case_id: int, user: str | None = None) -> None:
    c = _case(s, draft_id, case_id)
    _audit(s, user, "draft_remove", draft_id, {"case": case_id, "title": (c.built or {}).get("title")})
    s.delete(c)
    s.flush()
    reorder(s, draft_id, [x.id for x in cases_of(s, draft_id)], None)


def reorder(s: Session, draft_id: int, case_ids: list[int], user: str | None = None) -> None:
    """New order: the given case ids first, in that order; cases not named keep their order after them."""
    cases = cases_of(s, draft_id)
    by_id = {c.id: c for c in cases}
    unknown = [i for i in case_ids if i not in by_id]
    if unknown:
        raise DraftError(f"草稿中没有这些案例：{'、'.join(map(str, unknown))}")
    order = list(dict.fromkeys(case_ids)) + [c.id for c in cases if c.id not in case_ids]
    for pos, cid in enumerate(order):
        by_id[cid].position = pos
    if user is not None:
        _audit(s, user, "draft_order", draft_id, {"order": order})


def edit_case(
    s: Session, draft_id: int, case_id: int, field: str, text: str, user: str | None = None
) -> None:
    """Rewrite one field of a case (an empty text goes back to the generated one). Audited: old and new."""
    if field not in EDITABLE:
        raise DraftError(f"不能修改“{field}”：可修改 {'、'.join(EDITABLE.values())}")
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise DraftError(f"{EDITABLE[field]}不能超过 {MAX_TEXT} 字")
    c = _case(s, draft_id, case_id)
    old = entry_text(c, field)
    edits = dict(c.edits or {})
    if text:
        edits[field] = text
    else:
        edits.pop(field, None)
    c.edits = edits
    _audit(s, user, "draft_edit", draft_id, {"case": case_id, "field": field, "old": old, "new": text})


def entry_text(c: DraftCase, field: str) -> str:
    if field in (c.edits or {}):
        return str(c.edits[field])
    b = c.built or {}
    if field == "excerpt":
        return "".join(q for _, q in b.get("reasons") or [])
    return str(b.get(field) or "")


def resolve(s: Session, draft_id: int, case_id: int, name: str, action: str, user: str | None = None) -> None:
    """The reviewer's answer to a finding of the last pass: mask it (张某) or keep it as written."""
    if action not in ("mask", "keep"):
        raise DraftError("请选择“隐名”或“保留”")
    c = _case(s, draft_id, case_id)
    c.resolved = {**(c.resolved or {}), name: action}
    _audit(s, user, "draft_resolve", draft_id, {"case": case_id, "name": name, "action": action})


def entry_of(c: DraftCase) -> tuple[Entry, list[Finding]]:
    """The case as it prints (edits applied, the case's masks and the reviewer's answers applied) and the
    findings of the last pass nobody has answered yet."""
    e = _to_entry(c.built or {})
    masks = dict(e.masks)
    for field, text in (c.edits or {}).items():
        if field == "excerpt":
            labels = "、".join(label for label, _ in e.reasons) or "败诉原因"
            e.reasons = [(labels, apply_masks(text, masks))]
        else:
            setattr(e, field, apply_masks(text, masks))
    resolved = c.resolved or {}
    keep = {n for n, a in resolved.items() if a == "keep"}
    found = residual_persons("\n".join([e.title, *e.paragraphs()]), keep)
    extra = {f.name: mask_name(f.name) for f in found if resolved.get(f.name) == "mask"}
    extra |= {n: mask_name(n) for n, a in resolved.items() if a == "mask"}
    if extra:
        for field in ("title", "summary", "result", "lesson", "significance"):
            setattr(e, field, apply_masks(getattr(e, field), extra))
        e.reasons = [(label, apply_masks(q, extra)) for label, q in e.reasons]
    pending = [f for f in found if f.name not in resolved]
    e.findings = []
    return e, pending


def preview(s: Session, draft_id: int) -> dict[str, Any]:
    d = get_draft(s, draft_id)
    cases: list[dict[str, Any]] = []
    for c in cases_of(s, draft_id):
        e, pending = entry_of(c)
        cases.append(
            {
                "id": c.id,
                "position": c.position,
                "title": e.title,
                "case_nos": e.case_nos,
                "cause": e.cause,
                "paragraphs": e.paragraphs(),
                "fields": {f: entry_text(c, f) for f in EDITABLE},
                "edited": sorted(c.edits or {}),
                "pending": [{"name": f.name, "context": f.context} for f in pending],
                "resolved": dict(c.resolved or {}),
            }
        )
    return {
        "id": d.id,
        "title": d.title,
        "created_by": d.created_by,
        "exported_at": d.exported_at.isoformat() if d.exported_at else None,
        "cases": cases,
        "pending": sum(len(c["pending"]) for c in cases),
    }


def list_drafts(s: Session) -> list[dict[str, Any]]:
    rows = s.scalars(select(CollectionDraft).order_by(CollectionDraft.id.desc())).all()
    return [
        {
            "id": d.id,
            "title": d.title,
            "created_by": d.created_by,
            "cases": len(cases_of(s, d.id)),
            "exported_at": d.exported_at.isoformat() if d.exported_at else None,
        }
        for d in rows
    ]


def rename(s: Session, draft_id: int, title: str, user: str | None = None) -> None:
    d = get_draft(s, draft_id)
    title = (title or "").strip()
    if not title:
        raise DraftError("请填写汇编标题")
    _audit(s, user, "draft_edit", draft_id, {"field": "draft_title", "old": d.title, "new": title[:200]})
    d.title = title[:200]


def export(
    s: Session,
    settings: object,
    draft_id: int,
    out: Path,
    user: str | None = None,
    today: dt.date | None = None,
) -> CollectionResult:
    """DOCX or PDF of the draft as previewed; refused while a finding is unanswered."""
    d = get_draft(s, draft_id)
    cases = cases_of(s, draft_id)
    if not cases:
        raise DraftError("草稿中还没有案例")
    entries, pending = [], []
    for c in cases:
        e, p = entry_of(c)
        entries.append(e)
        pending += [(c.id, f) for f in p]
    if pending:
        raise DraftBlocked(pending)
    result = make_collection(
        s,
        settings,
        CollectionFilter(judgment_ids=[i for e in entries for i in e.judgment_ids]),
        out,
        title=d.title,
        today=today,
        entries=entries,
    )
    d.exported_at = dt.datetime.now(dt.UTC)
    _audit(s, user, "draft_export", draft_id, {"format": out.suffix.lstrip("."), "cases": result.cases})
    return result
