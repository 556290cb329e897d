"""汇编: the cases a user has chosen (kept in their session), a preview, and the exported documents.

The typical-case collection and the quarterly bulletin come from the reports package when it provides
its builders; until then the collection is written here as a plain DOCX (title, facts, reasoning excerpt,
operative part and the lesson: the loss causes with the court's own words).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy.orm import Session

from api.access import Scope
from api.errors import ApiError, NotAvailable
from api.services.accounts import audit
from api.services.cases import case_detail, get_visible, summary
from core.settings import Settings

MAX_CASES = 100


def clean_ids(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in ids))[:MAX_CASES]


def preview(s: Session, scope: Scope, ids: list[int]) -> list[dict[str, Any]]:
    out = []
    for jid in clean_ids(ids):
        try:
            out.append(summary(get_visible(s, scope, jid)))
        except ApiError:
            continue  # deleted or not visible: silently dropped from the basket
    return out


def _section_text(detail: dict[str, Any], name: str) -> str:
    text = (detail.get("record") or {}).get("text") or ""
    for sec in (detail.get("record") or {}).get("sections") or []:
        if sec["name"] == name:
            return text[sec["start"]:sec["end"]].strip()
    return ""


def build_collection_docx(s: Session, settings: Settings, scope: Scope, ids: list[int], title: str) -> bytes:
    from docx import Document as Docx
    from docx.shared import Pt

    cases = [case_detail(s, scope, c["id"]) for c in preview(s, scope, ids)]
    if not cases:
        raise ApiError("汇编中还没有案件：请先从检索结果或案件页加入案件", code="empty_collection")
    doc = Docx()
    doc.add_heading(title or "典型案例汇编", level=0)
    doc.add_paragraph(f"{settings.issuing_body}　{dt.date.today():%Y年%m月%d日}　共 {len(cases)} 件")
    for n, c in enumerate(cases, 1):
        doc.add_heading(f"案例{n}　{c.get('title') or c.get('case_no') or ''}", level=1)
        meta = f"{c.get('court') or ''}　{c.get('case_no') or ''}　{c.get('judgment_date') or ''}"
        doc.add_paragraph(meta).runs[0].font.size = Pt(10)
        doc.add_paragraph(f"裁判结果：{c.get('outcome_zh') or '未识别'}；行为类型：{c.get('action_type_zh') or '—'}；"
                          f"执法领域：{c.get('field_zh') or '—'}")
        for part, heading in (("findings", "【基本案情】"), ("reasoning", "【裁判理由】"), ("operative", "【裁判结果】")):
            body = _section_text(c, part)
            if body:
                doc.add_paragraph(heading)
                doc.add_paragraph(body[:1500] + ("……" if len(body) > 1500 else ""))
        if c.get("causes"):
            doc.add_paragraph("【败诉原因与警示】")
            for cause in c["causes"]:
                quote = "；".join(e["text"] for e in cause["evidence"] if e.get("text"))
                doc.add_paragraph(f"{cause['zh']}" + (f"：法院认为“{quote}”" if quote else ""), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def export(s: Session, settings: Settings, scope: Scope, ids: list[int], kind: str, title: str,
           ip: str | None = None) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of the collection (kind 'collection') or the bulletin ('bulletin')."""
    if kind == "bulletin":
        raise NotAvailable("季度通报的生成功能即将上线（统计模块尚未提供通报生成器）；请先用“导出汇编”")
    if kind != "collection":
        raise ApiError(f"未知的导出类型“{kind}”", code="invalid_kind")
    data = build_collection_docx(s, settings, scope, ids, title)
    audit(s, "export", user=scope.username, target="collection", ip=ip, detail={"ids": clean_ids(ids), "title": title})
    name = f"典型案例汇编-{dt.date.today():%Y%m%d}.docx"
    return name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", data
