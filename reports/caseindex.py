"""The derived case table (report_cases + agencies + causes) and the statistics as SQL aggregates over it.

Linking judgments into cases is Python (reports.cases); it runs again only when the judgments, the
corrections, the registry or the ledger changed (a fingerprint of them is kept in report_state). The
statistics are then a handful of GROUP BY queries, fast on 100,000 cases, and the pure functions of
reports.stats turn the counts into rates, ranks and trends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, delete, false, func, insert, or_, select, text, true
from sqlalchemy.orm import Session, aliased

from core.models import (
    Agency,
    AgencyAlias,
    CaseReconsideration,
    CaseUnit,
    CaseUnitAgency,
    CaseUnitCause,
    CaseUnitJudgment,
    CaseUnitNorm,
    Correction,
    Judgment,
    LedgerEntry,
    ReportState,
)
from reports.cases import (
    CONCLUDED,
    RECONSIDERATION_BODY,
    AgencyRef,
    Case,
    Reconsideration,
)
from reports.registered import load_suits, register_fingerprint
from reports.stats import (
    UNDATED,
    Figures,
    GroupBy,
    GroupRow,
    LossRateDefinition,
    Period,
    Profile,
    RankingRules,
    RateBase,
    StatsError,
    StatsReport,
    agency_in,
    finish_report,
    label_for,
    parse_period,
    place,
)

STATE_KEY = "case_index_fingerprint"
# Bumped when what a rebuild writes changes (2: dates by rule, roles, norms, reconsiderations — 0009_figures;
# 3: register rows merged, stood_alone — 0015_figures_suits; 4: report_case_judgments — 0016), so a table built by an older version is rebuilt
# once.
CASEBOOK_VERSION = 4


def fingerprint(session: Session) -> str:
    """What the case table depends on: judgments, corrections, the registry, the ledger and the register."""
    parts: list[Any] = [
        CASEBOOK_VERSION,
        session.execute(
            select(func.count(Judgment.id), func.max(Judgment.id), func.max(Judgment.updated_at))
        ).one(),
        session.execute(select(func.count(Correction.id), func.max(Correction.id))).one(),
        session.execute(
            select(Agency.id, Agency.name, Agency.kind, Agency.level, Agency.ours).order_by(Agency.id)
        ).all(),
        session.execute(
            select(AgencyAlias.id, AgencyAlias.agency_id, AgencyAlias.alias).order_by(AgencyAlias.id)
        ).all(),
        session.execute(
            select(
                LedgerEntry.id,
                LedgerEntry.case_no_norm,
                LedgerEntry.outcome,
                LedgerEntry.agency_id,
                LedgerEntry.received_date,
                LedgerEntry.concluded_date,
                LedgerEntry.judgment_id,
            ).order_by(LedgerEntry.id)
        ).all(),
        *register_fingerprint(session),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


_COPIED = (
    "field",
    "action_type",
    "court",
    "filed_ym",
    "decided_ym",
    "filed",
    "filed_year",
    "date",
    "decided_year",
    "outcome",
    "withdrawn_after_correction",
    "agency_head_appeared",
)


def rebuild(
    session: Session, cases: list[Case] | None = None, reconsiderations: list[Reconsideration] | None = None
) -> int:
    """Recompute every case and replace the table; returns the number of cases."""
    if cases is None:
        cases, reconsiderations = load_suits(session)
    session.execute(delete(CaseReconsideration))
    session.execute(delete(CaseUnitJudgment))
    session.execute(delete(CaseUnitNorm))
    session.execute(delete(CaseUnitCause))
    session.execute(delete(CaseUnitAgency))
    session.execute(delete(CaseUnit))
    units, agencies, causes, norms = [], [], [], []
    suit_of: dict[int, int] = {}  # judgment id → its suit (a judgment is in one suit; the first one kept)
    for i, c in enumerate(cases, start=1):
        for jid in c.judgment_ids:
            suit_of.setdefault(int(jid), i)
        units.append(
            {
                "id": i,
                "key": c.key,
                "effective_judgment_id": c.effective_judgment_id,
                "judgment_ids": c.judgment_ids,
                "case_nos": c.case_nos,
                "date": c.date,
                "outcome": c.outcome,
                "court": c.court,
                "action_type": c.action_type,
                "field": c.field,
                "withdrawn_after_correction": c.withdrawn_after_correction,
                "agency_head_appeared": c.agency_head_appeared,
                "loss_causes": c.loss_causes,
                "defendants": c.defendants,
                "filed": c.filed,
                "filed_year": c.filed_year,
                "filed_source": c.filed_source,
                "decided_year": c.decided_year,
                "date_source": c.date_source,
                "filed_ym": _ym(c.filed),
                "decided_ym": _ym(c.date) if c.decided else None,
                "stood_alone": c.stood_alone,
            }
        )
        agencies += [
            {
                "case_id": i,
                "key": a.key[:220],
                "name": a.name[:200],
                "kind": a.kind,
                "level": a.level,
                "ours": a.ours,
                "agency_id": a.agency_id,
                "role": a.role,
                **{k: units[-1][k] for k in _COPIED},
            }
            for a in c.agencies
        ]
        causes += [{"case_id": i, "cause": x} for x in dict.fromkeys(c.loss_causes)]
        norms += [{"case_id": i, "norm": x[:200]} for x in dict.fromkeys(c.norms)]
    recs = [
        {
            "judgment_id": r.judgment_id,
            "date": r.date,
            "year": r.year,
            "outcome": r.outcome,
            "corrected": r.corrected,
            "key": a.key[:220],
            "name": a.name[:200],
            "kind": a.kind,
            "level": a.level,
            "ours": a.ours,
            "agency_id": a.agency_id,
        }
        for r in reconsiderations or []
        for a in (r.agencies or [AgencyRef("", "", "other", False)])
    ]
    tables = (
        (CaseUnit, units),
        (CaseUnitAgency, agencies),
        (CaseUnitCause, causes),
        (CaseUnitNorm, norms),
        (CaseUnitJudgment, [{"judgment_id": j, "case_id": i} for j, i in suit_of.items()]),
        (CaseReconsideration, recs),
    )
    for table, rows in tables:
        for k in range(0, len(rows), 5000):
            session.execute(insert(table.__table__), rows[k : k + 5000])  # type: ignore[arg-type]
    _set_state(session, fingerprint(session))
    return len(cases)


def _set_state(session: Session, value: str) -> None:
    row = session.get(ReportState, STATE_KEY)
    if row is None:
        session.add(ReportState(key=STATE_KEY, value=value))
    else:
        row.value = value
    session.flush()


def ensure_fresh(session: Session) -> bool:
    """Rebuild the case table when what it depends on changed; True when it was rebuilt."""
    current = fingerprint(session)
    row = session.get(ReportState, STATE_KEY)
    if row is not None and row.value == current:
        return False
    if session.get_bind().dialect.name == "postgresql":
        # Two requests right after an import must not rebuild at the same time: the second waits, then
        # finds the table fresh.
        session.execute(text("SELECT pg_advisory_xact_lock(620606)"))
        stored = session.scalar(
            select(ReportState.value)
            .where(ReportState.key == STATE_KEY)
            .execution_options(populate_existing=True)
        )
        if stored == current:
            return False
    rebuild(session)
    return True


def _chunks(case_ids: list[int] | None, column: Any) -> list[list[Any]]:
    """WHERE clauses reading every row (None) or the given cases, a few thousand ids per query."""
    if case_ids is None:
        return [[]]
    return [[column.in_(case_ids[k : k + 5000])] for k in range(0, len(case_ids), 5000)]


def indexed_cases(session: Session, case_ids: list[int] | None = None) -> list[Case]:
    """The cases from the table (fresh), as reports.cases.Case objects for the documents; ``case_ids``:
    only those rows of the table."""
    ensure_fresh(session)
    refs: dict[int, list[AgencyRef]] = {}
    for where in _chunks(case_ids, CaseUnitAgency.case_id):
        for r in session.execute(
            select(
                CaseUnitAgency.case_id,
                CaseUnitAgency.key,
                CaseUnitAgency.name,
                CaseUnitAgency.kind,
                CaseUnitAgency.ours,
                CaseUnitAgency.agency_id,
                CaseUnitAgency.level,
                CaseUnitAgency.role,
            )
            .where(*where)
            .order_by(CaseUnitAgency.id)
        ):
            refs.setdefault(r[0], []).append(AgencyRef(r[1], r[2], r[3], r[4], r[5], r[6], r[7]))
    norms: dict[int, list[str]] = {}
    for where in _chunks(case_ids, CaseUnitNorm.case_id):
        for case_id, norm in session.execute(
            select(CaseUnitNorm.case_id, CaseUnitNorm.norm).where(*where).order_by(CaseUnitNorm.id)
        ):
            norms.setdefault(case_id, []).append(norm)
    units = [
        u for where in _chunks(case_ids, CaseUnit.id) for u in session.scalars(select(CaseUnit).where(*where))
    ]
    out = []
    for u in sorted(units, key=lambda u: u.id):
        out.append(
            Case(
                key=u.key,
                judgment_ids=list(u.judgment_ids or []),
                case_nos=list(u.case_nos or []),
                date=u.date,
                outcome=u.outcome,
                court=u.court,
                action_type=u.action_type,
                field=u.field,
                loss_causes=list(u.loss_causes or []),
                withdrawn_after_correction=u.withdrawn_after_correction,
                agency_head_appeared=u.agency_head_appeared,
                defendants=list(u.defendants or []),
                agencies=refs.get(u.id, []),
                effective_judgment_id=u.effective_judgment_id,
                filed=u.filed,
                filed_source=u.filed_source,
                filed_year=u.filed_year,
                decided_year=u.decided_year,
                date_source=u.date_source,
                norms=norms.get(u.id, []),
                stood_alone=bool(u.stood_alone),
            )
        )
    return out


def indexed_reconsiderations(session: Session) -> list[Reconsideration]:
    """The reconsideration decisions from the table (fresh), one per decision with its agencies."""
    ensure_fresh(session)
    out: dict[int, Reconsideration] = {}
    for r in session.scalars(select(CaseReconsideration).order_by(CaseReconsideration.id)):
        item = out.setdefault(
            r.judgment_id, Reconsideration(r.judgment_id, None, r.date, r.year, r.outcome, [])
        )
        if r.key:
            item.agencies.append(AgencyRef(r.key, r.name, r.kind, r.ours, r.agency_id, r.level))
    return list(out.values())


# ---------------------------------------------------------------- SQL aggregates
#
# Each table is counted twice: the filing measure (发案量: cases placed by their filing date) and the decision
# measure (审结、胜诉、败诉… placed by the date of the decision in effect). The placement rule is the pure
# reports.stats.place, written here as SQL conditions; a date grouping is folded from (day, year) groups by
# place itself, so both paths agree by construction.

# The agency rows carry copies of their case's date and outcome columns, so that the agency groupings read
# one narrow table without a join; ``src`` is the table the figure columns are read from.
_MEASURES = ("filed", "decided")


def _measure(measure: str, src: Any = CaseUnit) -> tuple[Any, Any]:
    return (src.filed, src.filed_year) if measure == "filed" else (src.date, src.decided_year)


def _is_loss(d: LossRateDefinition, src: Any = CaseUnit):  # type: ignore[no-untyped-def]
    lost = src.outcome == "agency_lost"
    if d.corrected_withdrawal_is_loss:
        return or_(lost, and_(src.outcome == "withdrawn", src.withdrawn_after_correction.is_(True)))
    return lost


def _n(cond):  # type: ignore[no-untyped-def]
    return func.sum(case((cond, 1), else_=0))


def _conditions(measure: str, d: LossRateDefinition, src: Any = CaseUnit) -> list[Any]:
    """What each figure column counts (the filing measure: every case; the decision measure: 审结, 胜诉 …)."""
    if measure == "filed":
        return [true()]
    is_loss = _is_loss(d, src)
    in_base: Any
    if d.base == RateBase.concluded:
        in_base = src.outcome.in_(CONCLUDED)
    else:
        in_base = or_(src.outcome.in_(["agency_lost", "agency_won"]), is_loss)
    return [
        src.outcome.in_(CONCLUDED),
        src.outcome == "agency_won",
        is_loss,
        src.outcome == "dismissed",
        src.outcome == "withdrawn",
        in_base,
        src.agency_head_appeared.is_not(None),
        src.agency_head_appeared.is_(True),
    ]


def _columns(measure: str, d: LossRateDefinition, under: Any = None, src: Any = CaseUnit) -> list[Any]:
    conds = _conditions(measure, d, src)
    if under is not None:
        conds = [and_(under, c) for c in conds]
    return [_n(c) for c in conds]


def _figures(measure: str, row: Iterable[Any]) -> Figures:
    vals = [int(v or 0) for v in row]
    if measure == "filed":
        return Figures(cases=vals[0])
    return Figures(
        concluded=vals[0],
        won=vals[1],
        lost=vals[2],
        dismissed=vals[3],
        withdrawn=vals[4],
        base=vals[5],
        head_known=vals[6],
        head_appeared=vals[7],
    )


def placement(exact: Any, year: Any, period: Period, series: str | None) -> tuple[Any, Any]:
    """SQL conditions (placed in the period, 日期不详) equal to reports.stats.place."""
    if series is None and period.kind == "all":
        return true(), false()
    inside_lo, inside_hi, over_lo, over_hi = period.years()
    whole_years = series == "year" if series else period.year_aligned
    if whole_years and period.year_aligned:
        # whole years: a date is placed by its year (the year column is the date's year, else the 推定 one)
        if period.kind == "all":
            return year.is_not(None), year.is_(None)
        return year.between(inside_lo, inside_hi), year.is_(None)
    in_exact = exact.is_not(None) if period.kind == "all" else and_(exact >= period.start, exact < period.end)
    overlapping = year.between(over_lo, over_hi)
    if whole_years and inside_lo <= inside_hi:
        in_year = and_(exact.is_(None), year.between(inside_lo, inside_hi))
        undated = and_(
            exact.is_(None),
            or_(year.is_(None), and_(overlapping, ~year.between(inside_lo, inside_hi))),
        )
        return or_(in_exact, in_year), undated
    return in_exact, and_(exact.is_(None), or_(year.is_(None), overlapping))


def _conds(measure: str, period: Period, series: str | None, src: Any = CaseUnit) -> tuple[Any, Any]:
    placed, undated = placement(*_measure(measure, src), period, series)
    if measure == "decided":
        return and_(src.outcome.is_not(None), placed), and_(src.outcome.is_not(None), undated)
    return placed, undated


def _agency_scope(agency_ids: list[int] | None, ours_only: bool, table: Any = CaseUnitAgency) -> list:  # type: ignore[type-arg]
    conds = []
    if agency_ids is not None:
        conds.append(table.agency_id.in_(agency_ids or [-1]))
    if ours_only:
        conds.append(table.ours.is_(True))
    return conds


def case_scope(agency_ids: list[int] | None, ours_only: bool, sample: Sample | None = None) -> list:  # type: ignore[type-arg]
    conds = _agency_scope(agency_ids, ours_only)
    out = [CaseUnit.id.in_(select(CaseUnitAgency.case_id).where(*conds))] if conds else []
    if sample is not None:
        out.append(CaseUnit.id.in_(sample.case_ids))
    return out


@dataclass(frozen=True)
class Sample:
    """The suits of a search result (reports.sample): selects of their case ids and of the matched judgment
    ids (for the 行政复议决定 among them), read inside the query of every figure."""

    case_ids: Any
    judgment_ids: Any


def _agency_kind(by: GroupBy, t: Any) -> list:  # type: ignore[type-arg]
    if by == GroupBy.township:
        return [t.kind == "township"]
    if by == GroupBy.department:
        return [t.kind == "department", or_(t.level.is_(None), t.level == "county")]
    return []


def _ym(d: dt.date | None) -> int | None:
    """A month as one integer (year·12 + month − 1): date groupings fold months, not days."""
    return d.year * 12 + d.month - 1 if d else None


def _month_cols(measure: str, src: Any) -> list[Any]:
    return [src.filed_ym, src.filed_year] if measure == "filed" else [src.decided_ym, src.decided_year]


class _Dim:
    """One grouping as SQL: the key columns, joins and conditions it adds to a query over ``base``
    (report_cases, or the agency rows when the first grouping is an agency one: they carry the figure columns)."""

    def __init__(
        self,
        by: GroupBy,
        i: int,
        measure: str,
        d: LossRateDefinition,
        scope: list,
        base: Any,
        base_id: Any,  # type: ignore[type-arg]
    ) -> None:
        self.by = by
        self.joins: list[tuple[Any, Any]] = []
        self.where: list[Any] = []
        self.cols: list[Any]
        t: Any
        if by.agencies:
            t = base if i == 0 and base is not CaseUnit else aliased(CaseUnitAgency, name=f"a{i}")
            if t is not base:
                self.joins.append((t, t.case_id == base_id))
            self.where += [t.role.is_(None), *_agency_kind(by, t), *scope_on(t, scope)]
            self.cols = [t.key, t.name]
        elif by == GroupBy.cause:
            t = aliased(CaseUnitCause, name=f"c{i}")
            self.joins.append((t, t.case_id == base_id))
            self.where.append(_is_loss(d, base))
            self.cols = [t.cause]
        elif by == GroupBy.norm:
            t = aliased(CaseUnitNorm, name=f"n{i}")
            self.joins.append((t, t.case_id == base_id))
            self.where.append(_is_loss(d, base))
            self.cols = [t.norm]
        elif by.series:
            self.cols = _month_cols(measure, base)
        else:
            self.cols = [
                {GroupBy.field: base.field, GroupBy.action_type: base.action_type}.get(by, base.court)
            ]

    def key(self, vals: list[Any], period: Period) -> tuple[str, str] | None:
        if self.by.agencies:
            return vals[0], vals[1]
        if self.by == GroupBy.norm:
            return vals[0], vals[0]
        if self.by.series:
            ym = vals[0]
            month = dt.date(int(ym) // 12, int(ym) % 12 + 1, 1) if ym is not None else None
            at = place(month, vals[1], period, self.by.value)
            return None if at is None or at == UNDATED else (at, label_for(self.by, at))
        return (vals[0] or ""), label_for(self.by, vals[0])


def scope_on(t: Any, scope: list) -> list:  # type: ignore[type-arg]
    """The caller's agency restriction applied to a joined agency row (their co-defendants disappear), and the
    search result's suits when the table is over one."""
    agency_ids, ours_only, sample = scope
    conds = _agency_scope(agency_ids, ours_only, t)
    if sample is not None:
        conds.append(t.case_id.in_(sample.case_ids))
    return conds


