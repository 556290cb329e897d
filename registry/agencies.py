"""The agency registry: names, aliases, matching defendant names, import/export, the review list.

Matching goes exact name → alias → fuzzy (rapidfuzz) with a confidence; a name whose best fuzzy score is
below the threshold is put on the unmatched review list (``agency_unmatched``) for a reviewer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, AgencyAlias, UnmatchedDefendant
from core.normalize import normalize_name
from core.spreadsheet import zh_label
from core.taxonomy import Field

FUZZY_THRESHOLD = 0.88  # below: the name waits on the review list
SAMPLE_REGISTRY = Path(__file__).parent / "data" / "sample_agencies.csv"


class AgencyKind(StrEnum):
    township = "township"  # 乡镇人民政府、街道办事处
    department = "department"  # 政府工作部门（县级及以上）
    government = "government"  # 县级及以上人民政府
    other = "other"  # 事业单位、派出机构、村居委会 …

    @property
    def zh(self) -> str:
        return {
            "township": "乡镇（街道）",
            "department": "政府部门",
            "government": "人民政府",
            "other": "其他",
        }[self.value]


class AgencyLevel(StrEnum):
    township = "township"
    county = "county"
    city = "city"
    province = "province"
    national = "national"

    @property
    def zh(self) -> str:
        return {
            "township": "乡镇级",
            "county": "县级",
            "city": "市级",
            "province": "省级",
            "national": "国家级",
        }[self.value]


class AliasKind(StrEnum):
    abbreviation = "abbreviation"  # 简称
    former_name = "former_name"  # 曾用名（机构改革前）
    other = "other"

    @property
    def zh(self) -> str:
        return {"abbreviation": "简称", "former_name": "曾用名", "other": "其他"}[self.value]


class RegistryError(Exception):
    """A registry file or operation is wrong; the message is for the user (Chinese)."""


# ---------------------------------------------------------------- pure helpers

_TOWNSHIP_RE = re.compile(r"(镇|乡|街道)(人民政府|办事处)$|街道办事处$|(镇|乡)政府$")
_GOVERNMENT_RE = re.compile(r"(省|市|县|区|旗|州|盟)人民政府$")
_DEPARTMENT_RE = re.compile(r"(局|委员会|委|厅|办公室|办|署|支队|大队|分局|所|中心)$")
_COUNTY_PREFIX_RE = re.compile(r"^(?:[^省市]{1,8}省)?(?:[^市]{1,8}市)?[^县区旗]{1,10}(县|区|旗)")


def guess_kind(name: str) -> AgencyKind:
    """A kind from the name alone: 镇/乡/街道 → township, …人民政府 → government, …局/委 → department."""
    n = normalize_name(name)
    if _TOWNSHIP_RE.search(n):
        return AgencyKind.township
    if _GOVERNMENT_RE.search(n):
        return AgencyKind.government
    if _DEPARTMENT_RE.search(n):
        return AgencyKind.department
    return AgencyKind.other


def match_key(name: str) -> str:
    """The form names are compared in: widths folded, spaces and brackets' content kept, 原/现 prefixes dropped."""
    n = normalize_name(name)
    return re.sub(r"^(原|现)", "", n)


@dataclass
class Match:
    agency_id: int | None
    confidence: float  # 1.0 exact, 0.98 alias, fuzzy score otherwise
    method: str  # exact / alias / fuzzy / none
    candidate: str | None = None  # the registry name the best score came from


@dataclass
class RegistryIndex:
    """All registry names (full names and aliases) in memory: matching many defendants without queries."""

    exact: dict[str, int] = field(default_factory=dict)
    alias: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)  # every key → agency id, for fuzzy search

    @classmethod
    def load(cls, session: Session) -> RegistryIndex:
        idx = cls()
        for aid, name in session.execute(select(Agency.id, Agency.name)):
            idx.exact[match_key(name)] = aid
        for aid, alias in session.execute(select(AgencyAlias.agency_id, AgencyAlias.alias)):
            idx.alias.setdefault(match_key(alias), aid)
        idx.names = {**idx.alias, **idx.exact}
        return idx

    def match(self, name: str, threshold: float = FUZZY_THRESHOLD) -> Match:
        key = match_key(name)
        if not key:
            return Match(None, 0.0, "none")
        if key in self.exact:
            return Match(self.exact[key], 1.0, "exact", key)
        if key in self.alias:
            return Match(self.alias[key], 0.98, "alias", key)
        if not self.names:
            return Match(None, 0.0, "none")
        best = process.extractOne(key, list(self.names), scorer=_score)
        if best is None:
            return Match(None, 0.0, "none")
        cand, score, _ = best
        conf = round(score / 100.0, 3)
        if conf >= threshold:
            return Match(self.names[cand], conf, "fuzzy", cand)
        return Match(None, conf, "none", cand)


