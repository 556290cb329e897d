"""对标数据: provincial, city (and other counties') figures an operator supplies, to put beside the county's rate.

The file (CSV or XLSX, one header row) has the columns ``level, region, year, cases, losses, rate`` (or the
Chinese headers 层级、地区、年度、案件数、败诉数、败诉率). ``level`` is province/city/county (省/市/县); ``rate`` may be
left empty when cases and losses are given (then losses ÷ cases), and may be written 12.5% or 0.125.
Loading replaces the rows of the same level, region and year.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Benchmark
from reports.stats import Period, StatsError

COLUMNS = {
    "level": ("level", "层级", "级别"),
    "region": ("region", "地区", "区域"),
    "year": ("year", "年度", "年份"),
    "cases": ("cases", "案件数", "发案量", "发案数"),
    "losses": ("losses", "败诉数", "败诉案件数", "败诉"),
    "rate": ("rate", "败诉率"),
}
LEVELS = {
    "province": "province",
    "省": "province",
    "省级": "province",
    "全省": "province",
    "city": "city",
    "市": "city",
    "市级": "city",
    "全市": "city",
    "county": "county",
    "县": "county",
    "县级": "county",
    "区": "county",
}


class BenchmarkError(StatsError):
    """A malformed 对标数据 file; the message is for the user (Chinese), ``errors`` one line per bad row."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [message]


def _get(row: dict[str, str], name: str) -> str:
    for h in COLUMNS[name]:
        for k, v in row.items():
            if k.strip().lower() == h:
                return (v or "").strip()
    return ""


def _int(text: str, line: int, what: str) -> int | None:
    t = text.replace(",", "").replace("件", "").strip()
    if not t:
        return None
    try:
        return int(float(t))
    except ValueError as exc:
        raise BenchmarkError(f"第 {line} 行的{what}「{text}」不是数字") from exc


def _rate(text: str, line: int) -> float | None:
    t = text.strip()
    if not t:
        return None
    try:
        v = float(t.rstrip("%％")) / 100 if t.endswith(("%", "％")) else float(t)
    except ValueError as exc:
        raise BenchmarkError(f"第 {line} 行的败诉率「{text}」看不懂：写 12.5% 或 0.125") from exc
    if not 0 <= v <= 1:
        raise BenchmarkError(f"第 {line} 行的败诉率「{text}」不在 0–100% 之间")
    return round(v, 4)


def _row(r: dict[str, str], line: int) -> dict:
    level = LEVELS.get(_get(r, "level").lower())
    if level is None:
        raise BenchmarkError(f"第 {line} 行的层级「{_get(r, 'level')}」看不懂：写 省、市 或 县")
    year = _int(_get(r, "year").replace("年", ""), line, "年度")
    if year is None or not 1990 <= year <= 2100:
        raise BenchmarkError(f"第 {line} 行缺少年度" if year is None else f"第 {line} 行的年度「{year}」不对")
    cases, losses = _int(_get(r, "cases"), line, "案件数"), _int(_get(r, "losses"), line, "败诉数")
    if cases is not None and losses is not None and losses > cases:
        raise BenchmarkError(f"第 {line} 行的败诉数 {losses} 大于案件数 {cases}")
    rate = _rate(_get(r, "rate"), line)
    if rate is None and cases and losses is not None:
        rate = round(losses / cases, 4)
    if rate is None:
        raise BenchmarkError(f"第 {line} 行既没有败诉率，也没有案件数和败诉数")
    return {
        "level": level,
        "region": _get(r, "region"),
        "year": year,
        "cases": cases,
        "losses": losses,
        "rate": rate,
    }


def check_rows(rows: list[dict[str, str]]) -> tuple[list[dict], list[str]]:
    """File rows → (checked benchmark rows, one Chinese error per bad row) (pure). Line 1 is the header."""
    out, errors = [], []
    seen: dict[tuple[str, str, int], int] = {}
    for line, r in enumerate(rows, start=2):
        if not any((v or "").strip() for v in r.values()):
            continue
        try:
            row = _row(r, line)
        except BenchmarkError as exc:
            errors.append(str(exc))
            continue
        key = (row["level"], row["region"], row["year"])
        if key in seen:
            errors.append(f"第 {line} 行与第 {seen[key]} 行的层级、地区、年度相同")
            continue
        seen[key] = line
        out.append(row)
    if not out and not errors:
        errors.append("文件中没有对标数据行（列：层级、地区、年度、案件数、败诉数、败诉率）")
    return out, errors


