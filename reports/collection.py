"""典型案例汇编: typical warning cases for 以案促改 meetings, grouped by loss cause, de-identified.

``select_cases`` picks lost cases by filter (cause, field, period/year, agency) or by judgment ids;
``collection_entries`` turns each into plain data (title, case number and court, 基本案情, 裁判结果,
败诉原因 with the court's own words, 警示, 整改建议); ``render_collection`` lays them out with a cover,
a table of contents with page numbers (read back from a first PDF rendering) and page numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Judgment
from core.normalize import normalize_case_no
from core.spreadsheet import zh_label
from core.taxonomy import ActionType, LossCause, Procedure, SectionName
from reports.caseindex import indexed_cases
from reports.cases import Case
from reports.deidentify import Finding, Masker, apply_masks, mask_name, residual_persons
from reports.lessons import (
    _REFERS_RE,
    agency_aliases,
    court_lesson,
    first_instance_facts,
    first_instance_reasoning,
    first_instance_result,
    only_refers,
    presiding_judges,
    usable,
)
from reports.officialdoc import (
    Fonts,
    OfficialDocument,
    RenderError,
    docx_to_pdf,
    pdf_page_texts,
    soffice_binary,
)
from reports.stats import Period, restrict

LESSONS_FILE = Path(__file__).parent / "data" / "lessons.json"
SUMMARY_CHARS = 320
CAUSE_ORDER = [c.value for c in LossCause]


class NothingSelected(Exception):
    """No case matches the filter."""


@lru_cache(maxsize=1)
def lessons() -> dict[str, dict]:
    return json.loads(LESSONS_FILE.read_text("utf-8"))


@lru_cache(maxsize=1)
def _statutes() -> tuple[str, ...]:
    """Statute texts printed in the 法条 appendix: a lesson that only recites one of them is not a lesson."""
    return tuple(n.split("：", 1)[-1] for v in lessons().values() for n in v["norms"])


@dataclass
class CollectionFilter:
    causes: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    period: Period = field(default_factory=lambda: Period("all"))
    agency_ids: list[int] | None = None
    judgment_ids: list[int] = field(default_factory=list)  # chosen by hand: overrides the other filters

    def describe(self) -> str:
        parts = []
        if self.judgment_ids:
            return f"人工选定的{len(self.judgment_ids)}个案件"
        if self.period.kind != "all":
            parts.append(self.period.zh)
        if self.causes:
            parts.append("、".join(zh_label(LossCause, c) for c in self.causes) + "类")
        return "".join(parts) or "全部"


def select_cases(cases: list[Case], f: CollectionFilter) -> list[Case]:
    """Lost cases matching the filter (pure). A case's year is the judgment date of the decision in effect."""
    if f.judgment_ids:
        wanted = set(f.judgment_ids)
        return [c for c in cases if wanted & set(c.judgment_ids)]
    out = []
    for c in restrict(cases, agency_ids=f.agency_ids):
        if c.outcome != "agency_lost" or not f.period.contains(c.date):
            continue
        if f.causes and not set(f.causes) & set(c.loss_causes):
            continue
        if f.fields and c.field not in f.fields:
            continue
        out.append(c)
    return out


# ---------------------------------------------------------------- entries (plain data)