@dataclass
class _Scope:
    agency_ids: list[int] | None
    ours_only: bool
    sample: Sample | None = None

    @property
    def pair(self) -> list:  # type: ignore[type-arg]
        return [self.agency_ids, self.ours_only, self.sample]

    @property
    def on_case(self) -> list:  # type: ignore[type-arg]
        return case_scope(self.agency_ids, self.ours_only, self.sample)

    def on_reconsideration(self, r: Any) -> list:  # type: ignore[type-arg]
        conds = _agency_scope(self.agency_ids, self.ours_only, r)
        if self.sample is not None:
            conds.append(r.judgment_id.in_(self.sample.judgment_ids))
        return conds


class _Cols:
    """Figure columns under conditions, read back by name (several periods and measures in one query)."""

    def __init__(self, d: LossRateDefinition, src: Any = CaseUnit) -> None:
        self.d, self.src = d, src
        self.cols: list[Any] = []
        self.slots: dict[str, tuple[int, int, str]] = {}

    def add(self, name: str, measure: str, under: Any) -> None:
        cols = _columns(measure, self.d, under, self.src)
        self.slots[name] = (len(self.cols), len(cols), measure)
        self.cols += cols

    def count(self, name: str, under: Any) -> None:
        self.slots[name] = (len(self.cols), 1, "count")
        self.cols.append(_n(under))

    def figures(self, row: Any, *names: str) -> Figures:
        f = Figures()
        for name in names:
            start, n, measure = self.slots[name]
            f.merge(_figures(measure, row[start : start + n]))
        return f

    def value(self, row: Any, name: str) -> int:
        start, _, _ = self.slots[name]
        return int(row[start] or 0)