def parse_rows(rows: list[dict[str, str]]) -> list[dict]:
    """File rows → checked benchmark rows (pure); any bad row refuses the whole file, every bad row named."""
    out, errors = check_rows(rows)
    if errors:
        raise BenchmarkError("；".join(errors), errors)
    return out


def read_benchmark_file(path: Path) -> list[dict]:
    """The checked rows of an operator file (CSV/XLSX); an unreadable file or any bad row: BenchmarkError."""
    from registry.agencies import RegistryError, read_table_file

    try:
        raw = read_table_file(path)
    except RegistryError as exc:
        raise BenchmarkError(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - a damaged XLSX (zip, XML) is the user's file, not our error
        raise BenchmarkError(f"无法读取 {path.name}：文件已损坏或不是 CSV / XLSX 表格") from exc
    return parse_rows(raw)


def store_rows(session: Session, rows: list[dict], *, replace_years: bool = False) -> dict[str, int]:
    """Checked rows into the store: rows of the same level, region and year are replaced; ``replace_years``:
    every stored row of the file's years goes first (the file is that year's whole set)."""
    removed = 0
    if replace_years:
        years = sorted({r["year"] for r in rows})
        for stale in session.scalars(select(Benchmark).where(Benchmark.year.in_(years))):
            session.delete(stale)
            removed += 1
        session.flush()
    for r in rows:
        old = session.scalar(
            select(Benchmark).where(
                Benchmark.level == r["level"], Benchmark.region == r["region"], Benchmark.year == r["year"]
            )
        )
        if old is None:
            session.add(Benchmark(**r))
        else:
            for k, v in r.items():
                setattr(old, k, v)
    session.flush()
    return {"loaded": len(rows), "removed": removed}


def load_benchmarks(session: Session, path: Path, *, replace_years: bool = False) -> int:
    """Read an operator file into the store (rows of the same level, region and year replaced)."""
    return store_rows(session, read_benchmark_file(path), replace_years=replace_years)["loaded"]


LEVEL_ZH = {"province": "省", "city": "市", "county": "县"}


def list_benchmarks(
    session: Session, *, level: str | None = None, region: str | None = None, year: int | None = None
) -> list[dict]:
    """Stored rows by year, level, region; optionally only one level / region / year."""
    q = select(Benchmark).order_by(Benchmark.year, Benchmark.level, Benchmark.region)
    if level:
        q = q.where(Benchmark.level == LEVELS.get(level.lower(), level))
    if region:
        q = q.where(Benchmark.region == region)
    if year:
        q = q.where(Benchmark.year == year)
    return [
        {
            "level": b.level,
            "level_label": LEVEL_ZH.get(b.level, b.level),
            "region": b.region,
            "year": b.year,
            "cases": b.cases,
            "losses": b.losses,
            "rate": b.rate,
        }
        for b in session.scalars(q)
    ]


def benchmark_year(period: Period) -> int | None:
    """The year whose benchmarks sit beside a period: its own year, a range's last year (none for all time)."""
    if period.kind == "all":
        return None
    if period.kind == "range":
        return (
            period.hi.end.year - (period.hi.end.month == 1 and period.hi.end.day == 1) if period.hi else None
        )
    return period.year


def benchmarks_for(session: Session, period: Period) -> list[dict]:
    """Province and city rows of the period's year (province first); counties are left to the tables."""
    year = benchmark_year(period)
    if year is None:
        rows = list_benchmarks(session)
        year = max((r["year"] for r in rows), default=None)
    order = {"province": 0, "city": 1}
    return sorted(
        (r for r in list_benchmarks(session) if r["year"] == year and r["level"] in order),
        key=lambda r: (order[r["level"]], r["region"]),
    )
