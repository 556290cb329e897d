"""Statistics over cases: volume, concluded, losses, loss rate, head-appearance rate, rankings, trend.

Everything here is pure (lists of :class:`reports.cases.Case` in, plain dataclasses out); the service
function :func:`stats_report` loads the cases at the edge. Every figure carries the loss-rate
definition it was computed with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from fractions import Fraction
from itertools import product

from core.spreadsheet import Table, zh_label
from core.taxonomy import ActionType, Field, LossCause, Outcome
from registry.agencies import AgencyKind
from reports.cases import CONCLUDED, RECONSIDERATION_BODY, AgencyRef, Case, Reconsideration


class StatsError(Exception):
    """Bad statistics parameters; the message is for the user (Chinese)."""


# ---------------------------------------------------------------- periods

_RANGE = re.compile(r"\s*(?:\.\.|～|~|至|到|—|–)\s*")


@dataclass(frozen=True)
class Period:
    """A year, quarter or month; ``all``; or a ``range`` from ``lo`` to ``hi`` (``hi`` None: open end)."""

    kind: str  # year / quarter / month / all / range
    year: int = 0
    index: int = 0  # quarter 1-4 or month 1-12
    lo: Period | None = None
    hi: Period | None = None

    @classmethod
    def parse(cls, text: str | None) -> Period:
        """``2024`` · ``2024Q2`` · ``2024-05`` · ``2024年`` · ``2024年第二季度`` · ranges ``2022..2024``,
        ``2022Q1..2023Q4``, open ``2022..``; empty → all time."""
        raw = (text or "").strip()
        parts = _RANGE.split(raw, maxsplit=1) if _RANGE.search(raw) else [raw]
        if len(parts) == 2:
            lo = cls.single(parts[0], raw)
            hi = cls.single(parts[1], raw) if parts[1].strip() else None
            if lo.kind == "all":
                raise StatsError(f"看不懂的统计期间「{text}」：范围须有起点，例如 2022..2024 或 2022..")
            if hi is not None and (hi.kind == "all" or hi.end <= lo.start):
                raise StatsError(f"统计期间「{text}」的终点早于起点")
            return cls("range", lo.year, 0, lo, hi)
        return cls.single(raw, raw)

    @classmethod
    def single(cls, part: str, text: str | None = None) -> Period:
        t = part.strip().upper().replace("年", "").replace("第", "").replace("季度", "Q")
        if not t or t == "ALL":
            return cls("all")
        if m := re.fullmatch(r"(\d{4})", t):
            return cls("year", int(m[1]))
        if m := re.fullmatch(r"(\d{4})-?Q([1-4一二三四])", t) or re.fullmatch(r"(\d{4})([1-4一二三四])Q", t):
            q = m[2]
            return cls("quarter", int(m[1]), int("一二三四".index(q) + 1) if q in "一二三四" else int(q))
        if m := re.fullmatch(r"(\d{4})[-/M.]?(\d{1,2})月?", t):
            if 1 <= int(m[2]) <= 12:
                return cls("month", int(m[1]), int(m[2]))
        raise StatsError(
            f"看不懂的统计期间「{text or part}」：请写 2024、2024Q2、2024-05，或范围 2022..2024、2022Q1..2023Q4、2022..（至今）"
        )

    @classmethod
    def since(cls, text: str) -> Period:
        """``--since 2022`` → the open range ``2022..``."""
        return cls.parse(f"{text.strip()}..")

    @property
    def start(self) -> dt.date:
        if self.kind == "range":
            assert self.lo is not None
            return self.lo.start
        if self.kind == "year":
            return dt.date(self.year, 1, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.index - 2, 1)
        if self.kind == "month":
            return dt.date(self.year, self.index, 1)
        return dt.date.min

    @property
    def end(self) -> dt.date:
        """Exclusive."""
        if self.kind == "all" or (self.kind == "range" and self.hi is None):
            return dt.date.max
        if self.kind == "range":
            assert self.hi is not None
            return self.hi.end
        return self.next().start

    def contains(self, d: dt.date | None) -> bool:
        if self.kind == "all":
            return True
        return d is not None and self.start <= d < self.end

    @property
    def year_aligned(self) -> bool:
        """Whole years (a year, all time, a range of years): a case-number year (推定) can be placed."""
        if self.kind == "range":
            return bool(self.lo and self.lo.kind == "year" and (self.hi is None or self.hi.kind == "year"))
        return self.kind in ("all", "year")

    def years(self) -> tuple[int, int, int, int]:
        """(first, last) year wholly inside, then (first, last) year overlapping; inside is empty when first > last."""
        if self.kind == "all":
            return (1, 9999, 1, 9999)
        s, e = self.start, self.end
        last = 9999 if e == dt.date.max else (e - dt.timedelta(days=1)).year
        inside_lo = s.year if s == dt.date(s.year, 1, 1) else s.year + 1
        inside_hi = 9999 if e == dt.date.max else (e.year - 1)
        return (inside_lo, inside_hi, s.year, last)

    def next(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year + 1)
        n = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year + (self.index == n), 1 if self.index == n else self.index + 1)

    def previous(self) -> Period | None:
        if self.kind in ("all", "range"):
            return None
        if self.kind == "year":
            return Period("year", self.year - 1)
        n = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year - (self.index == 1), n if self.index == 1 else self.index - 1)

    @property
    def code(self) -> str:
        if self.kind == "range":
            assert self.lo is not None
            return f"{self.lo.code}..{self.hi.code if self.hi else ''}"
        return {
            "all": "all",
            "year": f"{self.year}",
            "quarter": f"{self.year}Q{self.index}",
            "month": f"{self.year}-{self.index:02d}",
        }[self.kind]

    @property
    def zh(self) -> str:
        if self.kind == "range":
            assert self.lo is not None
            return f"{self.lo.zh}至{self.hi.zh}" if self.hi else f"{self.lo.zh}以来"
        if self.kind == "all":
            return "全部期间"
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"


def parse_period(period: str | None = None, since: str | None = None) -> Period:
    """``--period`` or its short form ``--since`` (both given: refused)."""
    if since and period:
        raise StatsError("--period 与 --since 只能选一个")
    return Period.since(since) if since else Period.parse(period)


def period_of(d: dt.date, kind: str) -> Period:
    if kind == "year":
        return Period("year", d.year)
    if kind == "quarter":
        return Period("quarter", d.year, (d.month - 1) // 3 + 1)
    return Period("month", d.year, d.month)


# ---------------------------------------------------------------- dates by rule

UNDATED = "undated"
UNDATED_ZH = "日期不详"
DATE_RULE_ZH = (
    "发案按法院立案（收案）日期计：先取案件台账的收案日期，其次取裁判文书所载立案日期，再次取应诉案件登记的"
    "收到应诉材料日期，均无的按一审案号年度推定（推定），推定的只计入年度统计；审结、胜诉、败诉按生效裁判的裁判日期计，无裁判日期的按其案号年度推定"
    "（推定），同样只计入年度统计；不能确定是否属于本表期间的案件列为「日期不详」行，合计＝各行＋日期不详"
)


SUIT_RULE_ZH = (
    "应诉案件登记、案件台账与裁判文书中一审案号相同的为同一案件，只计一次；已登记尚无裁判的案件计入发案量，"
    "裁判前不计入审结和败诉；登记的案件以登记的被诉单位为该案单位；尚无案号的登记案件单独计为一件；"
    "二审、再审裁判未能找到一审案号的，单独计为一件"
)


def place(exact: dt.date | None, year: int | None, period: Period, series: str | None) -> str | None:
    """Where one date of a case goes in a table: a row key (``''`` for a table without a date grouping),
    ``None`` (outside the period) or :data:`UNDATED`. ``year`` is the date's year or the case-number year."""
    if series is None and period.kind == "all":
        return ""
    if exact is not None:
        if not period.contains(exact):
            return None
        return period_of(exact, series).code if series else ""
    if year is None:
        return UNDATED
    inside_lo, inside_hi, over_lo, over_hi = period.years()
    if not over_lo <= year <= over_hi:
        return None
    whole_years = series == "year" if series else period.year_aligned
    if whole_years and inside_lo <= year <= inside_hi:
        return str(year) if series else ""
    return UNDATED