def _by_profile(
    session: Session,
    keys: list[Any],
    src: Any,
    tags: list[tuple[str, str, Any]],
    d: LossRateDefinition,
    where: list[Any],
    joins: list[tuple[Any, Any]] | None = None,
) -> dict[tuple[Any, ...], dict[str, tuple[int, list[tuple[Profile, int]]]]]:
    """Counts per key, tag (name, measure, placement condition) and case profile (outcome, correction, head):
    one placement test per row and tag, grouped by plain columns in index order (no per-figure sums)."""
    profile = [src.outcome, src.withdrawn_after_correction, src.agency_head_appeared]
    q = select(*keys, *profile, *[_n(cond) for _, _, cond in tags]).select_from(src)
    for t, on in joins or []:
        q = q.join(t, on)
    q = q.where(*where).group_by(*keys, *profile)
    out: dict[tuple[Any, ...], dict[str, tuple[int, list[tuple[Profile, int]]]]] = {}
    nk = len(keys)
    for row in session.execute(q):
        k = tuple(row[:nk])
        outcome, wac, head = row[nk : nk + 3]
        prof = Profile(outcome, bool(wac), head)
        for (name, _measure, _), n in zip(tags, row[nk + 3 :], strict=True):
            n = int(n or 0)
            if n:
                total, profiles = out.setdefault(k, {}).get(name, (0, []))
                profiles.append((prof, n))
                out[k][name] = (total + n, profiles)
    return out


