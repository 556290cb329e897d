"""Register rows (the suits register of ``supervision/``) as suits of the statistics.

A register row, a court-ledger row and the judgments with one key are ONE suit, counted once
(:func:`merge_register`, pure). A register row finds its suit through the judgments linked to it
(``suit_judgments``), else through its first-instance case number (the number carries the court's code, so
the case number alone is the suit key the judgments are linked by). What it brings to the suit:

* the 发案 date when neither the ledger's 收案日期 nor the judgment's filing date is known: the day the agency
  received the papers (``papers_received``, the earliest over its defendants), source ``register``;
* its registered agencies (``suit_agencies``): they are the suit's original defendants (a judgment's
  defendant names that matched no registry agency give way to them; a reconsideration co-defendant stays);
* for a suit without any judgment: a pending suit, counted in 发案量 and not in 审结/败诉 until decided (the
  register's own outcome, e.g. a withdrawal it recorded, decides it). A register row without a case number
  yet stands as its own suit.

``load_register`` is the query at the edge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, Suit, SuitAgency, SuitJudgment
from core.normalize import normalize_case_no
from registry.agencies import AgencyKind
from reports.cases import CONCLUDED, AgencyRef, Case, Reconsideration, case_no_year, load_all

REGISTER = "register"


@dataclass
class RegisterRow:
    """One registered suit as the statistics see it."""

    id: int
    case_no: str | None
    court: str | None
    papers_received: dt.date | None  # the earliest over its defendant agencies
    outcome: str | None = None  # the register's outcome (a judgment's, or a withdrawal it recorded)
    decided_on: dt.date | None = None
    withdrawn_after_correction: bool = False
    action_type: str | None = None
    field: str | None = None
    agencies: list[AgencyRef] = dc_field(default_factory=list)
    judgment_ids: list[int] = dc_field(default_factory=list)

    @property
    def case_no_norm(self) -> str | None:
        return normalize_case_no(self.case_no) if self.case_no else None


def _numbers(c: Case) -> list[str]:
    numbers = {c.key, *(normalize_case_no(x) for x in c.case_nos if x)}
    return [n for n in numbers if n and not n.startswith(("#", "s:"))]


def merge_register(cases: list[Case], register: Iterable[RegisterRow]) -> list[Case]:
    """Merge register rows into the suits (in place) and add the register suits nothing else knows; returns
    the added cases."""
    by_judgment = {jid: c for c in cases for jid in c.judgment_ids}
    by_number: dict[str, Case] = {}
    for c in cases:
        for n in _numbers(c):
            by_number.setdefault(n, c)
    added: list[Case] = []
    for r in register:
        norm = r.case_no_norm
        found = next((by_judgment[j] for j in r.judgment_ids if j in by_judgment), None)
        found = found or (by_number.get(norm) if norm else None)
        if found is None:
            found = _new_case(r)
            added.append(found)
            if norm:
                by_number[norm] = found
            continue
        _join(found, r)
    return added


def _join(c: Case, r: RegisterRow) -> None:
    """A register row joins the suit the judgments or the ledger made of it."""
    if r.papers_received and c.filed_source not in ("ledger", "judgment"):
        if c.filed_source != REGISTER or c.filed is None or r.papers_received < c.filed:
            c.filed, c.filed_source, c.filed_year = r.papers_received, REGISTER, r.papers_received.year
    if r.agencies:
        registered = {a.key for a in r.agencies}
        kept = [a for a in c.agencies if a.key not in registered and (a.role or a.key.startswith("a:"))]
        c.agencies = [*_originals(r.agencies, c.agencies), *kept]
    if not c.judgment_ids and c.outcome is None and r.outcome in CONCLUDED:
        _decide(c, r)
    c.action_type = c.action_type or r.action_type
    c.field = c.field or r.field
    c.court = c.court or r.court
    if r.case_no:
        c.stood_alone = False  # the register names the first instance
        if r.case_no not in c.case_nos:
            c.case_nos.append(r.case_no)


def _originals(registered: list[AgencyRef], had: list[AgencyRef]) -> list[AgencyRef]:
    """The registered agencies as original defendants, unless the judgment names one as 复议机关 only."""
    roles = {a.key: a.role for a in had}
    return [AgencyRef(**{**a.__dict__, "role": roles.get(a.key)}) for a in registered]


def _decide(c: Case, r: RegisterRow) -> None:
    c.outcome = r.outcome
    c.date = r.decided_on
    c.withdrawn_after_correction = bool(r.outcome == "withdrawn" and r.withdrawn_after_correction)
    guess = case_no_year(r.case_no)
    c.decided_year = r.decided_on.year if r.decided_on else guess
    c.date_source = REGISTER if r.decided_on else ("case_no" if guess else None)


def _new_case(r: RegisterRow) -> Case:
    """A register suit without judgment or ledger row: pending (or decided by the register itself)."""
    guess = case_no_year(r.case_no)
    c = Case(
        key=r.case_no_norm or f"s:{r.id}",
        judgment_ids=[],
        case_nos=[r.case_no] if r.case_no else [],
        date=None,
        outcome=None,
        court=r.court,
        action_type=r.action_type,
        field=r.field,
        loss_causes=[],
        withdrawn_after_correction=False,
        agency_head_appeared=None,
        defendants=[a.name for a in r.agencies],
        agencies=list(r.agencies),
        filed=r.papers_received,
        filed_source=REGISTER if r.papers_received else ("case_no" if guess else None),
        filed_year=r.papers_received.year if r.papers_received else guess,
    )
    if r.outcome in CONCLUDED:
        _decide(c, r)
    return c


# ---------------------------------------------------------------- the query at the edge


def load_suits(session: Session) -> tuple[list[Case], list[Reconsideration]]:
    """Every suit the statistics count: judgments and ledger rows (reports.cases.load_all) with the register
    merged in, and the reconsideration decisions."""
    cases, reconsiderations = load_all(session)
    cases.extend(merge_register(cases, load_register(session)))
    return cases, reconsiderations


def load_register(session: Session) -> list[RegisterRow]:
    """Every registered suit with its defendant agencies (registry refs) and linked judgment ids."""
    if session.scalar(select(Suit.id).limit(1)) is None:
        return []
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    defendants: dict[int, list[SuitAgency]] = {}
    for d in session.scalars(select(SuitAgency).order_by(SuitAgency.id)):
        defendants.setdefault(d.suit_id, []).append(d)
    linked: dict[int, list[int]] = {}
    for suit_id, jid in session.execute(select(SuitJudgment.suit_id, SuitJudgment.judgment_id)):
        linked.setdefault(suit_id, []).append(jid)
    out = []
    for s in session.scalars(select(Suit).order_by(Suit.id)):
        ds = defendants.get(s.id, [])
        refs = []
        for d in ds:
            a = agencies.get(d.agency_id) if d.agency_id is not None else None
            if a is not None:
                refs.append(
                    AgencyRef(f"a:{a.id}", a.name, a.kind or AgencyKind.other.value, a.ours, a.id, a.level)
                )
        received = [d.papers_received for d in ds if d.papers_received]
        out.append(
            RegisterRow(
                id=s.id,
                case_no=s.case_no,
                court=s.court,
                papers_received=min(received) if received else None,
                outcome=s.outcome,
                decided_on=s.decided_on,
                withdrawn_after_correction=bool(s.withdrawn_after_correction),
                action_type=s.action_type,
                field=s.field,
                agencies=refs,
                judgment_ids=sorted(linked.get(s.id, [])),
            )
        )
    return out


def register_fingerprint(session: Session) -> list[object]:
    """What the statistics read of the register (for the case table's freshness check)."""
    return [
        session.execute(
            select(
                Suit.id,
                Suit.case_no,
                Suit.court,
                Suit.outcome,
                Suit.decided_on,
                Suit.withdrawn_after_correction,
                Suit.action_type,
                Suit.field,
            ).order_by(Suit.id)
        ).all(),
        session.execute(
            select(
                SuitAgency.id, SuitAgency.suit_id, SuitAgency.agency_id, SuitAgency.papers_received
            ).order_by(SuitAgency.id)
        ).all(),
        session.execute(
            select(SuitJudgment.suit_id, SuitJudgment.judgment_id).order_by(SuitJudgment.id)
        ).all(),
    ]
