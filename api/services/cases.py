"""Case use cases: the detail of one judgment (sections, fields, tags with evidence), corrections,
original files and page images, similar cases. Every function checks the caller's scope."""

from __future__ import annotations

import html
import io
import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Scope, can_see
from api.errors import Forbidden, NotFound
from api.services.accounts import audit
from core.db import Database
from core.models import Document, Judgment
from core.settings import Settings
from core.store import add_correction, effective_classification, judgment_as_json
from core.taxonomy import (
    ActionType,
    DocKind,
    Field,
    LossCause,
    Outcome,
    Procedure,
    ReconsiderationOutcome,
    SectionName,
)
from pipeline.indexing import index_judgments
from search import open_backend

log = logging.getLogger(__name__)


def zh(enum: Any, code: str | None) -> str | None:
    if not code:
        return None
    member = enum.parse(code)
    return member.zh if member is not None else code


def get_visible(s: Session, scope: Scope, judgment_id: int) -> Judgment:
    """The judgment, or NotFound — also when it exists but is outside the caller's agency."""
    judgment = s.get(Judgment, judgment_id)
    if judgment is None or not can_see(scope, judgment):
        raise NotFound(f"找不到编号为 {judgment_id} 的案件")
    return judgment


_GENERIC_TITLE = re.compile(r"^行\s*政\s*(判\s*决|裁\s*定|调\s*解|决\s*定)\s*书$")


def display_title(j: Judgment) -> str:
    """A title that tells cases apart: 'plaintiff诉defendant' when the document's own title is generic."""
    title = (j.title or "").strip()
    if title and not _GENERIC_TITLE.match(title):
        return title
    parties = "、".join((j.plaintiffs or [])[:1]) + ("等" if len(j.plaintiffs or []) > 1 else "")
    against = "、".join((j.defendants or [])[:1]) + ("等" if len(j.defendants or []) > 1 else "")
    kind = zh(DocKind, j.doc_kind) or "文书"
    if parties and against:
        return f"{parties}诉{against}（{zh(Procedure, j.procedure) or ''}{kind}）"
    return title or j.case_no or f"案件 {j.id}"


def summary(j: Judgment) -> dict[str, Any]:
    return {
        "id": j.id,
        "case_no": j.case_no,
        "title": j.title,
        "display_title": display_title(j),
        "court": j.court,
        "judgment_date": j.judgment_date.isoformat() if j.judgment_date else None,
        "procedure": j.procedure,
        "procedure_zh": zh(Procedure, j.procedure),
        "outcome": j.outcome,
        "outcome_zh": zh(Outcome, j.outcome),
        "action_type": j.action_type,
        "action_type_zh": zh(ActionType, j.action_type),
        "field": j.field,
        "field_zh": zh(Field, j.field),
        "loss_causes": list(j.loss_causes or []),
        "loss_causes_zh": [zh(LossCause, c) for c in (j.loss_causes or [])],
        "defendants": list(j.defendants or []),
        "plaintiffs": list(j.plaintiffs or []),
    }


