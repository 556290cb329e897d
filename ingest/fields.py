"""Header and footer fields: case number, court, title, document kind, procedure, date, judges, clerk.

All functions take the *normalised* text (see :mod:`ingest.normalize`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.normalize import normalize_case_no
from core.taxonomy import DocKind, Procedure
from ingest.dates import CN_DATE_RE, PLACEHOLDER_DATE_RE, parse_cn_date
from ingest.record import Person

_OPEN = "（(〔\\[［【﹝〈"
_CLOSE = "）)〕\\]］】﹞〉"
# （2019）豫0721行初15号 · (2014)南行非审字第35号 · （2020）皖02行终121号之一 · OCR: 〔 read as [ or (, 号 lost.
CASE_NO_RE = re.compile(
    rf"[{_OPEN}]\s*((?:19|20)\d{{2}})\s*[{_CLOSE}]\s*"
    r"([^\s（）()，。、；：:,\n]{0,24}?\d{1,6})\s*(号(?:之[一二三四五六七八九十\d]+)?|(?=\s*$)|(?=\s*[，。；、]))",
    re.M,
)
COURT_RE = re.compile(r"^[^\n，。：:；]{2,40}?(人民法院|法院|法庭)$", re.M)
TITLE_RE = re.compile(r"^[^\n，。]{0,40}?(判决书|裁定书|调解书|决定书|通知书)$", re.M)
OPERATIVE_KIND_RE = re.compile(r"(判决|裁定|决定)如下|(判决|裁定)[:：]\s*$", re.M)
_KIND_BY_WORD = {
    "判决": DocKind.judgment,
    "裁定": DocKind.ruling,
    "调解": DocKind.mediation,
    "决定": DocKind.decision,
}

# Case-number type code (the part from 行: 行初, 行辖终, 行赔初, 行非审字 …) → procedure, checked in this order.
_PROC_CODES: list[tuple[str, Procedure]] = [
    (r"非诉|非审|审复|行审|执", Procedure.enforcement_review),
    (r"申|监", Procedure.retrial_review),
    (r"再|提", Procedure.retrial),
    (r"终", Procedure.appeal),
    (r"初", Procedure.first),
]


_YEAR_CHARS = "0-9OoＯ〇○零０-９一二三四五六七八九"
_YEAR_DIGITS = str.maketrans(
    "OoＯ〇○零０１２３４５６７８９一二三四五六七八九", "000000012345678912345678" + "9"
)
# The case-number line under the title, read tolerantly: a bracket lost or read as \ / |, O or 〇 in the
# year, a speck before the province abbreviation. Only a line that is nothing but the number.
_CASE_LINE_RE = re.compile(
    rf"^[^\u4e00-\u9fa5\d]{{0,2}}?[{_OPEN}\\/|]?\s*([12二][{_YEAR_CHARS}]{{3}})\s*[{_CLOSE}]?\s*[^\u4e00-\u9fa5\d]{{0,2}}"
    r"([\u4e00-\u9fa5][^\s（）()，。、；：:,\n]{0,24}?\d{1,6})\s*(号(?:之[一二三四五六七八九十\d]+)?)?\s*$"
)


def find_case_no(norm: str, head_chars: int = 600) -> tuple[str | None, tuple[int, int] | None]:
    """The document's own case number (normalised) and its span: the case-number line of the header, else
    the first court case number in the header, else anywhere — never an agency's document number
    (温鹿政罚〔2018〕15号 has no court type code)."""
    head = norm[:head_chars]
    pos = 0
    for line in head.split("\n")[:14]:
        m = _CASE_LINE_RE.match(line.strip())
        if m:
            year = m.group(1).translate(_YEAR_DIGITS)
            case_no = normalize_case_no(f"（{year}）{m.group(2)}{m.group(3) or '号'}")
            if year[:2] in ("19", "20") and _looks_like_court_case(case_no):
                start = pos + line.find(line.strip())
                return case_no, (start, start + len(line.strip()))
        pos += len(line) + 1
    for m in CASE_NO_RE.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        line_end = head.find("\n", m.end())
        line = head[line_start : line_end if line_end >= 0 else len(head)]
        case_no = normalize_case_no(_with_hao(m))
        if len(line) <= 40 and _looks_like_court_case(case_no):  # the case-number line, not a quote
            return case_no, (m.start(), m.end())
    for m in CASE_NO_RE.finditer(norm):
        case_no = normalize_case_no(_with_hao(m))
        if _looks_like_court_case(case_no):
            return case_no, (m.start(), m.end())
    return None, None


def _with_hao(m: re.Match[str]) -> str:
    text = m.group(0).strip()
    return text if m.group(3) else text + "号"


def all_case_nos(norm: str) -> list[str]:
    """Every case number in ``norm`` (normalised, in order, without repeats)."""
    out: list[str] = []
    for m in CASE_NO_RE.finditer(norm):
        cn = normalize_case_no(_with_hao(m))
        if _looks_like_court_case(cn) and cn not in out:
            out.append(cn)
    return out


def _looks_like_court_case(case_no: str) -> bool:
    return bool(re.search(r"[行民刑执赔知商]", case_no[6:]))


def find_court(norm: str, limit_lines: int = 12) -> str | None:
    """The court issuing this document: the header line ending with 法院 (``中华人民共和国`` joined)."""
    lines = [ln.strip() for ln in norm.split("\n")[:limit_lines]]
    lines = [re.sub(r"^[^\u4e00-\u9fa5×]+", "", ln) for ln in lines]  # OCR specks before the court name
    for i, line in enumerate(lines):
        if COURT_RE.match(line) and "书" not in line:
            if i > 0 and lines[i - 1] == "中华人民共和国" and "最高" in line:
                return lines[i - 1] + line
            return line
    m = re.search(r"([^\s，。：:；\n]{2,30}?人民法院)", norm[:300])
    return m.group(1) if m else None


# Case numbers since 2016 start with the province's abbreviation (（2019）豫0721行初15号); OCR misreads it.
_PROVINCE_ABBR = {
    "北京": "京",
    "天津": "津",
    "河北": "冀",
    "山西": "晋",
    "内蒙古": "内",
    "辽宁": "辽",
    "吉林": "吉",
    "黑龙江": "黑",
    "上海": "沪",
    "江苏": "苏",
    "浙江": "浙",
    "安徽": "皖",
    "福建": "闽",
    "江西": "赣",
    "山东": "鲁",
    "河南": "豫",
    "湖北": "鄂",
    "湖南": "湘",
    "广东": "粤",
    "广西": "桂",
    "海南": "琼",
    "重庆": "渝",
    "四川": "川",
    "贵州": "黔",
    "云南": "云",
    "西藏": "藏",
    "陕西": "陕",
    "甘肃": "甘",
    "青海": "青",
    "宁夏": "宁",
    "新疆": "新",
}
_VALID_ABBR = set(_PROVINCE_ABBR.values()) | {"兵", "最"}


def repair_case_no_province(case_no: str | None, court: str | None) -> str | None:
    """``（2018）蒜08行终160号`` from 江西省…法院 → ``（2018）赣08行终160号`` (new-style numbers only)."""
    if not case_no or not court:
        return case_no
    m = re.match(r"^（\d{4}）([\u4e00-\u9fa5])(?=\d{0,4}行)", case_no)
    if not m or m.group(1) in _VALID_ABBR or "字" in case_no:
        return case_no
    court = court.removeprefix("中华人民共和国")
    province = next((p for p in _PROVINCE_ABBR if court.startswith(p)), None)
    if province is None:  # 广州铁路运输法院, 温州市鹿城区人民法院: the province of the city it names
        from ingest.fields_places import regions

        reg = regions()
        full = reg.province_of_place(court) if reg else None
        province = next((p for p in _PROVINCE_ABBR if full and full.startswith(p)), None)
    if province is None:
        return case_no
    return case_no[: m.start(1)] + _PROVINCE_ABBR[province] + case_no[m.end(1) :]


def repair_old_style_place(case_no: str | None, court: str | None) -> str | None:
    """An old-style number's one-character place (（2013）溆行初字第52号) that OCR misread into a character
    the basic court's name does not contain (小行初字): the first character of the court's county."""
    m = re.match(r"^（\d{4}）([\u4e00-\u9fa5])(?=行[\u4e00-\u9fa5]{0,4}字第\d+号)", case_no or "")
    if not m or not court or m.group(1) in court or m.group(1) in _VALID_ABBR:
        return case_no
    if not court.endswith("人民法院") or re.search(r"中级|高级|铁路|海事|知识产权", court):
        return case_no
    from ingest.fields_places import regions

    reg = regions()
    counties = [a for _, _, a in reg.counties if len(a) >= 2 and a in court] if reg else []
    if len(counties) != 1:
        return case_no
    assert case_no is not None
    return case_no[: m.start(1)] + counties[0][0] + case_no[m.end(1) :]


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """Case-number province abbreviation → the province's two-digit division code (浙 → 33)."""
    from ingest.fields_places import division_codes

    out = {}
    for code, (province, _, _) in division_codes().items():
        abbr = next((a for name, a in _PROVINCE_ABBR.items() if province.startswith(name)), None)
        if len(code) == 2 and abbr:
            out[abbr] = code
    return out


