"""Search for the pages and the API: the search engine (search.open_backend) restricted to the caller's
agency, facets with Chinese labels, and export of a result list as CSV or XLSX."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import asdict, is_dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Scope, can_see
from api.services.cases import summary, zh
from core.models import Judgment
from core.settings import Settings
from core.spreadsheet import append_text_row, csv_cell
from core.taxonomy import ActionType, Field, LossCause, Outcome, Procedure

MAX_EXPORT = 2000
# Facet key → the query field a click adds, and its Chinese heading.
FACETS: dict[str, tuple[str, str]] = {
    "outcome": ("结果", "裁判结果"),
    "cause": ("原因", "败诉原因"),
    "loss_cause": ("原因", "败诉原因"),
    "action_type": ("类型", "行政行为类型"),
    "field": ("领域", "执法领域"),
    "procedure": ("审级", "审级"),
    "year": ("年份", "年份"),
    "court": ("法院", "法院"),
    "defendant": ("被告", "被告单位"),
}
_ENUMS = {
    "outcome": Outcome,
    "cause": LossCause,
    "loss_cause": LossCause,
    "action_type": ActionType,
    "field": Field,
    "procedure": Procedure,
}


def _plain(obj: Any) -> Any:
    return asdict(obj) if is_dataclass(obj) and not isinstance(obj, type) else obj


def facet_filter(key: str, value: str) -> str:
    name = FACETS.get(key, (key, key))[0]
    return f'{name}:"{value}"' if re.search(r"[\s:：\"()]", value) else f"{name}:{value}"


def safe_snippet(snippet: str) -> str:
    """Only <mark> survives as markup, whatever the engine returned (the page shows it unescaped)."""
    plain = html.unescape(snippet or "").replace("<mark>", "\x00").replace("</mark>", "\x01")
    return html.escape(plain, quote=False).replace("\x00", "<mark>").replace("\x01", "</mark>")


def _label(key: str, value: str, label: str | None) -> str:
    if label:
        return label
    enum = _ENUMS.get(key)
    return (zh(enum, value) or value) if enum else value


def run_search(
    s: Session,
    settings: Settings,
    scope: Scope,
    q: str,
    page: int = 1,
    size: int = 20,
    sort: str = "relevance",
) -> dict[str, Any]:
    """{total, page, size, hits [{id, case_no, title, score, snippet, ...}], facets {key: [{value, count, label, filter}]}}."""
    page, size = max(1, page), max(1, min(size, 200))
    from search import open_backend

    restrict = list(scope.agency_names) if scope.agency_names is not None else None
    result = _plain(
        open_backend(settings).search(q, page=page, size=size, sort=sort, restrict_parties=restrict)
    )
    hits = [_plain(h) for h in result.get("hits", [])]
    if scope.restricted:  # defence in depth: never show a case outside the agency, whatever the engine did
        visible = {
            j.id
            for j in s.scalars(select(Judgment).where(Judgment.id.in_([h["id"] for h in hits])))
            if can_see(scope, j)
        }
        hits = [h for h in hits if h["id"] in visible]
    by_id = {j.id: j for j in s.scalars(select(Judgment).where(Judgment.id.in_([h["id"] for h in hits])))}
    for h in hits:
        h["snippet"] = safe_snippet(h.get("snippet", ""))
        j = by_id.get(h["id"])
        if j is not None:
            h.update({k: v for k, v in summary(j).items() if k not in ("id",)})
    facets = {}
    for key, values in (result.get("facets") or {}).items():
        items = [_plain(v) for v in values]
        facets[key] = {
            "title": FACETS.get(key, (key, key))[1],
            "values": [
                {
                    "value": v["value"],
                    "count": v["count"],
                    "label": _label(key, str(v["value"]), v.get("label")),
                    "filter": facet_filter(
                        key,
                        _label(key, str(v["value"]), v.get("label")) if key in _ENUMS else str(v["value"]),
                    ),
                }
                for v in items
                if v.get("count")
            ],
        }
    return {
        "query": q,
        "total": result.get("total", 0),
        "page": page,
        "size": size,
        "sort": sort,
        "hits": hits,
        "facets": facets,
        "suggestions": list(result.get("suggestions") or []),
    }


def mark_not_similar(
    s: Session, scope: Scope, judgment_id: int, other_id: int, ip: str | None = None
) -> bool:
    """Record "``other_id`` is not a 类案 of ``judgment_id``" (both must be visible to the caller)."""
    from api.errors import ApiError
    from api.services.accounts import audit
    from api.services.cases import get_visible
    from pipeline.feedback import FeedbackError
    from pipeline.feedback import mark_not_similar as record

    get_visible(s, scope, judgment_id)
    get_visible(s, scope, other_id)
    try:
        new = record(s, judgment_id, other_id, scope.username or "")
    except FeedbackError as exc:
        raise ApiError(exc.message_zh, code="invalid_feedback", status=422) from exc
    if new:
        audit(
            s,
            "not_similar",
            user=scope.username,
            target=f"case:{judgment_id}",
            ip=ip,
            detail={"other_id": other_id},
        )
    return new


# -- export ------------------------------------------------------------------------------------------
EXPORT_COLUMNS = [
    ("case_no", "案号"),
    ("title", "标题"),
    ("court", "法院"),
    ("judgment_date", "裁判日期"),
    ("procedure_zh", "审级"),
    ("defendants", "被告"),
    ("outcome_zh", "裁判结果"),
    ("loss_causes_zh", "败诉原因"),
    ("action_type_zh", "行政行为类型"),
    ("field_zh", "执法领域"),
    ("id", "编号"),
]


def export_rows(s: Session, settings: Settings, scope: Scope, q: str) -> list[list[str]]:
    rows: list[list[str]] = []
    page = 1
    while len(rows) < MAX_EXPORT:
        result = run_search(s, settings, scope, q, page=page, size=200, sort="date")
        for h in result["hits"]:
            rows.append(
                [
                    "、".join(str(x) for x in v if x)
                    if isinstance(v := h.get(k), list)
                    else ("" if v is None else str(v))
                    for k, _ in EXPORT_COLUMNS
                ]
            )
        if page * 200 >= result["total"] or not result["hits"]:
            break
        page += 1
    return rows[:MAX_EXPORT]


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([title for _, title in EXPORT_COLUMNS])
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "检索结果"
    ws.append([title for _, title in EXPORT_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_text_row(ws, row)
    for col, width in zip("ABCDEFGHIJK", (26, 40, 24, 12, 8, 30, 10, 30, 14, 16, 8), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