class Placer:
    """:func:`place` for one period and date grouping, with the period's bounds worked out once (a table
    places every case twice; recomputing ``Period.start``/``end`` per date was most of a tally's time)."""

    def __init__(self, period: Period, series: str | None) -> None:
        self.series = series
        self.everything = series is None and period.kind == "all"
        self.all_time = period.kind == "all"
        self.start, self.end = period.start, period.end
        self.inside_lo, self.inside_hi, self.over_lo, self.over_hi = period.years()
        self.whole_years = series == "year" if series else period.year_aligned
        self._codes: dict[tuple[int, int], str] = {}

    def __call__(self, exact: dt.date | None, year: int | None) -> str | None:
        if self.everything:
            return ""
        if exact is not None:
            if not self.all_time and not self.start <= exact < self.end:
                return None
            if not self.series:
                return ""
            ym = (exact.year, exact.month)
            code = self._codes.get(ym)
            if code is None:
                code = self._codes[ym] = period_of(exact, self.series).code
            return code
        if year is None:
            return UNDATED
        if not self.over_lo <= year <= self.over_hi:
            return None
        if self.whole_years and self.inside_lo <= year <= self.inside_hi:
            return str(year) if self.series else ""
        return UNDATED


# ---------------------------------------------------------------- loss-rate definition


class RateBase(StrEnum):
    merits = "merits"  # losses / cases decided on the merits (won + lost)
    concluded = "concluded"  # losses / all concluded cases (won + lost + dismissed + withdrawn)