def _score(a: str, b: str, **_: object) -> float:
    """Similarity of two agency names: plain ratio, penalised when the last 2 characters (局/镇…) differ."""
    s = fuzz.ratio(a, b)
    if a[-2:] != b[-2:]:
        s *= 0.9
    return s


# ---------------------------------------------------------------- service functions


def agency_names(session: Session, agency_id: int | str) -> list[str]:
    """The agency's full name and all its aliases (what a defendant may be called in a judgment)."""
    try:
        key = int(agency_id)
    except (TypeError, ValueError):
        return []
    agency = session.get(Agency, key)
    if agency is None:
        return []
    return [agency.name, *[a.alias for a in agency.aliases if a.alias != agency.name]]


def match_defendant(
    session: Session, name: str, *, record_unmatched: bool = False, index: RegistryIndex | None = None
) -> tuple[int | None, float]:
    """(agency id or None, confidence 0..1) for a defendant name; optionally queue a miss for review."""
    m = (index or RegistryIndex.load(session)).match(name)
    if m.agency_id is None and record_unmatched:
        note_unmatched(session, name, m, index)
    return m.agency_id, m.confidence


def note_unmatched(
    session: Session, name: str, m: Match, index: RegistryIndex | None = None, *, seen: int | None = None
) -> None:
    """Put ``name`` on the review list. ``seen``: how many judgments name it (a full scan counts them);
    without it one more judgment was stored that names it."""
    row = session.scalar(select(UnmatchedDefendant).where(UnmatchedDefendant.name == name))
    cand = index.names.get(m.candidate) if index and m.candidate else None
    if row is None:
        session.add(
            UnmatchedDefendant(
                name=name, candidate_id=cand, confidence=m.confidence, seen=seen or 1, status="open"
            )
        )
    else:
        row.seen = seen if seen is not None else row.seen + 1
        row.confidence, row.candidate_id = m.confidence, cand


def scan_defendants(
    session: Session,
    names: Iterable[str],
    seen: dict[str, int] | None = None,
    index: RegistryIndex | None = None,
) -> dict[str, Match]:
    """Match every distinct name; misses go to the review list (``seen``: how many judgments name each,
    when known). Returns name → Match."""
    index = index or RegistryIndex.load(session)
    out: dict[str, Match] = {}
    for name in dict.fromkeys(names):
        m = index.match(name)
        out[name] = m
        if m.agency_id is None:
            note_unmatched(session, name, m, index, seen=seen.get(name) if seen else None)
    return out


_COURT_RE = re.compile(r"(法院|法庭)$")


def scan_judgment_defendants(session: Session) -> dict[str, Match]:
    """Match the defendants of every stored judgment (``anjian agencies unmatched --scan``): the review list
    then holds exactly the names that still match nothing, each with the number of judgments naming it; a
    name that matches now leaves the list. A court is never a defendant and never listed."""
    from collections import Counter

    from core.models import Judgment

    counts = Counter(
        d for (ds,) in session.execute(select(Judgment.defendants)) for d in dict.fromkeys(ds or [])
    )
    index = RegistryIndex.load(session)
    names = [name for name in counts if not _COURT_RE.search(name)]
    out = scan_defendants(session, names, dict(counts), index)
    resolve_now_matching(session, index)
    return out


def resolve_now_matching(session: Session, index: RegistryIndex | None = None) -> int:
    """Open review rows whose name now matches an agency (it was added, or given this alias) are done."""
    index = index or RegistryIndex.load(session)
    n = 0
    for row in session.scalars(select(UnmatchedDefendant).where(UnmatchedDefendant.status == "open")):
        if index.match(row.name).agency_id is not None:
            row.status = "resolved"
            n += 1
    return n


def unmatched(session: Session, status: str = "open") -> list[dict]:
    rows = session.scalars(
        select(UnmatchedDefendant)
        .where(UnmatchedDefendant.status == status)
        .order_by(UnmatchedDefendant.seen.desc(), UnmatchedDefendant.name)
    )
    out = []
    for r in rows:
        cand = session.get(Agency, r.candidate_id) if r.candidate_id else None
        out.append(
            {
                "id": r.id,
                "name": r.name,
                "candidate": cand.name if cand else None,
                "candidate_id": r.candidate_id,
                "confidence": r.confidence,
                "seen": r.seen,
                "status": r.status,
            }
        )
    return out


def resolve_unmatched(
    session: Session, name: str, agency_id: int | None, kind: AliasKind = AliasKind.other
) -> None:
    """A reviewer's answer: the name is an alias of ``agency_id`` (or, with None, not ours: ignored)."""
    row = session.scalar(select(UnmatchedDefendant).where(UnmatchedDefendant.name == name))
    if agency_id is not None:
        if session.get(Agency, agency_id) is None:
            raise RegistryError(f"没有编号为 {agency_id} 的单位")
        add_alias(session, agency_id, name, kind)
    if row is not None:
        row.status = "resolved" if agency_id is not None else "ignored"


