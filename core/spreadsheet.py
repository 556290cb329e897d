"""A plain table (title, columns, rows, a note saying how it was counted) and its CSV / XLSX / JSON forms."""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def zh_label(enum_cls: Any, code: str | None) -> str:
    """The Chinese label of a taxonomy code (``zh_label(LossCause, 'procedure') == '违反法定程序'``)."""
    member = enum_cls.parse(code) if code else None
    return member.zh if member is not None else (code or "")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


def clean_cell(value: Any) -> Any:
    """A value as a spreadsheet may hold it: control characters (which XLSX cannot store) removed."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet program will not run: text starting like a formula (=, +, -, @) gets
    a leading apostrophe (numbers such as -5 stay numbers)."""
    value = clean_cell("" if value is None else value)
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def append_text_row(ws: Any, row: list[Any]) -> None:
    """Append a row to an openpyxl sheet with every string stored as text, never as a formula."""
    ws.append([clean_cell("" if v is None else v) for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
            cell.data_type = "s"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""  # e.g. the loss-rate definition the figures use
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def write_csv(table: Table, path: Path) -> None:
    """UTF-8 with BOM, so that Excel on a Chinese Windows opens it correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([csv_cell(c) for c in table.columns])
        for r in table.rows:
            w.writerow([csv_cell(v) for v in r])
        if table.note:
            w.writerow([])
            w.writerow([f"说明：{table.note}"])


def write_xlsx(table: Table, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    # a sheet name may not hold []:*?/\ (a search query in the title has colons: 原因:违反法定程序)
    ws.title = re.sub(r"[\[\]:*?/\\]", "：", table.title or "表")[:31].strip("'") or "表"
    ws.append([table.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(table.columns)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in table.rows:
        append_text_row(ws, r)
    if table.note:
        ws.append([])
        ws.append([f"说明：{table.note}"])
    for i, col in enumerate(table.columns, start=1):
        width = max([len(str(col))] + [len(str(r[i - 1])) for r in table.rows[:200] if i - 1 < len(r)])
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = min(60, 4 + width * 2)
    wb.save(path)


def write_table(table: Table, path: Path) -> None:
    """CSV or XLSX by the file's extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(table, path)
    elif suffix == ".xlsx":
        write_xlsx(table, path)
    else:
        raise ValueError(f"只能导出 .csv 或 .xlsx：{path.name}")
