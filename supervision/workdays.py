"""Working days: China's official holidays and adjusted working days (调休).

``chinesecalendar`` knows 2004–2026. Later years come from an operator-loaded CSV file
(``date,kind,name`` with kind 休 / holiday or 班 / workday), by default ``supervision/data/holidays_extra.csv``
and ``<data_dir>/holidays.csv``. A date in a year nobody knows falls back to Monday–Friday and is reported
as approximate.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar

SHIPPED_FILE = Path(__file__).parent / "data" / "holidays_extra.csv"
_HOLIDAY = {"holiday", "休", "假", "节假日", "休息"}
_WORKDAY = {"workday", "班", "上班", "调休上班", "工作日"}


class CalendarError(Exception):
    """A holiday file is malformed; the message is for the user (Chinese)."""


@dataclass
class WorkCalendar:
    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)
    unknown_years: set[int] = field(default_factory=set)  # years answered by the Monday–Friday fallback

    @classmethod
    def load(cls, paths: Iterable[Path | None] = ()) -> WorkCalendar:
        cal = cls()
        for p in [SHIPPED_FILE, *paths]:
            if p is not None and Path(p).exists():
                cal.add_file(Path(p))
        return cal

    def add_file(self, path: Path) -> None:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for i, row in enumerate(csv.reader(f), start=1):
                if (
                    not row
                    or not row[0].strip()
                    or row[0].strip().startswith("#")
                    or row[0].strip() == "date"
                ):
                    continue
                try:
                    d = dt.date.fromisoformat(row[0].strip())
                except ValueError as exc:
                    raise CalendarError(f"{path.name} 第 {i} 行：日期应写成 2027-01-01") from exc
                kind = (row[1] if len(row) > 1 else "").strip().lower()
                if kind in _HOLIDAY:
                    self.holidays.add(d)
                    self.workdays.discard(d)
                elif kind in _WORKDAY:
                    self.workdays.add(d)
                    self.holidays.discard(d)
                else:
                    raise CalendarError(f"{path.name} 第 {i} 行：第二列应为「休」或「班」")

    def covers(self, year: int) -> bool:
        return 2004 <= year <= 2026 or any(d.year == year for d in self.holidays | self.workdays)

    def is_workday(self, d: dt.date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            if not self.covers(d.year):
                self.unknown_years.add(d.year)
            return d.weekday() < 5

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (the day of receipt itself is not counted)."""
        d = start
        left = n
        while left > 0:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                left -= 1
        return d

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        n, d = 0, start
        while d < end:
            d += dt.timedelta(days=1)
            n += self.is_workday(d)
        return n