@dataclass(frozen=True)
class LossRateDefinition:
    base: RateBase = RateBase.concluded
    corrected_withdrawal_is_loss: bool = False  # 行政机关自行纠正后原告撤诉 counted as a loss

    @classmethod
    def parse(cls, text: str | None) -> LossRateDefinition:
        """``concluded`` · ``merits`` · either with ``+corrected``."""
        t = (text or "concluded").strip().lower()
        base, _, extra = t.partition("+")
        try:
            b = RateBase(base)
        except ValueError as exc:
            raise StatsError(
                f"看不懂的败诉率口径「{text}」：可选 concluded、merits，可加 +corrected"
            ) from exc
        if extra not in ("", "corrected"):
            raise StatsError(f"看不懂的败诉率口径「{text}」")
        return cls(b, extra == "corrected")

    @property
    def code(self) -> str:
        return self.base.value + ("+corrected" if self.corrected_withdrawal_is_loss else "")

    @property
    def zh(self) -> str:
        denom = (
            "实体判决案件数（胜诉＋败诉）"
            if self.base == RateBase.merits
            else "审结案件数（胜诉＋败诉＋驳回起诉＋撤诉）"
        )
        wac = (
            "行政机关自行纠正后原告撤诉的计为败诉"
            if self.corrected_withdrawal_is_loss
            else "行政机关自行纠正后原告撤诉的不计为败诉"
        )
        return f"败诉率＝败诉案件数÷{denom}；{wac}；一审与二审、再审为同一案件，按生效结果计一次；非诉执行审查案件不计入"

    def is_loss(self, c: Case | Profile) -> bool:
        return c.outcome == "agency_lost" or (
            self.corrected_withdrawal_is_loss and c.withdrawn_after_correction
        )

    def in_base(self, c: Case | Profile) -> bool:
        if self.base == RateBase.concluded:
            return c.outcome in ("agency_lost", "agency_won", "dismissed", "withdrawn")
        return c.outcome in ("agency_lost", "agency_won") or self.is_loss(c)


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Profile:
    """What the decision figures read of a case (SQL groups cases by it and counts them)."""

    outcome: str | None
    withdrawn_after_correction: bool
    agency_head_appeared: bool | None

    @property
    def concluded(self) -> bool:
        return self.outcome in CONCLUDED


_COUNTS = (
    "cases",
    "concluded",
    "won",
    "lost",
    "dismissed",
    "withdrawn",
    "base",
    "head_known",
    "head_appeared",
    "lost_as_reconsideration_body",
    "reconsideration_corrections",
)


@dataclass
class Figures:
    cases: int = 0  # 发案量 (by filing date)
    concluded: int = 0  # 审结 (this and below: by the date of the decision in effect)
    won: int = 0
    lost: int = 0  # 败诉 (per the definition)
    dismissed: int = 0
    withdrawn: int = 0
    base: int = 0  # the loss rate's denominator
    head_known: int = 0  # cases where the text tells whether the head appeared
    head_appeared: int = 0
    lost_as_reconsideration_body: int = 0  # suits lost where the agency was the 复议机关 co-defendant
    reconsideration_corrections: int = 0  # 复议纠错: reconsideration decisions correcting the agency

    @property
    def loss_rate(self) -> float | None:
        return round(self.lost / self.base, 4) if self.base else None

    @property
    def loss_fraction(self) -> Fraction | None:
        return Fraction(self.lost, self.base) if self.base else None

    @property
    def head_rate(self) -> float | None:
        return round(self.head_appeared / self.head_known, 4) if self.head_known else None

    def add(self, c: Case, d: LossRateDefinition) -> None:
        """Both measures (a table whose period holds the case's filing and decision)."""
        self.add_filed(c)
        self.add_decided(c, d)

    def add_filed(self, c: Case, n: int = 1) -> None:
        self.cases += n

    def add_decided(self, c: Case | Profile, d: LossRateDefinition, n: int = 1) -> None:
        """One decided case (or ``n`` cases of one profile: outcome, correction, head appearance)."""
        if c.concluded:
            self.concluded += n
        self.won += n * (c.outcome == "agency_won")
        self.dismissed += n * (c.outcome == "dismissed")
        self.withdrawn += n * (c.outcome == "withdrawn")
        self.lost += n * d.is_loss(c)
        self.base += n * d.in_base(c)
        if c.agency_head_appeared is not None:
            self.head_known += n
            self.head_appeared += n * c.agency_head_appeared

    def merge(self, other: Figures) -> None:
        for k in _COUNTS:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def empty(self) -> bool:
        return not any(getattr(self, k) for k in _COUNTS)

    def to_json(self) -> dict:
        return {**asdict(self), "loss_rate": self.loss_rate, "head_rate": self.head_rate}


def figures(cases: Iterable[Case], d: LossRateDefinition) -> Figures:
    f = Figures()
    for c in cases:
        f.add(c, d)
    return f


# ---------------------------------------------------------------- grouping


class GroupBy(StrEnum):
    agency = "agency"
    township = "township"
    department = "department"
    field = "field"
    action_type = "action_type"
    cause = "cause"
    court = "court"
    month = "month"
    quarter = "quarter"
    year = "year"
    norm = "norm"

    @property
    def zh(self) -> str:
        return {
            "norm": "违反的法律规范",
            "agency": "单位",
            "township": "乡镇（街道）",
            "department": "县级部门",
            "field": "执法领域",
            "action_type": "行为类型",
            "cause": "败诉原因",
            "court": "审理法院",
            "month": "月份",
            "quarter": "季度",
            "year": "年度",
        }[self.value]

    @property
    def series(self) -> bool:
        return self in (GroupBy.month, GroupBy.quarter, GroupBy.year)

    @property
    def agencies(self) -> bool:
        return self in (GroupBy.agency, GroupBy.township, GroupBy.department)

    @property
    def loss_only(self) -> bool:
        """Groupings of lost suits only (a cause or a norm breached is known only where the agency lost)."""
        return self in (GroupBy.cause, GroupBy.norm)