def repair_court_by_code(court: str | None, case_no: str | None) -> str | None:
    """See :func:`ingest.fields_places.repair_court_from_case_no`."""
    from ingest.fields_places import repair_court_from_case_no

    return repair_court_from_case_no(court, case_no, province_codes())


def find_title(norm: str, limit_lines: int = 12) -> str | None:
    """The document's title line (行政判决书); a web copy's longer page title only when there is no other."""
    titles = [
        ln.strip()
        for ln in norm.split("\n")[:limit_lines]
        if TITLE_RE.match(ln.strip()) and not CASE_NO_RE.search(ln)
    ]
    short = [t for t in titles if len(t) <= 14]
    return (short or titles)[0] if titles else None


def find_doc_kind(title: str | None, norm: str) -> DocKind | None:
    if title:
        for word, kind in _KIND_BY_WORD.items():
            if word + "书" in title:
                return kind
    matches = list(OPERATIVE_KIND_RE.finditer(norm))
    if matches:
        word = (matches[-1].group(1) or matches[-1].group(2))[:2]
        return _KIND_BY_WORD.get(word)
    if "调解协议" in norm:
        return DocKind.mediation
    return None


def find_procedure(case_no: str | None, title: str | None, norm: str) -> Procedure | None:
    """From the case number's type code, then the title, then the parties' roles."""
    if case_no:
        body = case_no[case_no.find("）") + 1 :]
        code = re.sub(r"\d+号.*$", "", body[body.find("行") :] if "行" in body else body)
        for pattern, proc in _PROC_CODES:
            if re.search(pattern, code):
                return proc
    t = title or ""
    head = norm[:1500]
    if (
        "非诉" in t
        or "执行审查" in t
        or re.search(r"^(申请执行人|申请人)[^\n]{0,40}", head, re.M)
        and "强制执行" in head
    ):
        return Procedure.enforcement_review
    if "再审审查" in t or re.search(r"^再审申请人", head, re.M):
        return Procedure.retrial_review
    if "再审" in t:
        return Procedure.retrial
    if "二审" in t or re.search(r"^上诉人", head, re.M):
        return Procedure.appeal
    if "一审" in t or re.search(r"^原告", head, re.M):
        return Procedure.first
    return None


