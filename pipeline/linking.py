"""Which stored judgment a newly read document belongs to: same case number, kind **and** court.

A case number alone is not a key: courts in different places number their cases alike, and one misread
digit on a scan makes another court's number. A document joins a judgment only when the courts agree
(or, where one court is unknown, the parties overlap) and the parties do not contradict; otherwise it is
stored as its own judgment with a review note, never silently linked. A better copy (a text layer after a
scan) replaces the record only when it keeps the same agency parties — access never moves silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.models import Judgment
from ingest.record import JudgmentRecord


def court_key(court: str | None) -> str:
    return (court or "").replace(" ", "").replace("　", "").removeprefix("中华人民共和国")


def link_key(case_no: str | None, doc_kind: str | None, court: str | None) -> str | None:
    """The key a judgment is found by (None without a case number: such documents are never linked)."""
    if not case_no:
        return None
    return f"{case_no}|{doc_kind or ''}|{court_key(court)}"[:400]


def record_parties(record: JudgmentRecord) -> set[str]:
    """Every party name of a record (people and agencies, all roles)."""
    names: list[str] = [
        *record.plaintiffs,
        *record.defendants,
        *record.applicants,
        *record.respondents,
        *record.third_parties,
    ]
    return {n for n in names if n}


def stored_parties(judgment: Judgment) -> set[str]:
    rec: dict[str, Any] = judgment.record or {}
    names: list[str] = []
    for role in ("plaintiffs", "defendants", "applicants", "respondents", "third_parties"):
        names.extend(str(n) for n in rec.get(role) or [])
    return {n for n in names if n}


def agency_parties(judgment_record: dict[str, Any], defendants: Sequence[str] | None = None) -> set[str]:
    """The names that decide which agencies may see a case (search.analysis.judgment_parties)."""
    return {
        *(defendants if defendants is not None else judgment_record.get("defendants") or []),
        *(judgment_record.get("applicants") or []),
        *(judgment_record.get("third_parties") or []),
    }


def mismatch(existing: Judgment, record: JudgmentRecord) -> str | None:
    """Why ``record`` is not the same judgment as ``existing`` (same case number and kind), or None."""
    a, b = court_key(existing.court), court_key(record.court)
    if a and b and a != b:
        return f"法院不同（已有：{existing.court}；新文件：{record.court}）"
    old, new = stored_parties(existing), record_parties(record)
    if old and new and not old & new:
        return "当事人完全不同"
    if not (a and b) and not (old and new):
        return "无法核对法院和当事人"
    return None


def choose(candidates: Sequence[Judgment], record: JudgmentRecord) -> tuple[Judgment | None, str | None]:
    """(the judgment to link to, or None) and, when candidates exist but none matches, the review note."""
    reasons = []
    for j in candidates:
        why = mismatch(j, record)
        if why is None:
            return j, None
        reasons.append(f"判决 {j.id}：{why}")
    if not candidates:
        return None, None
    return None, (
        f"案号 {record.case_no} 与已有判决相同，但{'；'.join(reasons)}。已作为单独的判决入库，"
        "请人工核对是否为同一案件（可能是案号识别错误或不同法院的同号案件）。"
    )


def may_replace(judgment: Judgment, record: JudgmentRecord) -> bool:
    """A better copy may replace the primary record only when the agency parties stay the same."""
    old = agency_parties(judgment.record or {}, judgment.defendants)
    new = {*record.defendants, *record.applicants, *record.third_parties}
    return old == new