@dataclass
class Entry:
    cause: str  # the group it is printed under
    title: str
    case_nos: list[str]
    court: str
    summary: str  # 基本案情
    result: str  # 裁判结果
    reasons: list[tuple[str, str]]  # (cause label, the court's words on that cause)
    lesson: str  # 警示: one or two sentences of this judgment's reasoning on the agency's fault
    significance: str  # 典型意义: this case's point, in one sentence built from its own facts
    judges: list[str]  # presiding judges (unmasked only), first instance first
    cited: list[str]  # statutes the decision in effect cites (printed once, in the 法条 appendix)
    judgment_ids: list[int]
    causes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # names the last pass found (and masked)
    masks: dict[str, str] = field(default_factory=dict, repr=False)  # the case's name → mask

    def paragraphs(self) -> list[str]:
        """The case's printed paragraphs, in order (what the renderer writes and the repeat check reads)."""
        head = f"【案号】{'；'.join(dict.fromkeys(self.case_nos))}　【审理法院】{self.court}"
        if self.judges:
            head += f"　【审判长】{'、'.join(self.judges)}"
        out = [head, "【基本案情】" + (self.summary or "（裁判文书未载明查明事实）")]
        out.append("【裁判结果】" + (self.result or "（见裁判文书）"))
        quoted = [(label, quote) for label, quote in self.reasons if quote and quote not in self.lesson]
        if self.reasons and not quoted:  # the 警示 quotes the court already: the causes on one line
            out.append("【败诉原因】" + "、".join(label for label, _ in self.reasons) + "。")
        else:
            for label, quote in self.reasons:
                shown = quote and quote not in self.lesson
                out.append(f"【败诉原因】{label}。" + (f"法院认为：“{quote}”" if shown else ""))
        if self.lesson:
            out.append(f"【警示】法院指出：“{self.lesson}”")
        if self.significance:
            out.append("【典型意义】" + self.significance)
        return out


def _section(record: dict, name: SectionName) -> str:
    text = record.get("text") or ""
    spans = [s for s in record.get("sections") or [] if s.get("name") == name.value]
    return "\n".join(text[s["start"] : s["end"]] for s in spans)


_FINDINGS_RE = re.compile(
    r"(?:经审理查明|本院经审理查明|经审查查明|本院查明|一审法院查明|一审法院认定)[，,：:]?\s*(.+?)(?=本院认为|一审法院认为|$)",
    re.S,
)
_OPERATIVE_RE = re.compile(
    r"(?:判决如下|裁定如下)[：:]\s*(.+?)(?=如不服本判决|如不服本裁定|本判决为终审判决|本裁定为终审裁定|案件受理费|审\s*判\s*长|$)",
    re.S,
)


