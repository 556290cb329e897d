"""Cases as the statistics see them: a first-instance judgment and its appeal/retrial are ONE case (a suit).

``build_cases`` is pure: judgment rows (plain dataclasses) in, linked cases out, each with the outcome in
effect (the latest decisive document) and its dates by rule: 发案 by the filing date (ledger 收案日期, else the
judgment's ``filing_date``, else the first-instance case number's year, 推定), 审结/败诉 by the date of the
decision in effect (else its case number's year, 推定). Enforcement reviews (非诉执行审查) are dropped: the
agency is not a defendant there; 行政复议决定 are not suits either and become :class:`Reconsideration` rows
(``build_reconsiderations``). ``load_rows`` is the query at the edge.
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
from core.taxonomy import RECONSIDERATION_CORRECTIONS
from registry.agencies import AgencyKind, RegistryIndex, guess_kind

DECISIVE = {"agency_lost", "agency_won", "dismissed", "withdrawn", "remanded"}
CONCLUDED = {"agency_lost", "agency_won", "dismissed", "withdrawn"}
PROCEDURE_RANK = {"first": 0, "other": 0, None: 0, "appeal": 1, "retrial_review": 2, "retrial": 3}
_ENFORCEMENT_NO = re.compile(r"行审|非诉|执审")
_YEAR = re.compile(r"[（(〔\[]\s*((?:19|20)\d{2})\s*[）)〕\]]")
RECONSIDERATION_BODY = "reconsideration_body"
RECONSIDERATION_KIND = "reconsideration_decision"
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
    doc_kind: str | None = None  # record.doc_kind (else the column)
    filing_date: dt.date | None = None  # record.filing_date
    defendant_roles: dict[str, str] = dc_field(default_factory=dict)  # record.defendant_roles
    respondents: list[str] = dc_field(default_factory=list)  # record.respondents (复议: 被申请人)
    norms: list[str] = dc_field(default_factory=list)  # breached_norms(record.citations)


# Procedural norms a court cites to decide, not norms the agency breached: the litigation law and the court's
# own interpretations of it.
_PROCEDURAL_LAW = re.compile(r"行政诉讼法|最高人民法院关于|民事诉讼法")
_CN_DIGITS = "零一二三四五六七八九"


def _article_zh(n: int) -> str:
    """12 → 十二, 105 → 一百零五 (articles are written in Chinese numerals in norms)."""
    if n <= 0 or n >= 1000:
        return str(n)
    h, t, u = n // 100, n // 10 % 10, n % 10
    out = f"{_CN_DIGITS[h]}百" if h else ""
    if t:
        out += ("" if t == 1 and not h else _CN_DIGITS[t]) + "十"
    elif h and u:
        out += "零"
    return out + (_CN_DIGITS[u] if u else "")


def breached_norms(citations: Iterable[object]) -> list[str]:
    """《法律》第N条 of the citations that are not procedural (record.citations: law, article, …), in order."""
    out: list[str] = []
    for c in citations:
        if not isinstance(c, dict):
            continue
        law, article = str(c.get("law") or "").strip("《》 "), c.get("article")
        if not law or _PROCEDURAL_LAW.search(law):
            continue
        label = f"《{law}》" + (f"第{_article_zh(article)}条" if isinstance(article, int) else "")
        if label not in out:
            out.append(label)
    return out


def case_no_year(case_no: str | None) -> int | None:
    """The year in a case number's brackets: （2024）甲0101行初1号 → 2024, 温政复决〔2023〕12号 → 2023."""
    m = _YEAR.search(case_no or "")
    return int(m[1]) if m else None


@dataclass
class AgencyRef:
    key: str  # "a:<id>" for a registry agency, "n:<name>" for an unmatched defendant
    name: str
    kind: str  # AgencyKind code
    ours: bool
    agency_id: int | None = None
    level: str | None = None  # AgencyLevel code when the registry knows it
    role: str | None = None  # None: the original agency; "reconsideration_body": 复议机关 as co-defendant

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
    filed: dt.date | None = None  # 发案 date: ledger 收案日期, else the judgment's filing date
    filed_source: str | None = None  # ledger / judgment / case_no (推定: year only) / None
    filed_year: int | None = None  # filed.year, else the first-instance case number's year (推定)
    decided_year: int | None = None  # date.year, else the effective case number's year (推定)
    date_source: str | None = None  # judgment / ledger / case_no (推定) / None (pending)
    norms: list[str] = dc_field(default_factory=list)  # norms found breached (lost suits only)
    # only appeals / retrials, and no first-instance case number found: the judgment stands as its own suit
    stood_alone: bool = False

    @property
    def concluded(self) -> bool:
        return self.outcome in CONCLUDED

    @property
    def decided(self) -> bool:
        """A decision is in effect (concluded, or remanded): it needs a decision date."""
        return self.outcome is not None


@dataclass
class Reconsideration:
    """One 行政复议决定 as the statistics see it: never a suit; 复议纠错 when the outcome corrects the agency."""

    judgment_id: int
    case_no: str | None
    date: dt.date | None
    year: int | None  # date.year, else the decision number's year (推定)
    outcome: str | None
    agencies: list[AgencyRef]

    @property
    def corrected(self) -> bool:
        return self.outcome in RECONSIDERATION_CORRECTIONS