def _fig(
    measure: str, counted: tuple[int, list[tuple[Profile, int]]] | None, d: LossRateDefinition
) -> Figures:
    f = Figures()
    if counted is None:
        return f
    if measure == "filed":
        f.cases = counted[0]
    else:
        for prof, n in counted[1]:
            f.add_decided(prof, d, n)
    return f


def totals(
    session: Session,
    period: Period,
    d: LossRateDefinition,
    scope: _Scope,
    series: str | None = None,
    prev: Period | None = None,
    placed: bool = True,
) -> tuple[Figures, Figures, Figures | None]:
    """(placed in the period, 日期不详, placed in the previous period) over the whole scope, one query;
    ``placed=False``: only 日期不详 (the caller sums its rows)."""
    tags: list[tuple[str, str, Any]] = []
    for tag, p in (("now", period), ("prev", prev)):
        if p is None:
            continue
        for measure in _MEASURES:
            ok, unknown = _conds(measure, p, series)
            if placed:
                tags.append((f"{tag}:{measure}", measure, ok))
            if tag == "now":
                tags.append((f"undated:{measure}", measure, unknown))
    found = _by_profile(session, [], CaseUnit, tags, d, scope.on_case).get((), {})

    def figs(tag: str) -> Figures:
        f = _fig("filed", found.get(f"{tag}:filed"), d)
        f.merge(_fig("decided", found.get(f"{tag}:decided"), d))
        return f

    return (
        figs("now") if placed else Figures(),
        figs("undated"),
        figs("prev") if prev and placed else None,
    )


