"""Statistics over cases: volume, concluded, losses, loss rate, head-appearance rate, rankings, trend.

Everything here is pure (lists of :class:`reports.cases.Case` in, plain dataclasses out); the service
function :func:`stats_report` loads the cases at the edge. Every figure carries the loss-rate
definition it was computed with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from fractions import Fraction

from core.spreadsheet import Table, zh_label
from core.taxonomy import ActionType, Field, LossCause, Outcome
from registry.agencies import AgencyKind
from reports.cases import Case


class StatsError(Exception):
    """Bad statistics parameters; the message is for the user (Chinese)."""


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    kind: str  # year / quarter / month / all
    year: int = 0
    index: int = 0  # quarter 1-4 or month 1-12

    @classmethod
    def parse(cls, text: str | None) -> Period:
        """``2024`` · ``2024Q2`` · ``2024-05`` · ``2024年`` · ``2024年第二季度``; empty → all time."""
        t = (text or "").strip().upper().replace("年", "").replace("第", "").replace("季度", "Q")
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
        raise StatsError(f"看不懂的统计期间「{text}」：请写 2024、2024Q2 或 2024-05")

    @property
    def start(self) -> dt.date:
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
        if self.kind == "all":
            return dt.date.max
        return self.next().start

    def contains(self, d: dt.date | None) -> bool:
        if self.kind == "all":
            return True
        return d is not None and self.start <= d < self.end

    def next(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year + 1)
        n = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year + (self.index == n), 1 if self.index == n else self.index + 1)

    def previous(self) -> Period | None:
        if self.kind == "all":
            return None
        if self.kind == "year":
            return Period("year", self.year - 1)
        n = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year - (self.index == 1), n if self.index == 1 else self.index - 1)

    @property
    def code(self) -> str:
        return {
            "all": "all",
            "year": f"{self.year}",
            "quarter": f"{self.year}Q{self.index}",
            "month": f"{self.year}-{self.index:02d}",
        }[self.kind]

    @property
    def zh(self) -> str:
        if self.kind == "all":
            return "全部期间"
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"


def period_of(d: dt.date, kind: str) -> Period:
    if kind == "year":
        return Period("year", d.year)
    if kind == "quarter":
        return Period("quarter", d.year, (d.month - 1) // 3 + 1)
    return Period("month", d.year, d.month)


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

    def is_loss(self, c: Case) -> bool:
        return c.outcome == "agency_lost" or (
            self.corrected_withdrawal_is_loss and c.withdrawn_after_correction
        )

    def in_base(self, c: Case) -> bool:
        if self.base == RateBase.concluded:
            return c.outcome in ("agency_lost", "agency_won", "dismissed", "withdrawn")
        return c.outcome in ("agency_lost", "agency_won") or self.is_loss(c)


# ---------------------------------------------------------------- figures


@dataclass
class Figures:
    cases: int = 0  # 发案量
    concluded: int = 0  # 审结
    won: int = 0
    lost: int = 0  # 败诉 (per the definition)
    dismissed: int = 0
    withdrawn: int = 0
    base: int = 0  # the loss rate's denominator
    head_known: int = 0  # cases where the text tells whether the head appeared
    head_appeared: int = 0

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
        self.cases += 1
        if c.concluded:
            self.concluded += 1
        self.won += c.outcome == "agency_won"
        self.dismissed += c.outcome == "dismissed"
        self.withdrawn += c.outcome == "withdrawn"
        self.lost += d.is_loss(c)
        self.base += d.in_base(c)
        if c.agency_head_appeared is not None:
            self.head_known += 1
            self.head_appeared += c.agency_head_appeared

    def merge(self, other: Figures) -> None:
        for k in (
            "cases",
            "concluded",
            "won",
            "lost",
            "dismissed",
            "withdrawn",
            "base",
            "head_known",
            "head_appeared",
        ):
            setattr(self, k, getattr(self, k) + getattr(other, k))

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

    @property
    def zh(self) -> str:
        return {
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


def label_for(by: GroupBy, key: str | None) -> str:
    """The Chinese label of a field / action type / cause / court key."""
    if by == GroupBy.field:
        return zh_label(Field, key) if key else "未分类"
    if by == GroupBy.action_type:
        return zh_label(ActionType, key) if key else "未分类"
    if by == GroupBy.cause:
        return zh_label(LossCause, key) if key else "未分类"
    if by == GroupBy.court:
        return key or "未识别法院"
    return key or ""


def _keys(by: GroupBy) -> Callable[[Case], list[tuple[str, str]]]:
    """A function giving each case its (key, label) groups under ``by`` (a case may be in several)."""
    if by == GroupBy.agency:
        return lambda c: [(a.key, a.name) for a in c.agencies]
    if by == GroupBy.township:
        return lambda c: [(a.key, a.name) for a in c.agencies if a.kind == AgencyKind.township]
    if by == GroupBy.department:
        return lambda c: [(a.key, a.name) for a in c.agencies if a.county_department]
    if by == GroupBy.field:
        return lambda c: [(c.field or "", label_for(by, c.field))]
    if by == GroupBy.action_type:
        return lambda c: [(c.action_type or "", label_for(by, c.action_type))]
    if by == GroupBy.cause:
        return lambda c: [(x, label_for(by, x)) for x in dict.fromkeys(c.loss_causes)]
    if by == GroupBy.court:
        return lambda c: [(c.court or "", label_for(by, c.court))]
    kind = by.value
    return lambda c: [(period_of(c.date, kind).code, period_of(c.date, kind).zh)] if c.date else []


@dataclass
class GroupRow:
    key: str
    label: str
    figures: Figures
    previous: Figures | None = None
    rank: int | None = None
    top3: bool = False
    share_of_losses: float | None = None  # for causes: share of all lost cases with this cause

    @property
    def rate_change(self) -> float | None:
        if self.previous is None or self.previous.loss_rate is None or self.figures.loss_rate is None:
            return None
        return round(self.figures.loss_rate - self.previous.loss_rate, 4)

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            **self.figures.to_json(),
            "previous": self.previous.to_json() if self.previous else None,
            "rate_change": self.rate_change,
            "rank": self.rank,
            "top3": self.top3,
            "share_of_losses": self.share_of_losses,
        }


def group(cases: Iterable[Case], by: GroupBy, d: LossRateDefinition) -> dict[str, GroupRow]:
    keyf = _keys(by)
    out: dict[str, GroupRow] = {}
    for c in cases:
        if by == GroupBy.cause and not d.is_loss(c):
            continue
        for key, label in keyf(c):
            row = out.get(key)
            if row is None:
                row = out[key] = GroupRow(key, label, Figures())
            row.figures.add(c, d)
    return out


def competition_ranks(values: list[Fraction | int | None]) -> list[int | None]:
    """Standard competition ranking, highest first: (0.5, 0.5, 0.2) → (1, 1, 3); None is unranked."""
    ranked = sorted((v for v in values if v is not None), reverse=True)
    first: dict[Fraction | int, int] = {}
    for i, v in enumerate(ranked, start=1):
        first.setdefault(v, i)
    return [first[v] if v is not None else None for v in values]


def rank_rows(rows: list[GroupRow], *, by_rate: bool = True, flag_top3: bool = False) -> list[GroupRow]:
    """Rank by loss rate (exact fractions, so 1/2 ties 2/4) or by losses; sort for display."""
    vals: list[Fraction | int | None] = [
        (r.figures.loss_fraction if by_rate else r.figures.lost) for r in rows
    ]
    for r, rank in zip(rows, competition_ranks(vals), strict=True):
        r.rank = rank
        value = r.figures.loss_fraction if by_rate else r.figures.lost
        r.top3 = bool(flag_top3 and rank is not None and rank <= 3 and value)
    return sorted(
        rows, key=lambda r: (r.rank is None, r.rank or 0, -r.figures.lost, -r.figures.cases, r.label)
    )


# ---------------------------------------------------------------- the report


@dataclass
class KeyTarget:
    kind: str  # township / department
    names: list[str]  # several when tied
    losses: int


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

    def to_json(self) -> dict:
        return {
            "by": self.by.value,
            "by_zh": self.by.zh,
            "period": self.period.code,
            "period_zh": self.period.zh,
            "previous_period": self.previous_period.code if self.previous_period else None,
            "definition": self.definition.code,
            "definition_zh": self.definition.zh,
            "scope": self.scope,
            "totals": self.totals.to_json(),
            "previous_totals": self.previous_totals.to_json() if self.previous_totals else None,
            "rows": [r.to_json() for r in self.rows],
            "key_targets": [asdict(k) for k in self.key_targets],
        }

    def to_table(self) -> Table:
        cols = [
            "排名",
            self.by.zh,
            "发案量",
            "审结",
            "胜诉",
            "败诉",
            "败诉率",
            "上期败诉率",
            "变化",
            "负责人出庭率",
            "前三",
        ]
        if self.by == GroupBy.cause:
            cols = [self.by.zh, "败诉案件数", "占败诉案件比例"]
            rows = [[r.label, r.figures.lost, _pct(r.share_of_losses)] for r in self.rows]
        else:
            rows = [
                [
                    r.rank or "",
                    r.label,
                    r.figures.cases,
                    r.figures.concluded,
                    r.figures.won,
                    r.figures.lost,
                    _pct(r.figures.loss_rate),
                    _pct(r.previous.loss_rate if r.previous else None),
                    _pp(r.rate_change),
                    _pct(r.figures.head_rate),
                    "★" if r.top3 else "",
                ]
                for r in self.rows
            ]
        t = self.totals
        title = f"{self.period.zh}行政诉讼案件统计（按{self.by.zh}）"
        note = (
            f"{self.definition.zh}。合计：发案 {t.cases} 件，审结 {t.concluded} 件，败诉 {t.lost} 件，"
            f"败诉率 {_pct(t.loss_rate)}，负责人出庭应诉率 {_pct(t.head_rate)}（已知出庭情况 {t.head_known} 件）。"
        )
        return Table(title=title, columns=cols, rows=rows, note=note, meta=self.to_json())


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


def compute(
    cases: list[Case],
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    *,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
) -> StatsReport:
    """The whole report for one grouping and period, with the previous period for trend (pure)."""
    scoped = restrict(cases, agency_ids=agency_ids, ours_only=ours_only)
    now = [c for c in scoped if period.contains(c.date)]
    prev_p = period.previous() if by not in (GroupBy.month, GroupBy.quarter, GroupBy.year) else None
    before = [c for c in scoped if prev_p.contains(c.date)] if prev_p else []
    series = by in (GroupBy.month, GroupBy.quarter, GroupBy.year)  # a trend table: no key targets
    return finish_report(
        by,
        period,
        prev_p,
        d,
        figures(now, d),
        figures(before, d) if prev_p else None,
        group(now, by, d),
        group(before, by, d) if prev_p else {},
        {} if series else group(now, GroupBy.township, d),
        {} if series else group(now, GroupBy.department, d),
        "ours" if ours_only else ("agencies" if agency_ids is not None else "all"),
    )


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
) -> StatsReport:
    """Counts → report: previous-period figures, shares, ranks with ties, top-3 flags, key targets (pure)."""
    rows = list(groups.values())
    for r in rows:
        r.previous = prev_groups[r.key].figures if r.key in prev_groups else (Figures() if prev_p else None)
    if by == GroupBy.cause:
        for r in rows:
            r.share_of_losses = round(r.figures.lost / totals.lost, 4) if totals.lost else None
        rows = rank_rows(rows, by_rate=False)
    elif by in (GroupBy.month, GroupBy.quarter, GroupBy.year):
        rows.sort(key=lambda r: r.key)
    else:
        rows = rank_rows(rows, flag_top3=(period.kind == "year"))
    targets = [
        t for t in (_top(AgencyKind.township, townships), _top(AgencyKind.department, departments)) if t
    ]
    return StatsReport(by, period, prev_p, d, totals, prev_totals, rows, targets, scope)


def _top(kind: AgencyKind, groups: dict[str, GroupRow]) -> KeyTarget | None:
    """The agency with the most losses; a tie is broken by the higher loss rate, a remaining tie names all."""
    rows = [r for r in groups.values() if r.figures.lost > 0]
    if not rows:
        return None
    best = max((r.figures.lost, r.figures.loss_fraction or 0) for r in rows)
    names = sorted(r.label for r in rows if (r.figures.lost, r.figures.loss_fraction or 0) == best)
    return KeyTarget(kind.value, names, best[0])


def key_targets(cases: list[Case], d: LossRateDefinition) -> list[KeyTarget]:
    """重点监督对象: the township and the county department with the most losses."""
    found = (
        _top(AgencyKind.township, group(cases, GroupBy.township, d)),
        _top(AgencyKind.department, group(cases, GroupBy.department, d)),
    )
    return [t for t in found if t]


def outcome_zh(code: str | None) -> str:
    return zh_label(Outcome, code) if code else "未结"