def add_agency(
    session: Session,
    name: str,
    *,
    kind: AgencyKind | None = None,
    level: AgencyLevel | None = None,
    parent: str | None = None,
    field: Field | None = None,
    ours: bool = True,
    aliases: Iterable[tuple[str, AliasKind]] = (),
) -> Agency:
    name = normalize_name(name)
    if not name:
        raise RegistryError("单位名称不能为空")
    agency = session.scalar(select(Agency).where(Agency.name == name))
    if agency is None:
        agency = Agency(name=name)
        session.add(agency)
    agency.kind = (kind or guess_kind(name)).value
    agency.level = level.value if level else agency.level
    agency.parent = parent or agency.parent
    agency.field = field.value if field else agency.field
    agency.ours = ours
    session.flush()
    for alias, akind in aliases:
        add_alias(session, agency.id, alias, akind)
    return agency


def create_agency(
    session: Session,
    name: str,
    *,
    kind: AgencyKind | None = None,
    level: AgencyLevel | None = None,
    parent: str | None = None,
    field: Field | None = None,
    ours: bool = True,
    aliases: Iterable[tuple[str, AliasKind]] = (),
) -> Agency:
    """A new agency (the web's 新增): a name already in the registry, as a name or an alias, is refused
    with the agency it belongs to; review rows the new names now match are done."""
    key = normalize_name(name)
    index = RegistryIndex.load(session)
    existing = index.exact.get(match_key(key)) or index.alias.get(match_key(key))
    if existing is not None:
        other = session.get(Agency, existing)
        raise RegistryError(f"名录中已有“{other.name if other else key}”（编号 {existing}），未重复新增")
    agency = add_agency(
        session, key, kind=kind, level=level, parent=parent, field=field, ours=ours, aliases=aliases
    )
    resolve_now_matching(session)
    return agency