def label_for(by: GroupBy, key: str | None) -> str:
    """The Chinese label of a field / action type / cause / court key."""
    if key == UNDATED:
        return UNDATED_ZH
    if by == GroupBy.field:
        return zh_label(Field, key) if key else "未分类"
    if by == GroupBy.action_type:
        return zh_label(ActionType, key) if key else "未分类"
    if by == GroupBy.cause:
        return zh_label(LossCause, key) if key else "未分类"
    if by == GroupBy.court:
        return key or "未识别法院"
    if by.series and key:
        return Period.parse(key).zh
    return key or ""


def agency_in(by: GroupBy, a: AgencyRef) -> bool:
    """An agency's row under an agency grouping: only as the original agency (not as 复议机关)."""
    if a.role is not None:
        return False
    if by == GroupBy.township:
        return a.kind == AgencyKind.township
    if by == GroupBy.department:
        return a.county_department
    return True


def static_keys(by: GroupBy, c: Case) -> list[tuple[str, str]]:
    """A case's (key, label) groups under a grouping that is not a date (a case may be in several)."""
    if by.agencies:
        return [(a.key, a.name) for a in c.agencies if agency_in(by, a)]
    if by == GroupBy.field:
        return [(c.field or "", label_for(by, c.field))]
    if by == GroupBy.action_type:
        return [(c.action_type or "", label_for(by, c.action_type))]
    if by == GroupBy.cause:
        return [(x, label_for(by, x)) for x in dict.fromkeys(c.loss_causes)]
    if by == GroupBy.court:
        return [(c.court or "", label_for(by, c.court))]
    if by == GroupBy.norm:
        return [(x, x) for x in dict.fromkeys(c.norms)]
    raise ValueError(by)


@dataclass
class GroupRow:
    key: str
    label: str
    figures: Figures
    previous: Figures | None = None
    rank: int | None = None
    flags: dict[str, bool] = field(default_factory=dict)  # flag label → flagged (县前2名, 市前3名 …)
    share_of_losses: float | None = None  # for causes: share of all lost cases with this cause
    children: list[GroupRow] = field(default_factory=list)  # the second grouping (--then)
    ranked: bool = True  # False: fewer concluded suits than the minimum-case rule asks

    @property
    def rate_change(self) -> float | None:
        if self.previous is None or self.previous.loss_rate is None or self.figures.loss_rate is None:
            return None
        return round(self.figures.loss_rate - self.previous.loss_rate, 4)

    def to_json(self) -> dict:
        out = {
            "key": self.key,
            "label": self.label,
            **self.figures.to_json(),
            "previous": self.previous.to_json() if self.previous else None,
            "rate_change": self.rate_change,
            "rank": self.rank,
            "ranked": self.ranked,
            "flags": dict(self.flags),
            "share_of_losses": self.share_of_losses,
        }
        if self.children:
            out["children"] = [c.to_json() for c in self.children]
        return out


Key = tuple[str, ...]


@dataclass
class Tally:
    """Counts of one table: cells keyed by one key per grouping, the totals and the 日期不详 figures."""

    cells: dict[Key, Figures] = field(default_factory=dict)
    labels: dict[tuple[int, str], str] = field(default_factory=dict)
    totals: Figures = field(default_factory=Figures)
    undated: Figures = field(default_factory=Figures)

    def cell(self, key: Key) -> Figures:
        f = self.cells.get(key)
        if f is None:
            f = self.cells[key] = Figures()
        return f