SIGN_ROLE_RE = re.compile(
    r"^(审判长|副庭长|庭长|审判员|代理审判员|人民陪审员|陪审员|法官助理|代书记员|书记员|速录员|执行员)[:：]?\s*(\S{1,12})$",
    re.M,
)


_CN_DIGITS = "〇○零O0-9一二三四五六七八九十"
_DATE_WITHOUT_DAY_MARK_RE = re.compile(
    rf"二[{_CN_DIGITS}]{{3}}年[{_CN_DIGITS}]{{1,3}}月[{_CN_DIGITS}]{{1,3}}"
)


def find_date(norm: str, case_year: int | None = None) -> str | None:
    """The date of the signature block (the last standalone date line), ISO or None for placeholders.

    ``case_year``: the case number's year, to complete a year whose leading 二 a seal hid (〇一九年 → 2019,
    when the case was filed in 2019 or the year before)."""
    tail_start = max(0, len(norm) - 3000)
    tail = norm[tail_start:]
    candidates: list[str | None] = []
    for line in tail.split("\n"):
        s = re.sub(r"[-—–_－~]+", "一", line.strip())  # OCR reads 一 as a dash
        if _DATE_WITHOUT_DAY_MARK_RE.fullmatch(s):
            s += "日"  # the seal hid the last character: 二〇一六年三月十五
        if len(s) > 20 or not re.search(r"年.{1,4}月.{1,5}日$", s):
            continue
        s = _seal_zeros(s)
        cleaned = re.sub(
            r"[^一二三四五六七八九十〇○零Oo0-9年月日×xX]", "", s
        )  # OCR and seal specks: 二G@〇一九
        if len(s) - len(cleaned) > 3:
            continue  # a sentence or a labelled field (被诉裁定作出时间：…), not the signature date
        s = cleaned
        if PLACEHOLDER_DATE_RE.fullmatch(s):
            candidates.append(None)
        elif CN_DATE_RE.fullmatch(s):
            candidates.append(parse_cn_date(s) or _complete_year(s, case_year))
    # the signature date is the first standalone date line near the end (an annex may follow it)
    if candidates and candidates[0] is not None:
        return candidates[0]
    return None


def _complete_year(s: str, case_year: int | None) -> str | None:
    if case_year is None or not re.match(r"^[〇○零0O][一二三四五六七八九〇○零0-9]{2}年", s):
        return None
    iso = parse_cn_date("二" + s)
    return iso if iso and case_year <= int(iso[:4]) <= case_year + 1 else None