def _single(by: GroupBy) -> bool:
    """A grouping that puts every case in exactly one row (a date, a field, an action type, a court)."""
    return by.series or by in (GroupBy.field, GroupBy.action_type, GroupBy.court)


def _sum(rows: dict[str, GroupRow]) -> Figures:
    f = Figures()
    for r in rows.values():
        f.merge(r.figures)
    return f


def agency_rows(
    session: Session, period: Period, d: LossRateDefinition, scope: _Scope, prev: Period | None = None
) -> dict[str, dict[GroupBy, dict[str, GroupRow]]]:
    """One query, three groupings (every agency, the townships, the county departments), this period and the
    previous one: original-act figures and 作为复议机关败诉 (suits lost as the 复议机关 co-defendant)."""
    t = CaseUnitAgency
    periods = [("now", period)] + ([("prev", prev)] if prev else [])
    tags: list[tuple[str, str, Any]] = []
    for tag, p in periods:
        for measure in _MEASURES:
            tags.append((f"{tag}:{measure}", measure, _conds(measure, p, None, t)[0]))
    found = _by_profile(
        session, [t.key, t.name, t.kind, t.level, t.role], t, tags, d, scope_on(t, scope.pair)
    )
    out: dict[str, dict[GroupBy, dict[str, GroupRow]]] = {
        tag: {GroupBy.agency: {}, GroupBy.township: {}, GroupBy.department: {}} for tag, _ in periods
    }
    merged: dict[str, dict[str, tuple[AgencyRef, Figures]]] = {tag: {} for tag, _ in periods}
    for (key, name, kind, level, role), per in found.items():
        ref = AgencyRef(key, name, kind, False, None, level)
        for tag, _ in periods:
            filed, decided = per.get(f"{tag}:filed"), per.get(f"{tag}:decided")
            if role is None:
                if filed is None and decided is None:
                    continue
                f = _fig("filed", filed, d)
                f.merge(_fig("decided", decided, d))
            elif role == RECONSIDERATION_BODY:
                lost = _fig("decided", decided, d).lost
                if not lost:
                    continue
                f = Figures(lost_as_reconsideration_body=lost)
            else:
                continue
            slot = merged[tag].get(key)
            if slot is None:
                merged[tag][key] = (ref, f)
            else:
                slot[1].merge(f)
    for tag, _ in periods:
        for key, (ref, f) in merged[tag].items():
            for by in (GroupBy.agency, GroupBy.township, GroupBy.department):
                if agency_in(by, ref):
                    out[tag][by][key] = GroupRow(key, ref.name, Figures(**f.__dict__))
    for tag, p in periods:
        for by in (GroupBy.agency, GroupBy.township, GroupBy.department):
            _reconsideration_column(session, by, p, scope, out[tag][by])
    return out