def tally(
    cases: Iterable[Case],
    dims: Sequence[GroupBy],
    period: Period,
    d: LossRateDefinition,
    reconsiderations: Iterable[Reconsideration] = (),
    series: str | None = None,
) -> Tally:
    """Place each case's filing (发案) and decision (审结/败诉) by rule, then count per grouping (pure).
    ``series``: place by that date grouping's granularity (a two-way table's primary rows).

    A case's keys under the groupings that are not dates are worked out once for both measures, and the
    period's bounds once for the table (:class:`Placer`)."""
    series = series or next((x.value for x in dims if x.series), None)
    at_of = Placer(period, series)
    loss_only = any(x.loss_only for x in dims)
    dated = [x.series for x in dims]
    one_agency_dim = len(dims) == 1 and dims[0].agencies
    t = Tally()
    labels, cells = t.labels, t.cells
    for c in cases:
        filed_at = at_of(c.filed, c.filed_year)
        decided_at = at_of(c.date, c.decided_year) if c.decided else None
        if filed_at is None and decided_at is None:
            continue
        lost = d.is_loss(c)
        statics: list[list[tuple[str, str]]] | None = None
        for measure, at in (("filed", filed_at), ("decided", decided_at)):
            if at is None:
                continue
            if at == UNDATED:
                _add(t.undated, c, measure, d)
                continue
            _add(t.totals, c, measure, d)
            if loss_only and not lost:
                continue
            if statics is None:
                statics = [
                    [] if is_date else static_keys(x, c) for x, is_date in zip(dims, dated, strict=True)
                ]
            per_dim = [
                [(at, label_for(x, at))] if is_date else keys
                for x, is_date, keys in zip(dims, dated, statics, strict=True)
            ]
            for combo in product(*per_dim):
                for i, (k, label) in enumerate(combo):
                    if (i, k) not in labels:
                        labels[(i, k)] = label
                key = tuple(k for k, _ in combo)
                f = cells.get(key)
                if f is None:
                    f = cells[key] = Figures()
                _add(f, c, measure, d)
            if measure == "decided" and lost and one_agency_dim:
                for a in c.agencies:
                    if a.role == RECONSIDERATION_BODY and _plain_in(dims[0], a):
                        t.labels.setdefault((0, a.key), a.name)
                        t.cell((a.key,)).lost_as_reconsideration_body += 1
    if one_agency_dim:
        placed = Placer(period, None)
        for r in reconsiderations:
            at = placed(r.date, r.year)
            if at is None or not r.corrected:
                continue
            if at == UNDATED:
                t.undated.reconsideration_corrections += 1
                continue
            t.totals.reconsideration_corrections += 1
            for a in r.agencies:
                if agency_in(dims[0], a):
                    t.labels.setdefault((0, a.key), a.name)
                    t.cell((a.key,)).reconsideration_corrections += 1
    return t


def _plain_in(by: GroupBy, a: AgencyRef) -> bool:
    return agency_in(by, AgencyRef(**{**a.__dict__, "role": None}))


def _add(f: Figures, c: Case, measure: str, d: LossRateDefinition) -> None:
    if measure == "filed":
        f.cases += 1
    else:
        f.add_decided(c, d)


def rows_of(
    t: Tally, dims: Sequence[GroupBy], primary: dict[str, GroupRow] | None = None
) -> dict[str, GroupRow]:
    """The tally as rows of the first grouping; for two groupings, ``primary`` (the one-way rows) gets the
    second-grouping cells as children (a row's own figures are not the sum of its children when a case is in
    several cells: two agencies, two causes)."""
    if len(dims) == 1:
        out: dict[str, GroupRow] = {}
        for key, f in t.cells.items():
            out[key[0]] = GroupRow(key[0], t.labels.get((0, key[0]), key[0]), f)
        return out
    rows = primary if primary is not None else {}
    for key, f in t.cells.items():
        row = rows.get(key[0])
        if row is None:
            row = rows[key[0]] = GroupRow(key[0], t.labels.get((0, key[0]), key[0]), Figures())
        row.children.append(GroupRow(key[1], t.labels.get((1, key[1]), key[1]), f))
    return rows


def group(cases: Iterable[Case], by: GroupBy, d: LossRateDefinition) -> dict[str, GroupRow]:
    """One grouping over all time (kept for callers that count a preselected list of cases)."""
    return rows_of(tally(cases, [by], Period("all"), d), [by])


def competition_ranks(values: list[Fraction | int | None]) -> list[int | None]:
    """Standard competition ranking, highest first: (0.5, 0.5, 0.2) → (1, 1, 3); None is unranked."""
    ranked = sorted((v for v in values if v is not None), reverse=True)
    first: dict[Fraction | int, int] = {}
    for i, v in enumerate(ranked, start=1):
        first.setdefault(v, i)
    return [first[v] if v is not None else None for v in values]


# ---------------------------------------------------------------- ranking rules (settings)


@dataclass(frozen=True)
class RankingRules:
    """Top-N flags shown as columns (``县前2名``: the county excludes its top two from 优秀, ``市前3名``: the
    city its top three) and the minimum-case rule: a loss rate on fewer than ``min_concluded`` concluded
    suits is neither ranked nor flagged. Built from the settings ``ranking_flags``/``ranking_min_concluded``."""

    flags: tuple[tuple[str, int], ...] = (("县", 2), ("市", 3))
    min_concluded: int = 3

    @classmethod
    def parse(cls, flags: str, min_concluded: int = 3) -> RankingRules:
        """``县:2,市:3`` → flags 县前2名 and 市前3名."""
        out = []
        for part in re.split(r"[,，;；]", flags or ""):
            if not part.strip():
                continue
            name, _, n = part.strip().rpartition(":") if ":" in part else ("", "", part.strip())
            if not n.strip().isdigit() or int(n) < 1:
                raise StatsError(f"看不懂的排名标记「{part}」：应写成 县:2,市:3")
            out.append((name.strip() or "前", int(n)))
        return cls(tuple(out), max(int(min_concluded), 0))

    @classmethod
    def from_settings(cls, settings: object) -> RankingRules:
        return cls.parse(
            str(getattr(settings, "ranking_flags", "县:2,市:3")),
            int(getattr(settings, "ranking_min_concluded", 3)),
        )

    @property
    def labels(self) -> list[str]:
        return [flag_label(name, n) for name, n in self.flags]

    @property
    def zh(self) -> str:
        flags = "、".join(f"{flag_label(n, k)}（败诉率排名前{k}位且败诉率不为零）" for n, k in self.flags)
        return (
            f"排名按败诉率从高到低，并列同名次（竞争排名）；审结不足{self.min_concluded}件的单位不排名、不标记；"
            f"标记：{flags or '无'}；标记只用于年度统计"
        )


