"""Cases as the statistics see them: a first-instance judgment and its appeal/retrial are ONE case.

``build_cases`` is pure: judgment rows (plain dataclasses) in, linked cases out, each with the outcome in
effect (the latest decisive document). Enforcement reviews (非诉执行审查) are dropped: the agency is not a
defendant there. ``load_rows`` is the query at the edge.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, Judgment, LedgerEntry
from core.normalize import normalize_case_no
from registry.agencies import AgencyKind, RegistryIndex, guess_kind

DECISIVE = {"agency_lost", "agency_won", "dismissed", "withdrawn", "remanded"}
CONCLUDED = {"agency_lost", "agency_won", "dismissed", "withdrawn"}
PROCEDURE_RANK = {"first": 0, "other": 0, None: 0, "appeal": 1, "retrial_review": 2, "retrial": 3}
_ENFORCEMENT_NO = re.compile(r"行审|非诉|执审")
_LOWER_FOR = {"appeal": ("行初",), "retrial": ("行初", "行终"), "retrial_review": ("行初", "行终")}


@dataclass
class JudgmentRow:
    """The columns of one stored judgment the statistics need (no text)."""

    id: int
    case_no: str | None
    procedure: str | None
    court: str | None
    judgment_date: dt.date | None
    outcome: str | None
    action_type: str | None = None
    field: str | None = None
    loss_causes: list[str] = dc_field(default_factory=list)
    defendants: list[str] = dc_field(default_factory=list)
    agency_head_appeared: bool | None = None
    cited_case_nos: list[str] = dc_field(
        default_factory=list
    )  # record.original_case_nos + first_instance.case_no
    withdrawn_after_correction: bool | None = None


@dataclass
class AgencyRef:
    key: str  # "a:<id>" for a registry agency, "n:<name>" for an unmatched defendant
    name: str
    kind: str  # AgencyKind code
    ours: bool
    agency_id: int | None = None
    level: str | None = None  # AgencyLevel code when the registry knows it

    @property
    def county_department(self) -> bool:
        return self.kind == AgencyKind.department and self.level in (None, "county")


@dataclass
class Case:
    key: str  # the root case number (first instance when known)
    judgment_ids: list[int]
    case_nos: list[str]
    date: dt.date | None  # date of the decision in effect (or the ledger's date for a pending case)
    outcome: str | None  # outcome in effect; None: pending
    court: str | None
    action_type: str | None
    field: str | None
    loss_causes: list[str]
    withdrawn_after_correction: bool
    agency_head_appeared: bool | None
    defendants: list[str]
    agencies: list[AgencyRef] = dc_field(default_factory=list)
    effective_judgment_id: int | None = None

    @property
    def concluded(self) -> bool:
        return self.outcome in CONCLUDED


def is_enforcement(row: JudgmentRow) -> bool:
    return row.procedure == "enforcement_review" or bool(row.case_no and _ENFORCEMENT_NO.search(row.case_no))


def _norm(cn: str | None) -> str | None:
    return normalize_case_no(cn) if cn else None


class _Links:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _order(row: JudgmentRow) -> tuple[int, dt.date, int]:
    return (PROCEDURE_RANK.get(row.procedure, 0), row.judgment_date or dt.date.min, row.id)


def effective_row(rows: Sequence[JudgmentRow]) -> JudgmentRow | None:
    """The document whose outcome is in effect: the latest decisive one.

    A withdrawn appeal (上诉人撤回上诉) leaves the lower judgment in effect; a retrial review (再审审查) only
    decides when nothing else is known.
    """
    ordered = sorted(rows, key=_order)
    decisive = [r for r in ordered if r.outcome in DECISIVE]
    main = [r for r in decisive if r.procedure != "retrial_review"] or decisive
    if not main:
        return ordered[-1] if ordered else None
    last = main[-1]
    if last.outcome == "withdrawn" and last.procedure in ("appeal", "retrial"):
        lower = [r for r in main[:-1] if PROCEDURE_RANK.get(r.procedure, 0) < PROCEDURE_RANK[last.procedure]]
        if lower and lower[-1].outcome in CONCLUDED:
            return lower[-1]
    return last


def build_cases(rows: Iterable[JudgmentRow], agency_of: dict[str, AgencyRef] | None = None) -> list[Case]:
    """Link judgments into cases and pick the outcome in effect. ``agency_of`` maps defendant names."""
    rows = [r for r in rows if not is_enforcement(r)]
    links = _Links()
    key_of: dict[int, str] = {}
    for r in rows:
        own = _norm(r.case_no) or f"#{r.id}"
        key_of[r.id] = own
        links.find(own)
        lower = _LOWER_FOR.get(r.procedure or "")
        if lower:
            for cited in r.cited_case_nos:
                c = _norm(cited)
                if c and c != own and any(m in c for m in lower):
                    links.union(own, c)
    groups: dict[str, list[JudgmentRow]] = {}
    for r in rows:
        groups.setdefault(links.find(key_of[r.id]), []).append(r)
    return [_case(root, rs, agency_of or {}) for root, rs in groups.items()]


def _case(root: str, rs: list[JudgmentRow], agency_of: dict[str, AgencyRef]) -> Case:
    rs = sorted(rs, key=_order)
    eff = effective_row(rs)
    assert eff is not None
    outcome = eff.outcome if eff.outcome in DECISIVE else None
    causes = list(eff.loss_causes) if outcome == "agency_lost" else []
    if outcome == "agency_lost" and not causes:  # an appeal upholding a loss often restates no cause
        causes = list(dict.fromkeys(c for r in rs if r.outcome == "agency_lost" for c in r.loss_causes))
    defendants = list(dict.fromkeys(d for r in rs for d in r.defendants))
    heads = [r.agency_head_appeared for r in rs if r.agency_head_appeared is not None]
    head = True if any(heads) else (False if heads else None)
    seen: set[str] = set()
    agencies = []
    for d in defendants:
        ref = agency_of.get(d) or AgencyRef(f"n:{d}", d, guess_kind(d).value, False)
        if ref.key not in seen:
            seen.add(ref.key)
            agencies.append(ref)
    return Case(
        key=root,
        judgment_ids=[r.id for r in rs],
        case_nos=[r.case_no for r in rs if r.case_no],
        date=eff.judgment_date or max((r.judgment_date for r in rs if r.judgment_date), default=None),
        outcome=outcome,
        court=eff.court,
        action_type=next((r.action_type for r in reversed(rs) if r.action_type), None),
        field=next((r.field for r in reversed(rs) if r.field), None),
        loss_causes=causes,
        withdrawn_after_correction=bool(outcome == "withdrawn" and eff.withdrawn_after_correction),
        agency_head_appeared=head,
        defendants=defendants,
        agencies=agencies,
        effective_judgment_id=eff.id,
    )


# ---------------------------------------------------------------- the query at the edge


def load_rows(session: Session) -> list[JudgmentRow]:
    """Every stored judgment's statistics columns (JSON paths extracted by the database, no full text)."""
    j = Judgment
    q = select(
        j.id,
        j.case_no,
        j.procedure,
        j.court,
        j.judgment_date,
        j.outcome,
        j.action_type,
        j.field,
        j.loss_causes,
        j.defendants,
        j.agency_head_appeared,
        j.record["original_case_nos"],
        j.record["first_instance"]["case_no"],
        j.classification["withdrawn_after_correction"],
    )
    out = []
    for id_, cn, proc, court, date, outcome, at, fld, causes, defs, head, orig, fi, wac in session.execute(q):
        cited = [c for c in (orig or []) if isinstance(c, str)]
        if isinstance(fi, str):
            cited.append(fi)
        out.append(
            JudgmentRow(
                id_,
                cn,
                proc,
                court,
                date,
                outcome,
                at,
                fld,
                list(causes or []),
                list(defs or []),
                head,
                cited,
                bool(wac) if wac in (True, False, 0, 1) else None,
            )
        )
    return out