def is_reconsideration(row: JudgmentRow) -> bool:
    return row.doc_kind == RECONSIDERATION_KIND


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
    rows = [r for r in rows if not is_enforcement(r) and not is_reconsideration(r)]
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
    roles = {name: role for r in rs for name, role in r.defendant_roles.items()}
    agencies = _refs(defendants, agency_of, roles)
    first = next((r for r in rs if r.filing_date), None)
    fi_year = case_no_year(root) or next((y for r in rs if (y := case_no_year(r.case_no))), None)
    date = eff.judgment_date or max((r.judgment_date for r in rs if r.judgment_date), default=None)
    guess_decided = case_no_year(eff.case_no) if outcome else None
    alone = all(PROCEDURE_RANK.get(r.procedure, 0) > 0 for r in rs) and not any(
        "行初" in n for n in [root, *(r.case_no or "" for r in rs)]
    )
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
        filed=first.filing_date if first else None,
        filed_source="judgment" if first else ("case_no" if fi_year else None),
        filed_year=first.filing_date.year if first and first.filing_date else fi_year,
        decided_year=date.year if date and outcome else guess_decided,
        norms=(list(eff.norms) or [n for r in rs if r.outcome == "agency_lost" for n in r.norms])
        if outcome == "agency_lost"
        else [],
        date_source=("judgment" if date else ("case_no" if guess_decided else None)) if outcome else None,
        stood_alone=alone,
    )


def _refs(names: Iterable[str], agency_of: dict[str, AgencyRef], roles: dict[str, str]) -> list[AgencyRef]:
    """One ref per agency (aliases merged); an agency is original when any of its names is not a 复议机关."""
    out: dict[str, AgencyRef] = {}
    for d in names:
        ref = agency_of.get(d) or AgencyRef(f"n:{d}", d, guess_kind(d).value, False)
        role = roles.get(d) if roles.get(d) == RECONSIDERATION_BODY else None
        if ref.key not in out:
            out[ref.key] = AgencyRef(**{**ref.__dict__, "role": role})
        elif role is None:
            out[ref.key].role = None
    return list(out.values())


def build_reconsiderations(
    rows: Iterable[JudgmentRow], agency_of: dict[str, AgencyRef] | None = None
) -> list[Reconsideration]:
    """The 行政复议决定 among the rows, each with the agencies whose act was reviewed (被申请人)."""
    out = []
    for r in rows:
        if not is_reconsideration(r):
            continue
        names = r.respondents or r.defendants
        out.append(
            Reconsideration(
                r.id,
                r.case_no,
                r.judgment_date,
                r.judgment_date.year if r.judgment_date else case_no_year(r.case_no),
                r.outcome,
                _refs(names, agency_of or {}, {}),
            )
        )
    return out


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
        j.doc_kind,
        j.record["doc_kind"],
        j.record["filing_date"],
        j.record["defendant_roles"],
        j.record["respondents"],
        j.record["citations"],
    )
    out = []
    for row in session.execute(q):
        id_, cn, proc, court, date, outcome, at, fld, causes, defs, head, orig, fi, wac = row[:14]
        kind_col, kind, filing, roles, resp, cites = row[14:]
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
                kind if isinstance(kind, str) else kind_col,
                _date(filing),
                {k: v for k, v in roles.items() if isinstance(v, str)} if isinstance(roles, dict) else {},
                [x for x in resp if isinstance(x, str)] if isinstance(resp, list) else [],
                breached_norms(cites) if isinstance(cites, list) else [],
            )
        )
    return out


def _date(v: object) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10]) if isinstance(v, str) and v else None
    except ValueError:
        return None


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
    return load_all(session, with_ledger=with_ledger)[0]


def load_all(session: Session, *, with_ledger: bool = True) -> tuple[list[Case], list[Reconsideration]]:
    """The suits of the judgments and the ledger (ledger 收案日期 applied, pending ledger rows added) and the
    reconsideration decisions; ``reports.registered.load_suits`` merges the register of suits in."""
    rows = load_rows(session)
    names = {d for r in rows for d in [*r.defendants, *r.respondents]}
    refs = agency_refs(session, names)
    cases = build_cases(rows, refs)
    if with_ledger:
        apply_ledger_filing(cases, _ledger_received(session))
        cases.extend(pending_ledger_cases(session, {cn for c in cases for cn in c.case_nos}))
    return cases, build_reconsiderations(rows, refs)


def _ledger_received(session: Session) -> dict[str, dt.date]:
    out: dict[str, dt.date] = {}
    for norm, received in session.execute(
        select(LedgerEntry.case_no_norm, LedgerEntry.received_date).where(
            LedgerEntry.received_date.is_not(None)
        )
    ):
        if received is not None:
            out.setdefault(norm, received)
    return out


def apply_ledger_filing(cases: Iterable[Case], received: dict[str, dt.date]) -> None:
    """A ledger's 收案日期 is the filing date of the suit whose first case number it carries (it wins)."""
    if not received:
        return
    for c in cases:
        for cn in [c.key, *c.case_nos]:
            d = received.get(normalize_case_no(cn)) if cn and not cn.startswith("#") else None
            if d:
                c.filed, c.filed_source, c.filed_year = d, "ledger", d.year
                break


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
        decided = first.concluded_date if outcome else None
        guess = case_no_year(first.case_no)
        out.append(
            Case(
                key=norm,
                judgment_ids=[],
                case_nos=[first.case_no],
                date=decided,
                outcome=outcome,
                court=None,
                action_type=None,
                field=None,
                loss_causes=[],
                withdrawn_after_correction=False,
                agency_head_appeared=None,
                defendants=[e.agency_name for e in es if e.agency_name],
                agencies=refs,
                filed=first.received_date,
                filed_source="ledger" if first.received_date else ("case_no" if guess else None),
                filed_year=first.received_date.year if first.received_date else guess,
                decided_year=(decided.year if decided else guess) if outcome else None,
                date_source=("ledger" if decided else ("case_no" if guess else None)) if outcome else None,
            )
        )
    return out