def field_rows(
    session: Session,
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    scope: _Scope,
    prev: Period | None = None,
) -> dict[str, dict[str, GroupRow]]:
    """A grouping that is neither an agency nor a date, this period and the previous one, one query."""
    x = _Dim(by, 0, "filed", d, scope.pair, CaseUnit, CaseUnit.id)
    cols, anywhere = _Cols(d), []
    tags = [("now", period)] + ([("prev", prev)] if prev else [])
    for tag, p in tags:
        filed_ok, _ = _conds("filed", p, None)
        decided_ok, _ = _conds("decided", p, None)
        cols.add(f"{tag}:filed", "filed", filed_ok)
        cols.add(f"{tag}:decided", "decided", decided_ok)
        cols.count(f"{tag}:hit", or_(filed_ok, decided_ok))
        anywhere += [filed_ok, decided_ok]
    q = select(*x.cols, *cols.cols).select_from(CaseUnit)
    for j, on in x.joins:
        q = q.join(j, on)
    q = q.where(or_(*anywhere), *x.where, *scope.on_case).group_by(*x.cols)
    out: dict[str, dict[str, GroupRow]] = {tag: {} for tag, _ in tags}
    for row in session.execute(q):
        k = x.key(list(row[: len(x.cols)]), period)
        assert k is not None
        rest = row[len(x.cols) :]
        for tag, _ in tags:
            if cols.value(rest, f"{tag}:hit"):
                out[tag][k[0]] = GroupRow(k[0], k[1], cols.figures(rest, f"{tag}:filed", f"{tag}:decided"))
    return out


def _joins(ds: list[_Dim]) -> list[tuple[Any, Any]]:
    out, seen = [], set()
    for x in ds:
        for t, on in x.joins:
            if t not in seen:
                seen.add(t)
                out.append((t, on))
    return out


def cells(
    session: Session,
    dims: list[GroupBy],
    period: Period,
    d: LossRateDefinition,
    scope: _Scope,
    series: str | None = None,
) -> tuple[dict[tuple[str, ...], Figures], dict[tuple[int, str], str]]:
    """Figures per combination of keys of the groupings (one or two), both measures: one query when no
    grouping is a date (both measures side by side), else one per measure (the date differs)."""
    series = series or next((x.value for x in dims if x.series), None)
    base: Any = aliased(CaseUnitAgency, name="a0") if dims[0].agencies else CaseUnit
    base_id = CaseUnit.id if base is CaseUnit else base.case_id
    case_scope = scope.on_case if base is CaseUnit else []
    out: dict[tuple[str, ...], Figures] = {}
    labels: dict[tuple[int, str], str] = {}
    with_date = any(x.series for x in dims)
    for measures in [(m,) for m in _MEASURES] if with_date else [_MEASURES]:
        ds = [_Dim(by, i, measures[0], d, scope.pair, base, base_id) for i, by in enumerate(dims)]
        keycols = [c for x in ds for c in x.cols]
        if not with_date:
            # no date grouping: few groups, count by case profile (one placement test per row)
            tags = [(m, m, _conds(m, period, series, base)[0]) for m in measures]
            where = [or_(*[c for _, _, c in tags]), *case_scope, *[w for x in ds for w in x.where]]
            found = _by_profile(session, keycols, base, tags, d, where, joins=_joins(ds))
            rows = [
                (list(vals), {m: _fig(m, per.get(m), d) for m in measures if m in per})
                for vals, per in found.items()
            ]
        else:
            # months × profiles would be many groups: conditional sums per (key, month)
            cols, anywhere = _Cols(d, base), []
            for m in measures:
                ok, _ = _conds(m, period, series, base)
                cols.add(m, m, ok)
                cols.count(f"{m}:hit", ok)
                anywhere.append(ok)
            q = select(*keycols, *cols.cols).select_from(base)
            for t, on in _joins(ds):
                q = q.join(t, on)
            q = q.where(or_(*anywhere), *case_scope, *[w for x in ds for w in x.where]).group_by(*keycols)
            rows = []
            for row in session.execute(q):
                rest = row[len(keycols) :]
                figs = {m: cols.figures(rest, m) for m in measures if cols.value(rest, f"{m}:hit")}
                rows.append((list(row[: len(keycols)]), figs))
        for vals, figs in rows:
            key, pos = [], 0
            for i, x in enumerate(ds):
                k = x.key(vals[pos : pos + len(x.cols)], period)
                pos += len(x.cols)
                if k is None:
                    break
                key.append(k[0])
                labels.setdefault((i, k[0]), k[1])
            else:
                f = out.setdefault(tuple(key), Figures())
                for fig in figs.values():
                    f.merge(fig)
    return out, labels


def _one_way(
    session: Session,
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    scope: _Scope,
    series: str | None = None,
) -> dict[str, GroupRow]:
    """One grouping placed by a date grouping's granularity (a date-grouped table)."""
    found, labels = cells(session, [by], period, d, scope, series)
    rows = {k[0]: GroupRow(k[0], labels[(0, k[0])], f) for k, f in found.items()}
    if by.agencies:
        t = CaseUnitAgency
        ok, _ = _conds("decided", period, series, t)
        q = (
            select(t.key, t.name, t.kind, t.level, func.count(t.id))
            .where(ok, _is_loss(d, t), t.role == RECONSIDERATION_BODY, *scope_on(t, scope.pair))
            .group_by(t.key, t.name, t.kind, t.level)
        )
        for key, name, kind, level, n in session.execute(q):
            if agency_in(by, AgencyRef(key, name, kind, False, None, level)):
                rows.setdefault(
                    key, GroupRow(key, name, Figures())
                ).figures.lost_as_reconsideration_body += int(n)
    return rows