def find_web_date(lines: str, label: str = "裁判日期|发布日期") -> str | None:
    """A web copy's metadata line (``裁判日期：2022-03-31`` / ``发布日期：…``) labelled ``label``."""
    m = re.search(rf"(?:{label})[:：]\s*(\d{{4}})[-/.年](\d{{1,2}})[-/.月](\d{{1,2}})", lines)
    return parse_cn_date(f"{m.group(1)}年{m.group(2)}月{m.group(3)}日") if m else None


def signature_date_masked(norm: str) -> bool:
    """Whether the signature block prints a masked date (××××年××月××日) rather than none."""
    tail = norm[max(0, len(norm) - 3000) :]
    return any(
        PLACEHOLDER_DATE_RE.fullmatch(line.strip()) for line in tail.split("\n") if len(line.strip()) <= 20
    )


_ZERO_LOOKALIKES = "OoCcDQ口@○0〇"


def _seal_zeros(s: str) -> str:
    """In a year under the court seal, 〇 is read as O, C, D, 口, @ … and often twice: 二OoC一七 → 二〇一七."""
    year, sep, rest = s.partition("年")
    if not sep or re.search(r"[×xX]", year):
        return s
    year = re.sub(f"[{_ZERO_LOOKALIKES}]", "〇", year)
    numerals = re.sub(r"[^一二三四五六七八九〇0-9]", "", year)
    if len(numerals) > 4:
        year = re.sub("〇+", "〇", year)
    return year + sep + rest


def find_signatures(norm: str) -> tuple[list[Person], str | None]:
    """Judges (审判长/审判员/人民陪审员 …) and the clerk from the signature block."""
    judges: list[Person] = []
    clerk: str | None = None
    tail = norm[max(0, len(norm) - 3000) :]
    for m in SIGN_ROLE_RE.finditer(tail):
        role, name = m.group(1), m.group(2)
        if role in ("书记员", "代书记员"):
            clerk = clerk or name
        else:
            judges.append(Person(role=role, name=name))
    return judges, clerk


_DATE = r"((?:19|20|二[〇○零O0])[0-9〇○零O一二三四五六七八九]{2}\s*年[0-9一二三四五六七八九十]{1,3}\s*月[0-9一二三四五六七八九十]{1,4}\s*日)"
_LOWER_COURT = r"(?:一审法院|原审法院|原审|一审|[^，。；\n]{2,30}?法院)"
# (pattern, filing_date_source): a first instance's own docket; an appeal or retrial names the first instance's
_FILING_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"本院(?:于)?{_DATE}(?:依法)?(?:登记)?立案"), "docketed"),
    (re.compile(rf"本院(?:于)?{_DATE}(?:依法)?(?:收到[^，。]{{0,20}}后|受理)"), "accepted"),
    (re.compile(rf"(?:本院|^)(?:立案|受理)(?:时间|日期)[:：]\s*{_DATE}", re.M), "docketed"),
    (
        re.compile(
            rf"于{_DATE}[^。；\n]{{0,12}}?向(?:本院|我院)(?:提起|提出)(?:行政)?(?:赔偿)?(?:诉讼|起诉)"
        ),
        "filed",
    ),
    (re.compile(rf"于{_DATE}[^。；\n]{{0,12}}?向(?:本院|我院)起诉"), "filed"),
]
_FIRST_FILING_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?:一审法院|原审法院)(?:于)?{_DATE}(?:依法)?(?:登记)?(?:立案|受理)"), "first_instance"),
    (
        re.compile(
            rf"于{_DATE}[^。；\n]{{0,12}}?向{_LOWER_COURT}(?:提起|提出)(?:行政)?(?:赔偿)?(?:诉讼|起诉)"
        ),
        "first_instance",
    ),
]


def find_filing_date(norm: str, procedure: Procedure | None) -> tuple[str | None, str | None]:
    """The first instance's docket date (立案/受理) and how the text gives it: ``docketed`` (本院于…立案),
    ``accepted`` (本院于…受理), ``filed`` (于…向本院提起行政诉讼) or ``first_instance`` (an appeal or
    retrial naming the lower court's: 一审法院于…立案, 于…向…法院提起行政诉讼). An appeal's own docket is
    not a filing date: the suit was filed once, in the first instance."""
    first = procedure is None or procedure in (Procedure.first, Procedure.enforcement_review)
    patterns = _FILING_PATTERNS if first else _FIRST_FILING_PATTERNS
    for pattern, source in patterns:
        m = pattern.search(norm)
        if m:
            iso = parse_cn_date(re.sub(r"\s+", "", m.group(1)))
            if iso:
                return iso, source
    return None, None