def agency_refs(session: Session, names: Iterable[str]) -> dict[str, AgencyRef]:
    """Registry agencies for defendant names (exact, alias, fuzzy); names that match nothing are left out."""
    index = RegistryIndex.load(session)
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    out = {}
    for name in set(names):
        m = index.match(name)
        if m.agency_id is not None:
            a = agencies[m.agency_id]
            out[name] = AgencyRef(
                f"a:{a.id}", a.name, a.kind or AgencyKind.other.value, a.ours, a.id, a.level
            )
    return out


def load_cases(session: Session, *, with_ledger: bool = True) -> list[Case]:
    rows = load_rows(session)
    names = {d for r in rows for d in r.defendants}
    cases = build_cases(rows, agency_refs(session, names))
    if with_ledger:
        cases.extend(pending_ledger_cases(session, {cn for c in cases for cn in c.case_nos}))
    return cases


def pending_ledger_cases(session: Session, known_case_nos: set[str]) -> list[Case]:
    """Ledger rows whose case has no judgment yet, as cases (outcome from the ledger, else pending)."""
    if session.scalar(select(LedgerEntry.id).limit(1)) is None:
        return []

    known = {normalize_case_no(c) for c in known_case_nos}
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    grouped: dict[str, list[LedgerEntry]] = {}
    for e in session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)):
        if e.case_no_norm not in known:
            grouped.setdefault(e.case_no_norm, []).append(e)
    out = []
    for norm, es in grouped.items():
        refs = []
        for e in es:
            if e.agency_id and e.agency_id in agencies:
                a = agencies[e.agency_id]
                refs.append(AgencyRef(f"a:{a.id}", a.name, a.kind, a.ours, a.id, a.level))
            elif e.agency_name:
                refs.append(
                    AgencyRef(f"n:{e.agency_name}", e.agency_name, guess_kind(e.agency_name).value, False)
                )
        first = es[0]
        outcome = first.outcome if first.outcome != "remanded" else None
        out.append(
            Case(
                key=norm,
                judgment_ids=[],
                case_nos=[first.case_no],
                date=first.concluded_date if outcome else (first.received_date or first.concluded_date),
                outcome=outcome,
                court=None,
                action_type=None,
                field=None,
                loss_causes=[],
                withdrawn_after_correction=False,
                agency_head_appeared=None,
                defendants=[e.agency_name for e in es if e.agency_name],
                agencies=refs,
            )
        )
    return out