def _reconsideration_column(
    session: Session, by: GroupBy, period: Period, scope: _Scope, rows: dict[str, GroupRow]
) -> None:
    """复议纠错 per agency (the small table of reconsideration decisions)."""
    r = CaseReconsideration
    placed, _ = placement(r.date, r.year, period, None)
    q = (
        select(r.key, r.name, func.count(func.distinct(r.judgment_id)))
        .where(
            placed,
            r.corrected.is_(True),
            r.key != "",
            *_agency_kind(by, r),
            *scope.on_reconsideration(r),
        )
        .group_by(r.key, r.name)
    )
    for key, name, n in session.execute(q):
        rows.setdefault(key, GroupRow(key, name, Figures())).figures.reconsideration_corrections += int(n)


def _reconsideration_totals(session: Session, period: Period, scope: _Scope) -> tuple[int, int]:
    r = CaseReconsideration
    placed, undated = placement(r.date, r.year, period, None)
    conds = [r.corrected.is_(True), *scope.on_reconsideration(r)]
    q = select(
        func.count(func.distinct(case((placed, r.judgment_id), else_=None))),
        func.count(func.distinct(case((undated, r.judgment_id), else_=None))),
    ).where(*conds)
    a, b = session.execute(q).one()
    return int(a or 0), int(b or 0)


def sql_report(
    session: Session,
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    *,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    then: GroupBy | None = None,
    rules: RankingRules | None = None,
    sample: Sample | None = None,
) -> StatsReport:
    """The same StatsReport as reports.stats.compute, from SQL aggregates over the case table (over the suits
    of a search result when ``sample`` is given)."""
    if then == by:
        raise StatsError("--then 须与 --by 不同")
    scope = _Scope(agency_ids, ours_only, sample)
    series_kind = by.value if by.series else (then.value if then and then.series else None)
    series = series_kind is not None
    prev_p = period.previous() if not series else None
    # a single-valued first grouping: the totals are the sum of its rows, only 日期不详 is counted apart
    summed = _single(by)
    now_totals, undated, prev_totals = totals(session, period, d, scope, series_kind, prev_p, not summed)
    children_sum = series and then is not None and not by.agencies and _single(then)
    by_agency: dict[str, dict[GroupBy, dict[str, GroupRow]]] = {}
    if not series or by.agencies:
        by_agency = agency_rows(session, period, d, scope, prev_p if by.agencies else None)
    prev_groups: dict[str, GroupRow] = {}
    groups: dict[str, GroupRow] = {}
    if children_sum:
        pass  # the rows are the sums of their cells, below
    elif series:
        groups = _one_way(session, by, period, d, scope, series_kind)
        if by.agencies:
            _reconsideration_column(session, by, period, scope, groups)
    elif by.agencies:
        groups, prev_groups = by_agency["now"][by], by_agency.get("prev", {}).get(by, {})
    else:
        found = field_rows(session, by, period, d, scope, prev_p)
        groups, prev_groups = found["now"], found.get("prev", {})
    if by.agencies:
        placed_rc, undated_rc = _reconsideration_totals(session, period, scope)
        now_totals.reconsideration_corrections += placed_rc
        undated.reconsideration_corrections += undated_rc
        if prev_totals is not None and prev_p is not None:
            prev_totals.reconsideration_corrections += _reconsideration_totals(session, prev_p, scope)[0]
    if then:
        found2, labels = cells(session, [by, then], period, d, scope)
        if children_sum:
            # every case of a row is in exactly one cell of a single-valued second grouping: the row's
            # figures are the sum of its cells (no second scan)
            for key, f in found2.items():
                row = groups.setdefault(key[0], GroupRow(key[0], labels[(0, key[0])], Figures()))
                row.figures.merge(f)
        for key, f in found2.items():
            row = groups.setdefault(key[0], GroupRow(key[0], labels[(0, key[0])], Figures()))
            row.children.append(GroupRow(key[1], labels[(1, key[1])], f))
    if summed:
        now_totals = _sum(groups)
        prev_totals = _sum(prev_groups) if prev_p else None
    township = {} if series else by_agency["now"][GroupBy.township]
    department = {} if series else by_agency["now"][GroupBy.department]
    scope_code = "ours" if ours_only else ("agencies" if agency_ids is not None else "all")
    report = finish_report(
        by,
        period,
        prev_p,
        d,
        now_totals,
        prev_totals,
        groups,
        prev_groups,
        township,
        department,
        scope_code,
        then=then,
        undated=undated,
        rules=rules,
    )
    report.stood_alone = _stood_alone(session, period, series_kind, scope)
    return report


def _stood_alone(session: Session, period: Period, series: str | None, scope: _Scope) -> int:
    """= reports.stats.count_stood_alone: suits of the table (filed in it or 日期不详) that stood alone."""
    placed, undated = _conds("filed", period, series)
    alone = CaseUnit.stood_alone == true()  # "= 1": the index ix_report_cases_alone reads only those rows
    q = select(func.count(CaseUnit.id)).where(alone, or_(placed, undated), *scope.on_case)
    return int(session.scalar(q) or 0)


