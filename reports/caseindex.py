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
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, text
from sqlalchemy.orm import Session

from core.models import (
    Agency,
    AgencyAlias,
    CaseUnit,
    CaseUnitAgency,
    CaseUnitCause,
    Correction,
    Judgment,
    LedgerEntry,
    ReportState,
)
from reports.cases import CONCLUDED, AgencyRef, Case, load_cases
from reports.stats import (
    Figures,
    GroupBy,
    GroupRow,
    LossRateDefinition,
    Period,
    RateBase,
    StatsReport,
    finish_report,
    label_for,
    period_of,
)

STATE_KEY = "case_index_fingerprint"


def fingerprint(session: Session) -> str:
    """What the case table depends on: judgments, corrections, the registry and the ledger."""
    parts: list[Any] = [
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
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def rebuild(session: Session, cases: list[Case] | None = None) -> int:
    """Recompute every case and replace the table; returns the number of cases."""
    cases = load_cases(session) if cases is None else cases
    session.execute(delete(CaseUnitCause))
    session.execute(delete(CaseUnitAgency))
    session.execute(delete(CaseUnit))
    units, agencies, causes = [], [], []
    for i, c in enumerate(cases, start=1):
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
            }
            for a in c.agencies
        ]
        causes += [{"case_id": i, "cause": x} for x in dict.fromkeys(c.loss_causes)]
    for table, rows in ((CaseUnit, units), (CaseUnitAgency, agencies), (CaseUnitCause, causes)):
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


def indexed_cases(session: Session) -> list[Case]:
    """The cases from the table (fresh), as reports.cases.Case objects for the documents."""
    ensure_fresh(session)
    refs: dict[int, list[AgencyRef]] = {}
    for r in session.execute(
        select(
            CaseUnitAgency.case_id,
            CaseUnitAgency.key,
            CaseUnitAgency.name,
            CaseUnitAgency.kind,
            CaseUnitAgency.ours,
            CaseUnitAgency.agency_id,
            CaseUnitAgency.level,
        ).order_by(CaseUnitAgency.id)
    ):
        refs.setdefault(r[0], []).append(AgencyRef(r[1], r[2], r[3], r[4], r[5], r[6]))
    out = []
    for u in session.scalars(select(CaseUnit).order_by(CaseUnit.id)):
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
            )
        )
    return out


# ---------------------------------------------------------------- SQL aggregates


def _is_loss(d: LossRateDefinition):  # type: ignore[no-untyped-def]
    lost = CaseUnit.outcome == "agency_lost"
    if d.corrected_withdrawal_is_loss:
        return or_(lost, and_(CaseUnit.outcome == "withdrawn", CaseUnit.withdrawn_after_correction.is_(True)))
    return lost


def _figure_columns(d: LossRateDefinition) -> list:  # type: ignore[type-arg]
    is_loss = _is_loss(d)
    in_base: Any
    if d.base == RateBase.concluded:
        in_base = CaseUnit.outcome.in_(CONCLUDED)
    else:
        in_base = or_(CaseUnit.outcome.in_(["agency_lost", "agency_won"]), is_loss)

    def n(cond):  # type: ignore[no-untyped-def]
        return func.sum(case((cond, 1), else_=0))

    return [
        func.count(CaseUnit.id),
        n(CaseUnit.outcome.in_(CONCLUDED)),
        n(CaseUnit.outcome == "agency_won"),
        n(is_loss),
        n(CaseUnit.outcome == "dismissed"),
        n(CaseUnit.outcome == "withdrawn"),
        n(in_base),
        n(CaseUnit.agency_head_appeared.is_not(None)),
        n(CaseUnit.agency_head_appeared.is_(True)),
    ]


def _figures(row: Iterable[Any]) -> Figures:
    vals = [int(v or 0) for v in row]
    return Figures(
        cases=vals[0],
        concluded=vals[1],
        won=vals[2],
        lost=vals[3],
        dismissed=vals[4],
        withdrawn=vals[5],
        base=vals[6],
        head_known=vals[7],
        head_appeared=vals[8],
    )


def _where(period: Period, agency_ids: list[int] | None, ours_only: bool) -> list:  # type: ignore[type-arg]
    conds = []
    if period.kind != "all":
        conds += [CaseUnit.date >= period.start, CaseUnit.date < period.end]
    conds += _agency_scope(agency_ids, ours_only, on_case=True)
    return conds


def _agency_scope(agency_ids: list[int] | None, ours_only: bool, *, on_case: bool) -> list:  # type: ignore[type-arg]
    conds = []
    if agency_ids is not None:
        conds.append(CaseUnitAgency.agency_id.in_(agency_ids or [-1]))
    if ours_only:
        conds.append(CaseUnitAgency.ours.is_(True))
    if on_case and conds:
        return [CaseUnit.id.in_(select(CaseUnitAgency.case_id).where(*conds))]
    return conds


def totals(
    session: Session,
    period: Period,
    d: LossRateDefinition,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
) -> Figures:
    return _figures(
        session.execute(select(*_figure_columns(d)).where(*_where(period, agency_ids, ours_only))).one()
    )