def flag_label(name: str, n: int) -> str:
    return f"{name}前{n}名"


def rank_rows(
    rows: list[GroupRow], *, by_rate: bool = True, flag: bool = False, rules: RankingRules | None = None
) -> list[GroupRow]:
    """Rank by loss rate (exact fractions, so 1/2 ties 2/4) or by losses; sort for display."""
    rules = rules or RankingRules()
    for r in rows:
        r.ranked = not by_rate or r.figures.concluded >= rules.min_concluded
    vals: list[Fraction | int | None] = [
        (r.figures.loss_fraction if by_rate else r.figures.lost) if r.ranked else None for r in rows
    ]
    for r, rank in zip(rows, competition_ranks(vals), strict=True):
        r.rank = rank
        value = r.figures.loss_fraction if by_rate else r.figures.lost
        r.flags = {
            flag_label(name, n): bool(flag and by_rate and rank is not None and rank <= n and value)
            for name, n in rules.flags
        }
    return sorted(
        rows, key=lambda r: (r.rank is None, r.rank or 0, -r.figures.lost, -r.figures.cases, r.label)
    )


# ---------------------------------------------------------------- the report


@dataclass
class KeyTarget:
    kind: str  # township / department
    names: list[str]  # several when tied
    losses: int
    keys: list[str] = field(default_factory=list)  # the rows' keys ("a:<registry id>"), same order as names
    concluded: int = 0
    loss_rate: float | None = None
    ranked: bool = True  # the minimum-case rule holds for the proposal (its rate counts)


def key_target_rule_zh(min_concluded: int) -> str:
    """The proposal rule of 重点监督对象, printed on the dashboard and in its JSON."""
    return (
        "重点监督对象的建议规则：本期内，在本县单位（单位名录标为本县的单位）中，乡镇（街道）和县级部门各选败诉案件"
        f"最多的一个；败诉件数相同的，审结满{min_concluded}件（最少案件规则）的优先；仍相同的，败诉率高的优先；"
        "仍相同的一并列出，由司法局确认其中一个；本期没有败诉案件的不提建议。建议由管理员或分析员确认或改选，"
        "确认结果按期间保存，并记录确认人和时间"
    )