def agency_reports(
    session: Session,
    *,
    period: Period | str | None = None,
    definition: LossRateDefinition | str | None = None,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    rules: RankingRules | None = None,
) -> dict[GroupBy, StatsReport]:
    """The agency, township and county-department tables of one period from one pass over the agency rows
    (the dashboard's three rankings): each equal to ``stats_report(by=…)`` with the same arguments."""
    p, d = _period_and_definition(session, period, definition)
    scope = _Scope(agency_ids, ours_only)
    rows = agency_rows(session, p, d, scope, p.previous())
    return _agency_set(session, p, d, scope, rows, rules)


def agency_reports_both(
    session: Session,
    *,
    period: Period | str | None = None,
    definition: LossRateDefinition | str | None = None,
    agency_ids: list[int] | None = None,
    rules: RankingRules | None = None,
) -> tuple[dict[GroupBy, StatsReport], dict[GroupBy, StatsReport]]:
    """:func:`agency_reports` for every defendant and for 本县 bodies only (``ours_only``) from the same pass:
    a 本县 body's row is the same in both (its own suits), so the 本县 tables keep the rows of registry bodies
    marked 本县 and count only their totals apart."""
    p, d = _period_and_definition(session, period, definition)
    rows = agency_rows(session, p, d, _Scope(agency_ids, False), p.previous())
    ours_keys = {f"a:{i}" for i in session.scalars(select(Agency.id).where(Agency.ours.is_(True)))}
    ours_rows = {
        tag: {by: {k: _copy(r) for k, r in found.items() if k in ours_keys} for by, found in per.items()}
        for tag, per in rows.items()
    }
    every = _agency_set(session, p, d, _Scope(agency_ids, False), rows, rules)
    return every, _agency_set(session, p, d, _Scope(agency_ids, True), ours_rows, rules)


def _copy(r: GroupRow) -> GroupRow:
    return GroupRow(r.key, r.label, Figures(**r.figures.__dict__))


def _period_and_definition(
    session: Session, period: Period | str | None, definition: LossRateDefinition | str | None
) -> tuple[Period, LossRateDefinition]:
    p = period if isinstance(period, Period) else parse_period(period)
    d = definition if isinstance(definition, LossRateDefinition) else LossRateDefinition.parse(definition)
    ensure_fresh(session)
    return p, d


def _agency_set(
    session: Session,
    p: Period,
    d: LossRateDefinition,
    scope: _Scope,
    rows: dict[str, dict[GroupBy, dict[str, GroupRow]]],
    rules: RankingRules | None,
) -> dict[GroupBy, StatsReport]:
    prev_p = p.previous()
    now_totals, undated, prev_totals = totals(session, p, d, scope, None, prev_p, True)
    placed_rc, undated_rc = _reconsideration_totals(session, p, scope)
    now_totals.reconsideration_corrections += placed_rc
    undated.reconsideration_corrections += undated_rc
    if prev_totals is not None and prev_p is not None:
        prev_totals.reconsideration_corrections += _reconsideration_totals(session, prev_p, scope)[0]
    scope_code = "ours" if scope.ours_only else ("agencies" if scope.agency_ids is not None else "all")
    alone = _stood_alone(session, p, None, scope)
    out = {}
    for by in (GroupBy.agency, GroupBy.township, GroupBy.department):
        out[by] = finish_report(
            by,
            p,
            prev_p,
            d,
            Figures(**now_totals.__dict__),
            Figures(**prev_totals.__dict__) if prev_totals is not None else None,
            rows["now"][by],
            rows.get("prev", {}).get(by, {}),
            rows["now"][GroupBy.township],
            rows["now"][GroupBy.department],
            scope_code,
            undated=Figures(**undated.__dict__),
            rules=rules,
        )
        out[by].stood_alone = alone
    return out


def stats_report(
    session,
    *,
    by: GroupBy | str = GroupBy.agency,
    period: Period | str | None = None,
    since: str | None = None,
    definition: LossRateDefinition | str | None = None,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    then: GroupBy | str | None = None,
    rules: RankingRules | None = None,
) -> StatsReport:
    """Service function (CLI, API): the report from the case table (rebuilt first when stale), as SQL
    aggregates. ``agency_ids`` restricts to those agencies (an agency user sees only their own)."""
    by, then_by, p, d = report_arguments(by, then, period, since, definition)
    ensure_fresh(session)
    return sql_report(
        session, by, p, d, agency_ids=agency_ids, ours_only=ours_only, then=then_by, rules=rules
    )


def report_arguments(
    by: GroupBy | str,
    then: GroupBy | str | None,
    period: Period | str | None,
    since: str | None,
    definition: LossRateDefinition | str | None,
) -> tuple[GroupBy, GroupBy | None, Period, LossRateDefinition]:
    """A table's arguments as the CLI and the API give them (codes, period text) → their values."""
    p = period if isinstance(period, Period) else parse_period(period, since)
    d = definition if isinstance(definition, LossRateDefinition) else LossRateDefinition.parse(definition)
    return group_by(by), group_by(then) if then else None, p, d


def group_by(v: GroupBy | str) -> GroupBy:
    if isinstance(v, GroupBy):
        return v
    try:
        return GroupBy(v)
    except ValueError as exc:
        raise StatsError(f"不能按「{v}」分组：可选 {'、'.join(x.value for x in GroupBy)}") from exc
