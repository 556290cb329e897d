"""Ledger import: the spreadsheets bureaus keep today (案号, 单位, 收案日期, 结果 …), matched to judgments
by normalised case number. Rows without a judgment yet count as pending (or concluded, per the ledger)
cases in the statistics until the judgment arrives.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Judgment, LedgerEntry
from core.normalize import normalize_case_no
from core.taxonomy import Outcome
from registry.agencies import RegistryError, RegistryIndex, read_table_file

# Header names seen in ledgers → our field.
HEADERS = {
    "case_no": ("案号", "案件编号", "一审案号"),
    "agency": ("单位", "被告", "被告单位", "应诉单位", "行政机关", "被诉行政机关"),
    "received": ("收案日期", "收到日期", "立案日期", "收案时间", "收到起诉状日期"),
    "concluded": ("结案日期", "裁判日期", "判决日期", "结案时间"),
    "outcome": ("结果", "裁判结果", "诉讼结果", "结案结果", "胜败诉"),
}
_OUTCOME_WORDS = [
    ("agency_lost", ("败诉", "撤销", "确认违法", "确认无效", "责令履行")),
    ("agency_won", ("胜诉", "驳回诉讼请求", "驳回原告诉讼请求", "维持")),
    ("dismissed", ("驳回起诉",)),
    ("withdrawn", ("撤诉", "撤回起诉")),
    ("remanded", ("发回重审",)),
]


def parse_outcome(text: str | None) -> str | None:
    t = (text or "").strip()
    if not t:
        return None
    code = Outcome.parse(t)
    if code:
        return code.value
    for outcome, words in _OUTCOME_WORDS:  # 驳回起诉 before 驳回诉讼请求? order: check dismissed first
        if outcome == "agency_won" and "驳回起诉" in t:
            continue
        if any(w in t for w in words):
            return outcome
    return None


def parse_date(text: str | None) -> dt.date | None:
    t = (text or "").strip()
    if not t:
        return None
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", t)
    if not m:
        raise RegistryError(f"看不懂的日期「{t}」（请写 2024-05-20）")
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def _pick(row: dict[str, str], key: str) -> str:
    for h in HEADERS[key]:
        if row.get(h):
            return row[h]
    return ""


def import_ledger_rows(session: Session, rows: Iterable[dict[str, str]], source: str = "") -> dict[str, int]:
    """Add or update ledger rows; returns counts (read, matched to a judgment, agency matched)."""
    index = RegistryIndex.load(session)
    read = matched = agency_matched = 0
    for i, row in enumerate(rows, start=2):
        case_no = _pick(row, "case_no").strip()
        if not case_no:
            continue
        try:
            received, concluded = parse_date(_pick(row, "received")), parse_date(_pick(row, "concluded"))
        except RegistryError as exc:
            raise RegistryError(f"第 {i} 行：{exc}") from exc
        norm = normalize_case_no(case_no)
        agency_name = _pick(row, "agency").strip() or None
        entry = session.scalar(
            select(LedgerEntry).where(
                LedgerEntry.case_no_norm == norm, LedgerEntry.agency_name == agency_name
            )
        )
        if entry is None:
            entry = LedgerEntry(case_no=case_no, case_no_norm=norm, agency_name=agency_name, extra={})
            session.add(entry)
        entry.received_date, entry.concluded_date = received, concluded
        entry.outcome_text = _pick(row, "outcome") or None
        entry.outcome = parse_outcome(entry.outcome_text)
        entry.source = source
        entry.extra = {k: v for k, v in row.items() if v and not any(k in hs for hs in HEADERS.values())}
        entry.agency_id = index.match(agency_name).agency_id if agency_name else None
        read += 1
        agency_matched += entry.agency_id is not None
    session.flush()
    matched = match_ledger(session)
    return {"read": read, "matched_judgments": matched, "matched_agencies": agency_matched}


def import_ledger_file(session: Session, path: Path) -> dict[str, int]:
    return import_ledger_rows(session, read_table_file(path), source=path.name)


def match_ledger(session: Session) -> int:
    """Link ledger rows to judgments with the same normalised case number; returns how many are linked."""
    by_no: dict[str, int] = {}
    for jid, cn in session.execute(
        select(Judgment.id, Judgment.case_no).where(Judgment.case_no.is_not(None))
    ):
        by_no.setdefault(normalize_case_no(cn or ""), jid)
    n = 0
    for e in session.scalars(select(LedgerEntry)):
        e.judgment_id = by_no.get(e.case_no_norm)
        n += e.judgment_id is not None
    return n


def list_ledger(session: Session) -> list[dict]:
    return [
        {
            "id": e.id,
            "case_no": e.case_no,
            "agency": e.agency_name,
            "agency_id": e.agency_id,
            "received_date": e.received_date.isoformat() if e.received_date else None,
            "outcome": e.outcome,
            "judgment_id": e.judgment_id,
        }
        for e in session.scalars(select(LedgerEntry).order_by(LedgerEntry.id))
    ]