def _marked(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> str:
    """HTML of text[start:end] with the evidence spans (clipped, non-overlapping) wrapped in <mark>."""
    out, pos = [], start
    for a, b, cause in sorted(spans):
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        out.append(html.escape(text[pos:a]))
        label = html.escape(zh(LossCause, cause) or cause)
        out.append(
            f'<mark class="evidence" data-cause="{html.escape(cause)}" title="证据：{label}">'
            f"{html.escape(text[a:b])}</mark>"
        )
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def evidence_spans(tags: dict[str, Any], text: str) -> list[tuple[int, int, str]]:
    spans = []
    for tag in tags.get("loss_causes", []):
        for ev in tag.get("evidence", []):
            a, b = int(ev.get("start", -1)), int(ev.get("end", -1))
            if 0 <= a < b <= len(text):
                spans.append((a, b, tag["cause"]))
    return spans


def sections_html(record: dict[str, Any], tags: dict[str, Any]) -> list[dict[str, str]]:
    text = record.get("text") or ""
    spans = evidence_spans(tags, text)
    sections = sorted(record.get("sections") or [], key=lambda x: x["start"])
    if not sections:
        return [{"name": "full", "zh": "全文", "html": _marked(text, 0, len(text), spans)}]
    out = []
    for sec in sections:
        name = sec["name"]
        out.append(
            {
                "name": name,
                "zh": zh(SectionName, name) or name,
                "html": _marked(text, sec["start"], sec["end"], spans),
            }
        )
    return out


def record_fields(j: Judgment) -> list[tuple[str, str]]:
    r = j.record or {}
    sued = r.get("sued_action") or {}
    head = j.agency_head_appeared
    rows = [
        ("案号", j.case_no),
        ("法院", j.court),
        ("文书种类", zh(DocKind, j.doc_kind)),
        ("审级", zh(Procedure, j.procedure)),
        ("裁判日期", j.judgment_date.isoformat() if j.judgment_date else None),
        ("原告", "、".join(j.plaintiffs or [])),
        ("被告", "、".join(j.defendants or [])),
        ("第三人", "、".join(r.get("third_parties") or [])),
        ("案由", r.get("cause_of_action")),
        ("被诉行政行为", " ".join(x for x in (sued.get("name"), sued.get("number")) if x)),
        ("负责人出庭", {True: "是", False: "否"}.get(head) if head is not None else "文书未载明"),
        ("引用法条", "；".join(dict.fromkeys(c.get("text", "") for c in (r.get("citations") or [])))[:400]),
    ]
    return [(k, v) for k, v in rows if v]


def case_detail(s: Session, scope: Scope, judgment_id: int) -> dict[str, Any]:
    j = get_visible(s, scope, judgment_id)
    tags = effective_classification(j)
    data = judgment_as_json(j)
    data.update(summary(j))
    data["tags"] = tags
    data["fields"] = record_fields(j)
    data["sections"] = sections_html(j.record or {}, tags)
    data["causes"] = (
        [
            {
                "cause": t["cause"],
                "zh": zh(LossCause, t["cause"]),
                "source": t.get("source"),
                "probability": t.get("probability"),
                "review": t.get("review"),
                "evidence": [
                    {"text": e.get("text"), "start": e.get("start"), "end": e.get("end")}
                    for e in t.get("evidence", [])
                ],
            }
            for t in tags.get("loss_causes", [])
        ]
        if j.outcome == "agency_lost"
        else []
    )
    data["corrections"] = [correction_view(c, scope) for c in j.corrections]
    data["review"] = review_state(data["corrections"])
    if scope.restricted:  # an agency sees that a tag was reviewed, not by whom nor why
        data["tags"]["corrected"] = {
            k: {"at": v.get("at")} for k, v in (data["tags"].get("corrected") or {}).items()
        }
    data["documents"] = [
        {
            "id": d.id,
            "filename": d.filename,
            "file_kind": d.file_kind,
            "status": d.status,
            "pages": len(d.pages or []),
            "is_pdf": d.stored_path.lower().endswith(".pdf"),
        }
        for d in j.documents
    ]
    return data


# What a correction changed, in words (the 更正记录 and the state next to each tag).
FIELD_ZH = {
    "outcome": "裁判结果",
    "loss_causes": "败诉原因",
    "action_type": "行政行为类型",
    "field": "执法领域",
    "ruling_forms": "裁判方式",
    "defendants": "被告",
    "plaintiffs": "原告",
    "agency_head_appeared": "负责人出庭",
}


def value_zh(field: str, value: Any) -> str:
    """A stored tag value as a reader would say it: codes become their Chinese names."""
    if field == "agency_head_appeared":
        return {True: "是", False: "否"}.get(value, "文书未载明")
    if isinstance(value, list):
        if field == "loss_causes":
            return "、".join(zh(LossCause, str(v)) or str(v) for v in value) or "无"
        return "、".join(str(v) for v in value) or "无"
    if value is None or value == "":
        return "未识别"
    enum: Any = {"outcome": Outcome, "action_type": ActionType, "field": Field}.get(field)
    if enum is None:
        return str(value)
    member = enum.parse(str(value))
    if member is None and field == "outcome":
        member = ReconsiderationOutcome.parse(str(value))
    return member.zh if member is not None else str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


def correction_view(c: Any, scope: Scope) -> dict[str, Any]:
    """One 更正记录 line: 确认 when the reviewer kept the value, 更正 when they changed it, in words.

    Agency users see what changed and when, never the bureau's reviewer nor the internal reason."""
    label = FIELD_ZH.get(c.field, c.field)
    confirmed = _same(c.value, c.previous)
    now = value_zh(c.field, c.value)
    if confirmed:
        text = f"确认{label}：{now}"
    elif c.previous is None or c.previous == []:
        text = f"{label}改为：{now}"
    else:
        text = f"{label}改为：{now}（原为：{value_zh(c.field, c.previous)}）"
    hidden = scope.restricted
    return {
        "field": c.field,
        "field_zh": label,
        "value": c.value,
        "previous": c.previous,
        "kind": "confirmed" if confirmed else "corrected",
        "text": text,
        "user": None if hidden else c.user,
        "reason": None if hidden else c.reason,
        "at": c.created_at.isoformat() if c.created_at else None,
    }


def review_state(corrections: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per field, the last review: ``{"verb": "已确认"|"已更正", "user": …, "at": …}``. A field once changed
    stays 已更正 even when it is confirmed afterwards (the machine's tag was wrong)."""
    out: dict[str, dict[str, Any]] = {}
    for c in corrections:
        changed = c["kind"] == "corrected" or out.get(c["field"], {}).get("verb") == "已更正"
        out[c["field"]] = {"verb": "已更正" if changed else "已确认", "user": c["user"], "at": c["at"]}
    return out


def correct(
    db: Database,
    settings: Settings,
    scope: Scope,
    judgment_id: int,
    field: str,
    value: Any,
    reason: str | None,
    ip: str | None = None,
) -> dict[str, Any]:
    """Store a reviewer's correction (who, why), log it, and re-index the case after the commit."""
    if not scope.can_write:
        raise Forbidden("您的账号不能更正标注")
    with db.session() as s:
        get_visible(s, scope, judgment_id)
        c = add_correction(s, judgment_id, field, value, user=scope.username, reason=reason)
        audit(
            s,
            "correction",
            user=scope.username,
            target=str(judgment_id),
            detail={"field": field, "value": c.value, "previous": c.previous, "reason": reason},
            ip=ip,
        )
    reindex(db, settings, [judgment_id])
    with db.session() as s:
        return case_detail(s, scope, judgment_id)


def reindex(db: Database, settings: Settings, judgment_ids: list[int]) -> None:
    """Index corrected judgments again; on failure the store stays the truth and `anjian reindex` repairs."""
    try:
        backend = open_backend(settings)
    except Exception:  # noqa: BLE001 - the store is the truth; `anjian reindex` repairs the index
        log.exception("re-indexing %s after a correction failed", judgment_ids)
        return
    index_judgments(db, backend, judgment_ids)


def visible_document(s: Session, settings: Settings, scope: Scope, document_id: int) -> tuple[Document, Path]:
    doc = s.get(Document, document_id)
    if doc is None or doc.judgment_id is None:
        raise NotFound(f"找不到文件 {document_id}")
    try:
        get_visible(s, scope, doc.judgment_id)
    except NotFound:  # another agency's file: say nothing of the case it belongs to
        raise NotFound(f"找不到文件 {document_id}") from None
    path = (settings.originals_dir / doc.stored_path).resolve()
    if not path.is_relative_to(settings.originals_dir.resolve()) or not path.exists():
        raise NotFound("原始文件已不在存储目录中")
    return doc, path


def page_png(path: Path, page: int, scale: float = 1.6) -> bytes:
    """One page of a PDF as a PNG (pypdfium2)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            raise NotFound(f"该文件没有第 {page} 页（共 {len(pdf)} 页）")
        image = pdf[page - 1].render(scale=scale).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return buf.getvalue()
    finally:
        pdf.close()


def pdf_page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def similar_cases(
    s: Session, settings: Settings, scope: Scope, judgment_id: int, size: int = 6
) -> list[dict[str, Any]]:
    """类案 the caller may see; cases marked "not similar" (pipeline.feedback) are never offered."""
    from pipeline.feedback import not_similar_ids

    j = get_visible(s, scope, judgment_id)
    size = max(1, min(int(size), 50))
    exclude = not_similar_ids(s, judgment_id)
    ids: list[int] = []
    try:
        result = open_backend(settings).similar(judgment_id, size=size * 3, exclude=sorted(exclude))
        ids = [h.id for h in result.hits if h.id != judgment_id]
    except Exception:  # noqa: BLE001 - no search engine yet: same action type and field
        rows = s.scalars(
            select(Judgment.id)
            .where(Judgment.id != j.id, Judgment.action_type == j.action_type, Judgment.field == j.field)
            .limit(size * 5)
        )
        ids = [i for i in rows if i not in exclude]
    out = []
    for jid in ids:
        other = s.get(Judgment, jid)
        if other is not None and can_see(scope, other):
            out.append(summary(other))
        if len(out) >= size:
            break
    return out