def summary_of(record: dict) -> str:
    """基本案情: the opening of the findings (经审理查明), cut at a sentence end."""
    text = _section(record, SectionName.findings) or _section(record, SectionName.claims)
    if not text:
        m = _FINDINGS_RE.search(record.get("text") or "")
        text = m.group(1) if m else ""
    text = re.sub(r"^(经审理查明|本院经审理查明|经审查查明)[，,：:]?", "", text.strip())
    text = re.sub(r"\s*\n\s*", "", text)
    return _cut(text, SUMMARY_CHARS)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind("。"), head.rfind("；"))
    return (head[: end + 1] if end > limit // 3 else head + "……").rstrip("；").replace("；", "；")


def result_of(
    record: dict, procedure: str | None, doc_kind: str | None = None, case_no: str | None = None
) -> str:
    orders = record.get("operative_orders") or []
    if not orders:
        text = _section(record, SectionName.operative)
        m = _OPERATIVE_RE.search(text or record.get("text") or "")
        body = (m.group(1) if m else text).strip()
        orders = [x for x in re.split(r"\s*\n\s*", body) if x][:4]
    orders = [o for o in orders if not re.search(r"受理费|负担|如不服|上诉于", o)]
    joined = "".join(orders)
    proc = zh_label(Procedure, procedure) if procedure in {p.value for p in Procedure} else ""
    court = record.get("court") or ""
    verb = {"ruling": "裁定", "mediation": "调解", "decision": "决定"}.get(doc_kind or "", "判决")
    what = "，".join(x for x in (proc, normalize_case_no(case_no) if case_no else "") if x)
    return f"{court}{'（' + what + '）' if what else ''}{verb}：{_cut(joined, 260)}" if joined else ""


def _action_name(record: dict, action_type: str | None) -> str:
    sued = (
        (record.get("sued_action") or {}).get("name") if isinstance(record.get("sued_action"), dict) else None
    )
    if sued:
        name = sued.strip("《》")
        name = re.sub(r"(书|通知|告知)$", "", name)
        if 2 <= len(name) <= 20:
            return name
    cause = (record.get("cause_of_action") or "").strip()
    if cause and len(cause) <= 12 and "（" not in cause:
        return re.sub(r"(纠纷|一案|案)$", "", cause)
    if action_type and action_type != ActionType.other:
        return zh_label(ActionType, action_type)
    return "行政"


def _evidence(classification: dict | None, cause: str) -> list[str]:
    for tag in (classification or {}).get("loss_causes") or []:
        if tag.get("cause") == cause:
            return [e["text"] for e in tag.get("evidence") or [] if e.get("text")]
    return []


_OUTCOME_VERBS = [
    (re.compile(r"确认[^；。]{0,80}无效"), "确认无效"),
    (re.compile(r"确认[^；。]{0,120}违法"), "确认违法"),
    (re.compile(r"撤销[^；。]{0,120}(?:决定|行为|通知|答复|告知|批复|意见|处罚)"), "撤销"),
    (re.compile(r"责令|限期|履行|重新作出|作出答复|予以答复"), "判令依法履职或重新作出"),
    (re.compile(r"赔偿|补偿"), "判令赔偿或补偿"),
    (re.compile(r"变更"), "变更"),
]


def _outcome_verb(result: str) -> str:
    return next((v for rx, v in _OUTCOME_VERBS if rx.search(result)), "判决败诉")


def significance_for(agency: str, action: str, labels: list[str], result: str, case_no: str) -> str:
    """典型意义 of one case, from its own agency, act, causes and result (the case number keeps it unique)."""
    why = "、".join(labels) or "行为违法"
    return (
        f"在{case_no}案中，{agency}作出的{action}行为因{why}被人民法院{_outcome_verb(result)}。"
        f"同类执法活动应对照本案查找{why.split('、')[0]}方面的问题，防止同类问题反弹。"
    )


def _facts(judgments: list[Judgment], first: Judgment, ordered: list[Judgment]) -> str:
    """基本案情: the first instance's findings; an appeal that only refers to them gives the first-instance
    part it quotes (一审法院查明：…)."""
    fallback = ""
    for j in [first, *ordered]:
        rec = j.record or {}
        s = summary_of(rec)
        if j.procedure != Procedure.first.value or not s:
            quoted = first_instance_facts(rec.get("text") or "")
            if quoted and (not s or only_refers(s) or _REFERS_RE.search(s) or j.procedure == "second"):
                return _cut(quoted, SUMMARY_CHARS)
        if s and not only_refers(s):
            return s
        fallback = fallback or s
    return fallback


def _lesson(ordered: list[Judgment], aliases: list[str], cause: str) -> str:
    for j in ordered:
        rec = j.record or {}
        reasoning = _section(rec, SectionName.reasoning)
        if not reasoning:
            text = rec.get("text") or ""
            at = text.find("本院认为")
            reasoning = text[at:] if at >= 0 else ""
        found = court_lesson(reasoning, aliases, _evidence(j.classification, cause), statutes=_statutes())
        if not found and j.procedure != Procedure.first.value:
            quoted = first_instance_reasoning(rec.get("text") or "")
            found = court_lesson(quoted, aliases, statutes=_statutes())
        if found:
            return found
    return ""


def entry_for(case: Case, judgments: list[Judgment], prefer: list[str] | None = None) -> Entry:
    """One collection entry from a lost case and its judgments (effective one first).

    The entry is filed under the first of ``prefer`` (the causes the user filtered on) it has, else under
    its first cause in taxonomy order."""
    by_id = {j.id: j for j in judgments}
    eff = by_id.get(case.effective_judgment_id or -1) or judgments[-1]
    ordered = [eff] + [j for j in reversed(judgments) if j.id != eff.id]
    first = min(judgments, key=lambda j: (j.procedure != Procedure.first.value, j.id))
    rec = first.record or {}
    masker = case_masker(judgments)
    causes = sorted(case.loss_causes, key=CAUSE_ORDER.index) or ["other"]
    primary = next((c for c in prefer or [] if c in causes), causes[0])
    plaintiffs = [masker(p) for p in (first.plaintiffs or [])]
    plaintiff = "、".join(plaintiffs[:2]) + ("等" if len(plaintiffs) > 2 else "")
    agency = "、".join(case.defendants[:2]) or "行政机关"
    action = _action_name(rec, case.action_type)
    title = f"{plaintiff}诉{agency}{action}案" if plaintiff else f"{agency}{action}败诉案"
    results: list[str] = []
    for j in sorted(judgments, key=lambda j: (j.judgment_date or dt.date.min, j.id)):
        res = result_of(j.record or {}, j.procedure, j.doc_kind, j.case_no)
        if res:
            results.append(res)
    if first.procedure != Procedure.first.value:  # an appeal alone: the first-instance orders it quotes
        quoted = first_instance_result((first.record or {}).get("text") or "")
        if quoted:
            results.insert(0, f"一审判决：{_cut(quoted, 200).rstrip('。')}")
    aliases = agency_aliases(eff.record or {}, case.defendants)
    lesson = _lesson(ordered, aliases, primary)
    reasons = []
    for c in causes:
        quotes = next((q for q in (_evidence(j.classification, c) for j in ordered) if q), [])
        good = [q for q in dict.fromkeys(quotes) if usable(q)]
        reasons.append((zh_label(LossCause, c), "".join(good)))
    cited = []
    for cit in (eff.record or {}).get("citations") or []:
        t = cit.get("text") if isinstance(cit, dict) else None
        if t and "行政诉讼法" not in t and t not in cited:
            cited.append(t)
    case_nos = [normalize_case_no(cn) for cn in case.case_nos]
    judges = list(
        dict.fromkeys(
            n
            for j in sorted(judgments, key=lambda j: (j.judgment_date or dt.date.min, j.id))
            for n in presiding_judges(j.record or {})
        )
    )
    labels = [zh_label(LossCause, c) for c in [primary, *causes] if c != "other"]
    labels = list(dict.fromkeys(labels))  # the cause it is filed under first
    entry = Entry(
        cause=primary,
        title=masker(title),
        case_nos=case_nos,
        court=eff.court or "",
        summary=masker(_facts(judgments, first, ordered)),
        result=masker("；".join(results)),
        reasons=[(label, masker(q)) for label, q in reasons],
        lesson=masker(lesson),
        significance=masker(
            significance_for(agency, action, labels, "；".join(results), case_nos[-1] if case_nos else "")
        ),
        judges=judges,
        cited=cited[:6],
        judgment_ids=[j.id for j in judgments],
        causes=causes,
        masks=dict(masker.masks),
    )
    return last_pass(entry, masker.keep)


TEXT_FIELDS = ("title", "summary", "result", "lesson", "significance")


def last_pass(entry: Entry, keep: set[str] | frozenset[str] = frozenset()) -> Entry:
    """Scan what will print for a surname plus one or two characters after a person role; mask each find
    and list it in ``entry.findings``."""
    found = residual_persons("\n".join(entry.paragraphs()), keep)
    if not found:
        return entry
    masks = {f.name: mask_name(f.name) for f in found}
    for name in TEXT_FIELDS:
        setattr(entry, name, apply_masks(getattr(entry, name), masks))
    entry.reasons = [(label, apply_masks(q, masks)) for label, q in entry.reasons]
    entry.findings = found
    return entry


def collection_entries(session: Session, f: CollectionFilter) -> list[Entry]:
    cases = select_cases([c for c in indexed_cases(session) if c.judgment_ids], f)
    if not cases:
        raise NothingSelected(f"没有符合条件（{f.describe()}）的败诉案件")
    ids = [i for c in cases for i in c.judgment_ids]
    rows = {j.id: j for j in session.scalars(select(Judgment).where(Judgment.id.in_(ids)))}
    entries = [entry_for(c, [rows[i] for i in c.judgment_ids if i in rows], f.causes) for c in cases]
    entries.sort(key=lambda e: (CAUSE_ORDER.index(e.cause), e.case_nos[-1] if e.case_nos else ""))
    return entries


# ---------------------------------------------------------------- rendering


def preface(entries: list[Entry], subtitle: str) -> list[str]:
    """The collection's shared text, printed once: purpose, then per cause what it teaches and the
    rectification advice (never repeated under each case)."""
    out = [
        f"为落实以案促改要求，帮助行政执法人员从败诉案件中吸取教训，现将{subtitle.strip('（）')}"
        f"共{len(entries)}个行政机关败诉案例按败诉原因分类汇编。案例中的自然人已依法作隐名处理，"
        "“败诉原因”“警示”部分引用的是人民法院裁判文书原文，相关法律条文集中列于书末附录。"
    ]
    for cause, _ in _groups(entries):
        lesson = lessons().get(cause, lessons()["other"])
        label = zh_label(LossCause, cause)
        out.append(f"关于{label}类案件：{lesson['lesson']}")
        advice = "".join(f"{i}. {a}" for i, a in enumerate(lesson["advice"], start=1))
        out.append(f"{label}类问题整改建议：{advice}")
    return out


def statute_appendix(entries: list[Entry]) -> list[str]:
    """法条 appendix: the statutes behind each cause, once, and the statutes the judgments cite with the
    cases that cite them."""
    out: list[str] = []
    for cause, _ in _groups(entries):
        out += [n for n in lessons().get(cause, lessons()["other"])["norms"] if n not in out]
    cited: dict[str, list[int]] = {}
    k = 0
    for _, group in _groups(entries):
        for e in group:
            k += 1
            for c in e.cited:
                cited.setdefault(c, []).append(k)
    for c, ks in cited.items():
        out.append(f"{c}（案例{'、'.join(map(str, ks))}）")
    return out


_NUM = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _NUM[n - 1]
    if n < 20:
        return "十" + (_NUM[n - 11] if n > 10 else "")
    return _NUM[n // 10 - 1] + "十" + (_NUM[n % 10 - 1] if n % 10 else "")


def _groups(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.cause, []).append(e)
    return [(c, out[c]) for c in CAUSE_ORDER if c in out]


def render_collection(
    entries: list[Entry],
    fonts: Fonts,
    issuing_body: str,
    path: Path,
    *,
    title: str,
    subtitle: str,
    date: dt.date,
    pages: dict[str, int] | None = None,
    number: str | None = None,
) -> list[str]:
    """Write the DOCX; returns the table-of-contents headings (in order) for page-number lookup.
    ``number``: the 文号, printed on the cover under the subtitle when given."""
    doc = OfficialDocument(fonts)
    doc.doc.sections[0].different_first_page_header_footer = True
    for _ in range(4):
        doc.blank()
    doc.title(title, size=26)
    doc.para(subtitle, indent=False, align=_center())
    if number:
        doc.para(number, indent=False, align=_center())
    for _ in range(8):
        doc.blank()
    doc.para(issuing_body, indent=False, align=_center())
    doc.para(f"{date.year}年{date.month}月", indent=False, align=_center())
    doc.page_break()
    doc.centered_heading("目　　录", 18)
    doc.blank()
    toc: list[str] = []
    numbered: list[tuple[int, str, int]] = []  # (level, text, case number)
    k = 0
    for gi, (cause, group) in enumerate(_groups(entries), start=1):
        numbered.append((1, f"{_cn(gi)}、{zh_label(LossCause, cause)}类案例", 0))
        for e in group:
            k += 1
            numbered.append((2, f"案例{k}　{e.title}", k))
    for level, text, _ in numbered:
        toc.append(text)
        _toc_line(doc, text, level, (pages or {}).get(text))
    doc.page_break()
    doc.centered_heading("前　　言", 16)
    for para in preface(entries, subtitle):
        doc.para(para)
    k = 0
    for gi, (cause, group) in enumerate(_groups(entries), start=1):
        doc.page_break()
        doc.centered_heading(f"{_cn(gi)}、{zh_label(LossCause, cause)}类案例", 18)
        for e in group:
            k += 1
            doc.blank()
            doc.heading(f"案例{k}　{e.title}")
            for para in e.paragraphs():
                lead = re.match(r"^【[^】]+】", para)
                if lead and not para.startswith("【案号】"):
                    doc.para(para[lead.end() :], bold_lead=lead.group(0))
                else:
                    doc.para(para, indent=False)
    appendix = statute_appendix(entries)
    if appendix:
        doc.page_break()
        doc.centered_heading("附　　录　相关法条", 16)
        for para in appendix:
            doc.para(para)
    doc.save(path)
    return toc


def _center():  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return WD_ALIGN_PARAGRAPH.CENTER


TOC_LEADER_END_MM = (
    144  # the dot leader ends here; the page number is right-aligned at the text edge (156 mm)
)
TEXT_WIDTH_MM = 156
_PT_PER_MM = 72 / 25.4


def _text_width_pt(text: str, size: float) -> float:
    return sum(size * (0.65 if ord(ch) < 0x2E80 else 1.0) for ch in text)


def _needs_break(text: str, size: float, indent_pt: float) -> bool:
    """True when the title's last line would run past the leader's end, leaving no dots to find."""
    line = TEXT_WIDTH_MM * _PT_PER_MM - indent_pt
    fill = _text_width_pt(text, size) % line
    return fill > TOC_LEADER_END_MM * _PT_PER_MM - indent_pt - 2.5 * size


def _toc_line(doc: OfficialDocument, text: str, level: int, page: int | None) -> None:
    """A contents line: title, dot leader to 144 mm, page number right-aligned at 156 mm. The layout is the
    same with or without the number, so a number stamped later onto the PDF lands where Word puts it."""
    from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Mm, Pt

    from reports.officialdoc import _set_font

    size, indent = (16, 0) if level == 1 else (14, 32)
    p = doc.doc.add_paragraph()
    p.paragraph_format.left_indent = Pt(indent)
    p.paragraph_format.tab_stops.add_tab_stop(
        Mm(TOC_LEADER_END_MM), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS
    )
    p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.SPACES)
    font = doc.fonts.heading if level == 1 else doc.fonts.body
    title = _cut_title(text, 60)
    run = p.add_run(title)
    _set_font(run, font, size)
    if _needs_break(title, size, indent):
        run.add_break(WD_BREAK.LINE)
    _set_font(p.add_run("\t" + (f"\t{page}" if page is not None else "")), doc.fonts.body, 14)


def _cut_title(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def find_pages(pdf: Path, headings: list[str]) -> dict[str, int]:
    """Page (1-based, as printed in the footer) where each heading first appears after the contents."""
    pages = [_squash(p) for p in pdf_page_texts(pdf)]
    out: dict[str, int] = {}
    start = 2  # skip the cover and the first contents page
    for h in headings:
        key = _squash(h)[:16]
        for i in range(start, len(pages)):
            if key in pages[i] and not _is_toc_page(pages[i]):
                out[h] = i + 1
                start = i
                break
    return out


def _is_toc_page(text: str) -> bool:
    return text.count("……") > 3 or text.count("....") > 3 or "目录" in text[:20]


def _stamp_toc(pdf: Path, out: Path, headings: list[str], pages: dict[str, int]) -> bool:
    from reports.officialdoc import leader_lines, stamp_text

    first_body = min(pages.values(), default=0) - 1  # contents pages lie between the cover and the first case
    lines = leader_lines(pdf, 1, max(1, first_body - 1))
    if len(lines) != len(headings) or any(h not in pages for h in headings):
        return False
    x_right = (28 + TEXT_WIDTH_MM) * 72 / 25.4
    stamp_text(
        pdf, out, [(i, y, x_right, str(pages[h])) for (i, y, _), h in zip(lines, headings, strict=True)]
    )
    return True


@dataclass
class CollectionResult:
    path: Path
    cases: int
    groups: dict[str, int]
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (case title, what was masked)


class UnresolvedNames(RenderError):
    """--strict: the last pass found possible names; nothing was written."""

    def __init__(self, findings: list[tuple[str, Finding]]):
        self.findings = findings
        super().__init__(
            f"最后一遍检查发现 {len(findings)} 处疑似未隐名的自然人姓名，未生成文件（去掉 --strict 将自动隐名）"
        )


def make_collection(
    session: Session,
    settings: object,
    f: CollectionFilter,
    out: Path,
    *,
    title: str | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    entries: list[Entry] | None = None,
    issuing_body: str | None = None,
    number: str | None = None,
) -> CollectionResult:
    """Service function: select, build entries (or take the edited ``entries`` of a draft), render to
    .docx or .pdf (two passes for TOC page numbers). ``strict`` refuses to write when the last pass found a
    possible name."""
    entries = entries if entries is not None else collection_entries(session, f)
    findings = [(e.title, x) for e in entries for x in e.findings]
    if strict and findings:
        raise UnresolvedNames(findings)
    today = today or dt.date.today()
    fonts = Fonts.from_settings(settings)
    issuing = (issuing_body or "").strip() or getattr(settings, "issuing_body", "××县司法局")
    title = title or "行政机关败诉典型案例汇编"
    subtitle = f"（{f.describe()}）"
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise RenderError(f"输出文件须为 .docx 或 .pdf：{out.name}")
    with tempfile.TemporaryDirectory(prefix="anjian-coll-") as tmp:
        docx = Path(tmp) / "collection.docx"
        headings = render_collection(
            entries, fonts, issuing, docx, title=title, subtitle=subtitle, date=today, number=number
        )
        if soffice_binary() is None:
            if suffix == ".pdf":
                raise RenderError(
                    "生成 PDF 需要 LibreOffice（apt-get install libreoffice-writer-nogui）；可先导出 .docx"
                )
            out.write_bytes(docx.read_bytes())  # contents without page numbers: Word users press F9
        else:
            # One LibreOffice pass: read where each case starts, then write the numbers into the DOCX and
            # stamp them onto the contents pages of the same PDF (the layout does not move).
            pdf = Path(tmp) / "collection.pdf"
            docx_to_pdf(docx, pdf, fonts=fonts)
            pages = find_pages(pdf, headings)
            render_collection(
                entries,
                fonts,
                issuing,
                docx,
                title=title,
                subtitle=subtitle,
                date=today,
                pages=pages,
                number=number,
            )
            if suffix == ".docx":
                out.write_bytes(docx.read_bytes())
            elif not _stamp_toc(pdf, out, headings, pages):
                docx_to_pdf(docx, out, fonts=fonts)  # contents lines not found as expected: a second pass
    groups: dict[str, int] = {}
    for e in entries:
        groups[e.cause] = groups.get(e.cause, 0) + 1
    return CollectionResult(out, len(entries), groups, findings)


def case_masker(judgments: list[Judgment]) -> Masker:
    """The masks of one case, from every judgment's text and party names."""
    texts = [(j.record or {}).get("text") or "" for j in judgments]
    parties = [
        p for j in judgments for p in [*(j.plaintiffs or []), *((j.record or {}).get("third_parties") or [])]
    ]
    return Masker(texts, parties)