@dataclass
class StatsReport:
    by: GroupBy
    period: Period
    previous_period: Period | None
    definition: LossRateDefinition
    totals: Figures
    previous_totals: Figures | None
    rows: list[GroupRow]
    key_targets: list[KeyTarget] = field(default_factory=list)
    scope: str = "all"
    then: GroupBy | None = None
    undated: Figures = field(default_factory=Figures)
    rules: RankingRules = field(default_factory=RankingRules)
    stood_alone: int = (
        0  # suits in the table (发案, 日期不详 included) of appeals/retrials without a first instance
    )
    query: str | None = None  # the search query whose judgments' suits the table is over (None: every suit)
    sample: int | None = None  # with a query: how many suits it matched

    @property
    def grand_totals(self) -> Figures:
        """合计 including 日期不详: what the rows and the 日期不详 row add up to."""
        f = Figures()
        f.merge(self.totals)
        f.merge(self.undated)
        return f

    @property
    def rules_zh(self) -> str:
        """Every rule the table was computed with, printed under it."""
        parts = [self.definition.zh, DATE_RULE_ZH, SUIT_RULE_ZH]
        if not self.by.series and not self.by.loss_only:
            parts.append(self.rules.zh)
        if self.by.agencies:
            parts.append(RECONSIDERATION_RULE_ZH)
        return "。".join(parts) + "。"

    def to_json(self) -> dict:
        return {
            "by": self.by.value,
            "by_zh": self.by.zh,
            "then": self.then.value if self.then else None,
            "then_zh": self.then.zh if self.then else None,
            "period": self.period.code,
            "period_zh": self.period.zh,
            "previous_period": self.previous_period.code if self.previous_period else None,
            "definition": self.definition.code,
            "definition_zh": self.definition.zh,
            "date_rule_zh": DATE_RULE_ZH,
            "suit_rule_zh": SUIT_RULE_ZH,
            "stood_alone": self.stood_alone,
            "query": self.query,
            "sample": self.sample,
            "ranking_rule_zh": self.rules.zh,
            "reconsideration_rule_zh": RECONSIDERATION_RULE_ZH if self.by.agencies else None,
            "rules_zh": self.rules_zh,
            "flag_labels": self.rules.labels,
            "scope": self.scope,
            "totals": self.totals.to_json(),
            "undated": self.undated.to_json(),
            "grand_totals": self.grand_totals.to_json(),
            "previous_totals": self.previous_totals.to_json() if self.previous_totals else None,
            "rows": [r.to_json() for r in self.all_rows],
            "key_targets": [asdict(k) for k in self.key_targets],
        }

    @property
    def all_rows(self) -> list[GroupRow]:
        """The rows, then a 日期不详 row when some case could not be placed."""
        if self.undated.empty():
            return self.rows
        return [*self.rows, GroupRow(UNDATED, UNDATED_ZH, self.undated, ranked=False)]

    def to_table(self) -> Table:
        first = [self.by.zh] + ([self.then.zh] if self.then else [])
        flags = self.rules.labels
        if self.by.loss_only and not self.then:
            cols = [self.by.zh, "败诉案件数", "占败诉案件比例"]
            rows = [[r.label, r.figures.lost, _pct(r.share_of_losses)] for r in self.all_rows]
        else:
            agencies = self.by.agencies and not self.then
            cols = [
                "排名",
                *first,
                "发案量",
                "审结",
                "胜诉",
                "败诉",
                "败诉率",
                "上期败诉率",
                "变化",
                "负责人出庭率",
            ]
            if agencies:
                cols += ["作为复议机关败诉", "复议纠错"]
            cols += flags
            rows = []
            for r in self.all_rows:
                for label2, f, rank, prev, change, row_flags in self._lines(r):
                    line: list[object] = [
                        rank or "",
                        r.label,
                        *([label2] if self.then else []),
                        f.cases,
                        f.concluded,
                        f.won,
                        f.lost,
                        _pct(f.loss_rate),
                        _pct(prev),
                        _pp(change),
                        _pct(f.head_rate),
                    ]
                    if agencies:
                        line += [f.lost_as_reconsideration_body, f.reconsideration_corrections]
                    line += ["★" if row_flags.get(x) else "" for x in flags]
                    rows.append(line)
        t, u = self.totals, self.undated
        title = f"{self.period.zh}行政诉讼案件统计（按{'、'.join(first)}）"
        if self.query is not None:
            title += f"——检索“{self.query}”的结果"
        note = (
            (
                f"本表只统计检索“{self.query}”命中的裁判文书所属的 {self.sample} 件案件"
                "（案件中任一文书命中即计入）。"
                if self.query is not None
                else ""
            )
            + f"{self.rules_zh}合计：发案 {t.cases} 件，审结 {t.concluded} 件，败诉 {t.lost} 件，"
            f"败诉率 {_pct(t.loss_rate)}，负责人出庭应诉率 {_pct(t.head_rate)}（已知出庭情况 {t.head_known} 件）"
        )
        if self.by.agencies:
            note += f"；复议纠错 {t.reconsideration_corrections} 件"
        if not u.empty():
            g = self.grand_totals
            note += f"；另有日期不详 {u.cases} 件（发案），日期不详的审结 {u.concluded} 件，含日期不详合计发案 {g.cases} 件"
        note += f"；其中二审、再审裁判未能找到一审而单独计为一件的 {self.stood_alone} 件"
        return Table(title=title, columns=cols, rows=rows, note=note + "。", meta=self.to_json())

    def _lines(self, r: GroupRow):  # type: ignore[no-untyped-def]
        prev = r.previous.loss_rate if r.previous else None
        if not self.then:
            return [("", r.figures, r.rank, prev, r.rate_change, r.flags)]
        out = [("（合计）", r.figures, r.rank, prev, r.rate_change, r.flags)]
        out += [(c.label, c.figures, None, None, None, {}) for c in r.children]
        return out


RECONSIDERATION_RULE_ZH = (
    "单位排名只计原行政行为的作出机关；复议机关维持原行为而作为共同被告的（行政诉讼法第二十六条第二款），"
    "不计入其本单位发案量、败诉率和排名，其败诉另列「作为复议机关败诉」；「复议纠错」为行政复议机关决定变更、"
    "撤销、部分撤销、确认违法、确认无效或责令履行的件数（按复议决定日期计），行政复议案件不计入发案量和败诉率"
)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _pp(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:+.1f}个百分点"


def restrict(
    cases: Iterable[Case], *, agency_ids: list[int] | None = None, ours_only: bool = False
) -> list[Case]:
    """Cases of the given agencies (their other co-defendants dropped); ``ours_only``: registry 'ours' only."""
    out = []
    for c in cases:
        agencies = c.agencies
        if ours_only:
            agencies = [a for a in agencies if a.ours]
        if agency_ids is not None:
            wanted = set(agency_ids)
            agencies = [a for a in agencies if a.agency_id in wanted]
        if agencies:
            if agencies is not c.agencies:
                c = Case(**{**c.__dict__, "agencies": agencies})
            out.append(c)
        elif agency_ids is None and not ours_only:
            out.append(c)
    return out


def restrict_reconsiderations(
    items: Iterable[Reconsideration], *, agency_ids: list[int] | None = None, ours_only: bool = False
) -> list[Reconsideration]:
    out = []
    for r in items:
        agencies = [
            a
            for a in r.agencies
            if (not ours_only or a.ours) and (agency_ids is None or a.agency_id in set(agency_ids))
        ]
        if agencies or (agency_ids is None and not ours_only):
            out.append(Reconsideration(**{**r.__dict__, "agencies": agencies}))
    return out