def update_agency(session: Session, agency_id: int, changes: dict[str, object]) -> Agency:
    """Change an agency's kind, level, parent government, field or 本县 mark (codes or Chinese labels)."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise RegistryError(f"没有编号为 {agency_id} 的单位")
    for key, value in changes.items():
        text = str(value).strip() if value is not None else ""
        if key == "kind":
            kind = _KIND_BY_ZH.get(text)
            if kind is None:
                raise RegistryError(f"不认识的类型「{text}」（可填：乡镇（街道）、政府部门、人民政府、其他）")
            agency.kind = kind.value
        elif key == "level":
            level = _LEVEL_BY_ZH.get(text) if text else None
            if text and level is None:
                raise RegistryError(f"不认识的层级「{text}」（可填：乡镇级、县级、市级、省级、国家级）")
            agency.level = level.value if level else None
        elif key == "field":
            fld = Field.parse(text) if text else None
            if text and fld is None:
                raise RegistryError(f"不认识的执法领域「{text}」")
            agency.field = fld.value if fld else None
        elif key == "parent":
            agency.parent = text or None
        elif key == "ours":
            agency.ours = bool(value) if isinstance(value, bool) else text.lower() in _YES
        else:
            raise RegistryError(f"不能修改“{key}”")
    session.flush()
    return agency


def add_alias(
    session: Session,
    agency_id: int,
    alias: str,
    kind: AliasKind = AliasKind.abbreviation,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> None:
    alias = normalize_name(alias)
    if not alias:
        return
    exists = session.scalar(
        select(AgencyAlias).where(AgencyAlias.agency_id == agency_id, AgencyAlias.alias == alias)
    )
    if exists is None:
        session.add(
            AgencyAlias(
                agency_id=agency_id, alias=alias, kind=kind.value, valid_from=valid_from, valid_to=valid_to
            )
        )
        session.flush()
        for row in session.scalars(
            select(UnmatchedDefendant).where(
                UnmatchedDefendant.status == "open", UnmatchedDefendant.name == alias
            )
        ):
            row.status = "resolved"


def list_agencies(session: Session, *, ours_only: bool = False) -> list[dict]:
    q = select(Agency).order_by(Agency.kind, Agency.name)
    if ours_only:
        q = q.where(Agency.ours.is_(True))
    return [agency_as_dict(a) for a in session.scalars(q)]


def agency_as_dict(a: Agency) -> dict:
    return {
        "id": a.id,
        "name": a.name,
        "kind": a.kind,
        "kind_zh": AgencyKind(a.kind).zh,
        "level": a.level,
        "level_zh": AgencyLevel(a.level).zh if a.level else None,
        "field_zh": zh_label(Field, a.field) if a.field else None,
        "parent": a.parent,
        "field": a.field,
        "ours": a.ours,
        "aliases": [
            {"alias": x.alias, "kind": x.kind, "valid_from": _iso(x.valid_from), "valid_to": _iso(x.valid_to)}
            for x in a.aliases
        ],
    }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# ---------------------------------------------------------------- CSV / XLSX

COLUMNS = ["单位全称", "类型", "层级", "所属政府", "执法领域", "本县单位", "简称", "曾用名"]
_KIND_BY_ZH = (
    {k.zh: k for k in AgencyKind}
    | {k.value: k for k in AgencyKind}
    | {"乡镇": AgencyKind.township, "街道": AgencyKind.township, "部门": AgencyKind.department}
)
_LEVEL_BY_ZH = {k.zh: k for k in AgencyLevel} | {k.value: k for k in AgencyLevel}
_YES = {"是", "1", "true", "yes", "y", "√", "本县"}


def _split_names(cell: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、;；|,，/]", cell or "") if x.strip()]


def _former(cell: str) -> list[tuple[str, dt.date | None]]:
    """``原国土资源局@2019-03-01`` → (name, valid_to); the date (when the rename happened) is optional."""
    out = []
    for part in _split_names(cell):
        name, _, date = part.partition("@")
        out.append((name, dt.date.fromisoformat(date) if date else None))
    return out


def import_rows(session: Session, rows: Iterable[dict[str, str]]) -> int:
    """Add or update agencies from rows keyed by :data:`COLUMNS`; returns how many rows were read. Review
    rows the imported names now match are done."""
    n = 0
    for i, row in enumerate(rows, start=2):
        name = (row.get("单位全称") or "").strip()
        if not name:
            continue
        kind_cell = (row.get("类型") or "").strip()
        kind = _KIND_BY_ZH.get(kind_cell) if kind_cell else None
        if kind_cell and kind is None:
            raise RegistryError(
                f"第 {i} 行：不认识的类型「{kind_cell}」（可填：乡镇（街道）、政府部门、人民政府、其他）"
            )
        level_cell = (row.get("层级") or "").strip()
        level = _LEVEL_BY_ZH.get(level_cell) if level_cell else None
        field_cell = (row.get("执法领域") or "").strip()
        fld = Field.parse(field_cell) if field_cell else None
        if field_cell and fld is None:
            raise RegistryError(f"第 {i} 行：不认识的执法领域「{field_cell}」")
        ours = (row.get("本县单位") or "是").strip().lower() in _YES
        agency = add_agency(
            session,
            name,
            kind=kind,
            level=level,
            parent=(row.get("所属政府") or "").strip() or None,
            field=fld,
            ours=ours,
        )  # type: ignore[arg-type]
        for alias in _split_names(row.get("简称") or ""):
            add_alias(session, agency.id, alias, AliasKind.abbreviation)
        for former, until in _former(row.get("曾用名") or ""):
            add_alias(session, agency.id, former, AliasKind.former_name, valid_to=until)
        n += 1
    if n:
        resolve_now_matching(session)
    return n


def read_table_file(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file, keyed by the header row."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header: list[str] = []
        for first in it:  # a title row (one cell) may come before the header
            header = [str(c).strip() if c is not None else "" for c in first]
            if sum(1 for h in header if h) >= 2:
                break
        rows = [{h: _cell(v) for h, v in zip(header, r, strict=False)} for r in it]
        wb.close()
        return rows
    if suffix != ".csv":
        raise RegistryError(f"只支持 .csv 和 .xlsx 文件：{path.name}")
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegistryError(f"{path.name} 的编码无法识别（请存为 UTF-8）")
    return [
        {(k or "").strip(): (v or "").strip() for k, v in r.items()}
        for r in csv.DictReader(io.StringIO(text))
    ]


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def import_file(session: Session, path: Path) -> int:
    return import_rows(session, read_table_file(path))


def export_rows(session: Session) -> list[list[str]]:
    rows = []
    for a in session.scalars(select(Agency).order_by(Agency.id)):
        abbr = "、".join(x.alias for x in a.aliases if x.kind != AliasKind.former_name)
        former = "、".join(
            x.alias + (f"@{x.valid_to.isoformat()}" if x.valid_to else "")
            for x in a.aliases
            if x.kind == AliasKind.former_name
        )
        rows.append(
            [
                a.name,
                AgencyKind(a.kind).zh,
                AgencyLevel(a.level).zh if a.level else "",
                a.parent or "",
                zh_label(Field, a.field) if a.field else "",
                "是" if a.ours else "否",
                abbr,
                former,
            ]
        )
    return rows


def export_file(session: Session, path: Path) -> int:
    from core.spreadsheet import Table, write_table

    rows = export_rows(session)
    write_table(Table(title="行政机关名录", columns=COLUMNS, rows=rows), path)
    return len(rows)


def load_sample_registry(session: Session) -> int:
    return import_file(session, SAMPLE_REGISTRY)