def agency_groups(
    session: Session,
    period: Period,
    d: LossRateDefinition,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
) -> dict[GroupBy, dict[str, GroupRow]]:
    """One query, three groupings: every agency, the townships, the county departments."""
    q = (
        select(
            CaseUnitAgency.key,
            CaseUnitAgency.name,
            CaseUnitAgency.kind,
            CaseUnitAgency.level,
            *_figure_columns(d),
        )
        .join(CaseUnitAgency, CaseUnitAgency.case_id == CaseUnit.id)
        .where(*_where(period, agency_ids, ours_only), *_agency_scope(agency_ids, ours_only, on_case=False))
        .group_by(CaseUnitAgency.key, CaseUnitAgency.name, CaseUnitAgency.kind, CaseUnitAgency.level)
    )
    out: dict[GroupBy, dict[str, GroupRow]] = {
        GroupBy.agency: {},
        GroupBy.township: {},
        GroupBy.department: {},
    }
    for key, name, kind, level, *rest in session.execute(q):
        row = GroupRow(key, name, _figures(rest))
        out[GroupBy.agency][key] = row
        if kind == "township":
            out[GroupBy.township][key] = row
        elif kind == "department" and level in (None, "county"):
            out[GroupBy.department][key] = row
    return out


def groups(
    session: Session,
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
) -> dict[str, GroupRow]:
    cols = _figure_columns(d)
    where = _where(period, agency_ids, ours_only)
    if by in (GroupBy.agency, GroupBy.township, GroupBy.department):
        return agency_groups(session, period, d, agency_ids, ours_only)[by]
    if by == GroupBy.cause:
        q = (
            select(CaseUnitCause.cause, *cols)
            .join(CaseUnitCause, CaseUnitCause.case_id == CaseUnit.id)
            .where(*where, _is_loss(d))
            .group_by(CaseUnitCause.cause)
        )
        return {k: GroupRow(k, label_for(by, k), _figures(rest)) for k, *rest in session.execute(q)}
    if by in (GroupBy.field, GroupBy.action_type, GroupBy.court):
        col = {
            GroupBy.field: CaseUnit.field,
            GroupBy.action_type: CaseUnit.action_type,
            GroupBy.court: CaseUnit.court,
        }[by]
        q = select(col, *cols).where(*where).group_by(col)
        return {
            (k or ""): GroupRow(k or "", label_for(by, k), _figures(rest)) for k, *rest in session.execute(q)
        }
    # month / quarter / year: group by day in SQL, fold the days into periods here
    q = select(CaseUnit.date, *cols).where(*where, CaseUnit.date.is_not(None)).group_by(CaseUnit.date)
    out: dict[str, GroupRow] = {}
    for day, *rest in session.execute(q):
        p = period_of(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)), by.value)
        row = out.setdefault(p.code, GroupRow(p.code, p.zh, Figures()))
        row.figures.merge(_figures(rest))
    return out


def sql_report(
    session: Session,
    by: GroupBy,
    period: Period,
    d: LossRateDefinition,
    *,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
) -> StatsReport:
    """The same StatsReport as reports.stats.compute, from SQL aggregates over the case table."""
    prev_p = period.previous() if by not in (GroupBy.month, GroupBy.quarter, GroupBy.year) else None
    now_totals = totals(session, period, d, agency_ids, ours_only)
    series = by in (GroupBy.month, GroupBy.quarter, GroupBy.year)  # a trend table: no key targets
    by_agency = (
        {GroupBy.agency: {}, GroupBy.township: {}, GroupBy.department: {}}
        if series
        else agency_groups(session, period, d, agency_ids, ours_only)
    )
    now_groups = by_agency[by] if by in by_agency else groups(session, by, period, d, agency_ids, ours_only)
    prev_totals = totals(session, prev_p, d, agency_ids, ours_only) if prev_p else None
    prev_groups = groups(session, by, prev_p, d, agency_ids, ours_only) if prev_p else {}
    township, department = by_agency[GroupBy.township], by_agency[GroupBy.department]
    scope = "ours" if ours_only else ("agencies" if agency_ids is not None else "all")
    return finish_report(
        by, period, prev_p, d, now_totals, prev_totals, now_groups, prev_groups, township, department, scope
    )


def stats_report(
    session,
    *,
    by: GroupBy | str = GroupBy.agency,
    period: Period | str | None = None,
    definition: LossRateDefinition | str | None = None,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
) -> StatsReport:
    """Service function (CLI, API): the report from the case table (rebuilt first when stale), as SQL
    aggregates. ``agency_ids`` restricts to those agencies (an agency user sees only their own)."""
    by = GroupBy(by) if not isinstance(by, GroupBy) else by
    p = period if isinstance(period, Period) else Period.parse(period)
    d = definition if isinstance(definition, LossRateDefinition) else LossRateDefinition.parse(definition)
    ensure_fresh(session)
    return sql_report(session, by, p, d, agency_ids=agency_ids, ours_only=ours_only)