def compute(
    cases: list[Case],
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    *,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    then: GroupBy | None = None,
    rules: RankingRules | None = None,
    reconsiderations: Iterable[Reconsideration] = (),
) -> StatsReport:
    """The whole report for one grouping (and optionally a second) and period, with the previous period for
    trend (pure)."""
    if then == by:
        raise StatsError("--then 须与 --by 不同")
    scoped = restrict(cases, agency_ids=agency_ids, ours_only=ours_only)
    recs = restrict_reconsiderations(reconsiderations, agency_ids=agency_ids, ours_only=ours_only)
    dims = [by] + ([then] if then else [])
    series_kind = next((x.value for x in dims if x.series), None)
    series = series_kind is not None
    prev_p = period.previous() if not series else None
    now = tally(scoped, [by], period, d, recs, series=series_kind)
    if then:
        groups = rows_of(tally(scoped, dims, period, d), dims, rows_of(now, [by]))
    else:
        groups = rows_of(now, [by])
    before = tally(scoped, [by], prev_p, d, recs) if prev_p else None
    no_targets = series or by.series
    townships = (
        {} if no_targets else rows_of(tally(scoped, [GroupBy.township], period, d), [GroupBy.township])
    )
    departments = (
        {} if no_targets else rows_of(tally(scoped, [GroupBy.department], period, d), [GroupBy.department])
    )
    report = finish_report(
        by,
        period,
        prev_p,
        d,
        now.totals,
        before.totals if before else None,
        groups,
        rows_of(before, [by]) if before else {},
        townships,
        departments,
        "ours" if ours_only else ("agencies" if agency_ids is not None else "all"),
        then=then,
        undated=now.undated,
        rules=rules,
    )
    report.stood_alone = count_stood_alone(scoped, period, series_kind)
    return report


def count_stood_alone(cases: Iterable[Case], period: Period, series: str | None) -> int:
    """Suits of the table (filed in it, or 日期不详) made of appeals/retrials whose first instance was not found."""
    at = Placer(period, series)
    return sum(1 for c in cases if c.stood_alone and at(c.filed, c.filed_year) is not None)


def finish_report(
    by: GroupBy,
    period: Period,
    prev_p: Period | None,
    d: LossRateDefinition,
    totals: Figures,
    prev_totals: Figures | None,
    groups: dict[str, GroupRow],
    prev_groups: dict[str, GroupRow],
    townships: dict[str, GroupRow],
    departments: dict[str, GroupRow],
    scope: str,
    *,
    then: GroupBy | None = None,
    undated: Figures | None = None,
    rules: RankingRules | None = None,
) -> StatsReport:
    """Counts → report: previous-period figures, shares, ranks with ties, top-N flags, key targets (pure)."""
    rules = rules or RankingRules()
    rows = list(groups.values())
    for r in rows:
        r.previous = prev_groups[r.key].figures if r.key in prev_groups else (Figures() if prev_p else None)
        r.children.sort(key=lambda c: (-c.figures.lost, -c.figures.cases, c.label))
    if by.loss_only:
        for r in rows:
            r.share_of_losses = round(r.figures.lost / totals.lost, 4) if totals.lost else None
        rows = rank_rows(rows, by_rate=False, rules=rules)
    elif by.series:
        rows.sort(key=lambda r: r.key)
    else:
        rows = rank_rows(rows, flag=(period.kind == "year"), rules=rules)
    targets = [
        t
        for t in (
            _top(AgencyKind.township, townships, rules),
            _top(AgencyKind.department, departments, rules),
        )
        if t
    ]
    return StatsReport(
        by,
        period,
        prev_p,
        d,
        totals,
        prev_totals,
        rows,
        targets,
        scope,
        then=then,
        undated=undated or Figures(),
        rules=rules,
    )


def _top(
    kind: AgencyKind, groups: dict[str, GroupRow], rules: RankingRules | None = None
) -> KeyTarget | None:
    """The agency with the most losses; a tie goes first to one whose rate counts under the minimum-case rule,
    then to the higher loss rate; a remaining tie names all (key_target_rule_zh)."""
    rules = rules or RankingRules()
    rows = [r for r in groups.values() if r.figures.lost > 0]
    if not rows:
        return None

    def order(r: GroupRow) -> tuple[int, bool, Fraction]:
        return (
            r.figures.lost,
            r.figures.concluded >= rules.min_concluded,
            r.figures.loss_fraction or Fraction(0),
        )

    best = max(order(r) for r in rows)
    chosen = sorted((r for r in rows if order(r) == best), key=lambda r: r.label)
    first = chosen[0].figures
    return KeyTarget(
        kind.value,
        [r.label for r in chosen],
        best[0],
        keys=[r.key for r in chosen],
        concluded=first.concluded,
        loss_rate=first.loss_rate,
        ranked=best[1],
    )


def key_targets(cases: list[Case], d: LossRateDefinition) -> list[KeyTarget]:
    """重点监督对象: the township and the county department with the most losses."""
    found = (
        _top(AgencyKind.township, group(cases, GroupBy.township, d)),
        _top(AgencyKind.department, group(cases, GroupBy.department, d)),
    )
    return [t for t in found if t]


def outcome_zh(code: str | None) -> str:
    return zh_label(Outcome, code) if code else "未结"
