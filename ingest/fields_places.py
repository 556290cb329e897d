"""Repair OCR misreads in place names (court and agency names) against the official list of divisions.

A sealed, degraded scan misreads one character of a place here and there: 湖南省激浦县人民法院 (溆浦县),
河南人三门峡市 (河南省), 四川省兴文具人民法院 (兴文县). ``regions.txt`` lists every province,
prefecture and county (国家统计局 2021 区划). A token that is not a division but differs from exactly one
division of the same length in one character (within the province already read, when there is one) is
replaced by it. Names that are divisions, or close to several, are left as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("regions.txt")  # tab-separated: province, prefecture, county
COURT_SUFFIXES = [
    "高级人民法院",
    "中级人民法院",
    "铁路运输中级法院",
    "铁路运输法院",
    "知识产权法院",
    "海事法院",
    "互联网法院",
    "金融法院",
    "人民法院",
]
_UNIT_END = "省市县区旗州盟"


class Regions:
    def __init__(self, rows: list[tuple[str, str, str]]):
        self.provinces = {p for p, _, _ in rows}
        self.cities = {(p, c) for p, c, _ in rows if c}
        self.counties = {(p, c, a) for p, c, a in rows if a}
        self.all_names = self.provinces | {c for _, c in self.cities} | {a for _, _, a in self.counties}
        # province short forms used in court names: 内蒙古自治区 is written in full, 北京市 too
        self._names_in: dict[tuple[str | None, str | None], set[str]] = {}
        self.by_length: dict[int, set[str]] = {}
        # every name under each of its one-character-blanked forms: (position, name without it) → names
        self._one_off: dict[tuple[int, str], set[str]] = {}
        for name in self.all_names:
            self.by_length.setdefault(len(name), set()).add(name)
            for i in range(len(name)):
                self._one_off.setdefault((i, name[:i] + name[i + 1 :]), set()).add(name)

    def names_in(self, province: str | None, city: str | None = None) -> set[str]:
        key = (province, city)
        if key not in self._names_in:
            self._names_in[key] = self._names_in_uncached(province, city)
        return self._names_in[key]

    def _names_in_uncached(self, province: str | None, city: str | None) -> set[str]:
        if province is None:
            return self.all_names
        if city is not None:
            return {a for p, c, a in self.counties if p == province and c == city}
        return (
            {province}
            | {c for p, c in self.cities if p == province}
            | {a for p, _, a in self.counties if p == province}
        )

    def nearest(self, token: str, province: str | None = None, city: str | None = None) -> str | None:
        """The one division differing from ``token`` in exactly one character, or None."""
        if token in self.all_names:
            return token
        # a name of the same length equal to ``token`` but at one position (token itself is no name)
        close = set().union(
            *(self._one_off.get((i, token[:i] + token[i + 1 :]), ()) for i in range(len(token)))
        )
        close &= self.names_in(province, city)
        return next(iter(close)) if len(close) == 1 else None

    def province_of_place(self, name: str) -> str | None:
        """The province of the prefecture or county a name starts with (广州铁路运输法院 → 广东省), when unique."""
        found = {p for p, c in self.cities if len(c) >= 3 and (name.startswith(c) or name.startswith(c[:-1]))}
        if not found:
            found = {p for p, _, a in self.counties if len(a) >= 3 and name.startswith(a)}
        return found.pop() if len(found) == 1 else None

    def province_of(self, name: str) -> str | None:
        for p in self.provinces:
            if name.startswith(p):
                return p
        return None


@lru_cache(maxsize=1)
def regions() -> Regions | None:
    try:
        lines = _DATA.read_text("utf-8").splitlines()
    except OSError:
        return None
    rows = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        parts = (line.split("\t") + ["", "", ""])[:3]
        rows.append((parts[0], parts[1], parts[2]))
    return Regions(rows)


def repair_court(court: str | None, text: str = "") -> str | None:
    """Correct one misread character per place token of a court name (and a misread court type)."""
    reg = regions()
    if not court or reg is None or "×" in court:
        return court
    prefix = "中华人民共和国" if court.startswith("中华人民共和国") else ""
    body = court[len(prefix) :]
    suffix = next((s for s in COURT_SUFFIXES if body.endswith(s)), None)
    if suffix is None:  # the court type itself misread: 高华人审共院 → 高级人民法院
        for s in COURT_SUFFIXES:
            tail = body[-len(s) :]
            if (
                len(s) >= 5
                and len(tail) == len(s)
                and tail[-1] == "院"
                and sum(a != b for a, b in zip(tail, s, strict=True)) <= len(s) // 2
            ):
                suffix, body = s, body[: -len(s)] + s
                break
    if suffix is None:
        return court
    place = body[: -len(suffix)]
    fixed = repair_place(place, reg, text=text)
    if suffix.startswith("中级") and fixed != place and not any(fixed.endswith(c) for _, c in reg.cities):
        fixed = place  # an intermediate court sits in a prefecture: a county-level reading is a wrong guess
    return prefix + fixed + suffix


def repair_place(place: str, reg: Regions | None = None, province: str | None = None, text: str = "") -> str:
    """Correct the division names at the start of ``place`` (a court's or an agency's place)."""
    reg = reg or regions()
    if reg is None or not place or place in reg.all_names:
        return place
    fixed = _repair_from(place, 0, reg, province, None, 0, text)
    return fixed if fixed is not None else place


def _repair_from(
    place: str, i: int, reg: Regions, province: str | None, city: str | None, depth: int, text: str
) -> str | None:
    """``place[i:]`` with its divisions corrected, or None when it cannot be read as divisions."""
    if i >= len(place) or place[i] in "人经高中铁知海互金" and i > 0:
        return place[i:]
    if depth > 4:
        return None
    for length in range(min(12, len(place) - i), 1, -1):
        token = place[i : i + length]
        candidates = [token] if token in reg.all_names else []
        if not candidates and length >= 3:
            near = reg.nearest(token, province, city) if province else None
            near = near or reg.nearest(token, province) or reg.nearest(token)
            # a name the document repeats that differs from a division only in its suffix is a real
            # former name (无为县, now 无为市), not a misread; a misread stem (淇河区 for 湛河区) is
            # corrected however often OCR repeated it
            if near and text.count(token) > 1 and near[:-1] == token[:-1]:
                near = None
            candidates = [near] if near else []
        for cand in candidates:
            new_province = cand if cand in reg.provinces else province
            new_city = cand if province and (province, cand) in reg.cities else city
            rest = _repair_from(place, i + length, reg, new_province, new_city, depth + 1, text)
            if rest is not None:
                return cand + rest
    return None


_AGENCY_PLACE_RE = re.compile(
    r"^((?:[^市县区旗州盟省]{1,10}?(?:自治区|省|自治州|市|盟|自治县|县|区|旗)){1,3})"
)


def repair_agency(name: str, court_province: str | None, text: str = "") -> str:
    """The place at the start of an agency's name: 淑浦县人口和计划生育局 → 溆浦县人口和计划生育局."""
    reg = regions()
    if reg is None:
        return name
    m = _AGENCY_PLACE_RE.match(name)
    if not m:
        return name
    place = m.group(1)
    fixed = _repair_from(place, 0, reg, court_province, None, 0, text)
    return (fixed or place) + name[len(place) :]


# --- the court read back from its case number's division code ---------------------------------------

_CODES = Path(__file__).with_name("divisions.tsv")  # code, province, city, county (GB/T 2260, see header)
_NEW_STYLE_RE = re.compile(r"^（\d{4}）([\u4e00-\u9fa5])(\d{2}|\d{4})行")


@lru_cache(maxsize=1)
def division_codes() -> dict[str, tuple[str, str, str]]:
    """Division code → (province, city, county) for provinces (2 digits), prefectures (4), counties (6)."""
    try:
        lines = _CODES.read_text("utf-8").splitlines()
    except OSError:
        return {}
    out: dict[str, tuple[str, str, str]] = {}
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        code, province, city, county = (line.split("\t") + ["", "", ""])[:4]
        out[code] = (province, city, county)
    return out


def place_of_case_no(case_no: str | None, province_code: dict[str, str]) -> tuple[str, str, str] | None:
    """The division a new-style case number names: （2019）浙0302行初88号 → (浙江省, 温州市, 鹿城区);
    （2020）皖02行终121号 → (安徽省, 芜湖市, ''). None for old-style numbers and unknown codes (railway
    courts, development zones, districts renamed since)."""
    m = _NEW_STYLE_RE.match(case_no or "")
    if not m or m.group(1) not in province_code:
        return None
    return division_codes().get(province_code[m.group(1)] + m.group(2))


def repair_court_from_case_no(
    court: str | None, case_no: str | None, province_code: dict[str, str]
) -> str | None:
    """A basic or intermediate court whose place OCR misread beyond a one-character repair, read back
    from the case number's division code: 浙江省温州市麓械区人民法院 + 浙0302 → 浙江省温州市鹿城区人民法院.
    A court name whose place is a real division, or that sits far from every spelling of the code's
    division, is kept as written."""
    place_row = place_of_case_no(case_no, province_code)
    if not court or place_row is None or "×" in court:
        return court
    province, city, county = place_row
    if not county and (city in ("市辖区", "县") or "第" in court):
        return court  # a municipality's numbered intermediate courts (上海市第一中级人民法院)
    suffix = "中级人民法院" if not county else "人民法院"
    if not court.endswith(suffix) or (county and court.endswith("中级人民法院")):
        return court
    place = court[: -len(suffix)]
    target = county or city
    if place.endswith(target):
        return court
    reg = regions()
    if reg is not None and _repair_from(place, 0, reg, None, None, 0, "") == place:
        return court  # a real place, only not the code's (a renamed district keeps its old number)
    city = "" if city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") else city
    forms = (
        {province + city + county, city + county, province + county, county}
        if county
        else {province + city, city}
    )
    forms.discard("")
    from rapidfuzz.distance import Levenshtein

    best = min(forms, key=lambda f: (Levenshtein.distance(f, place), -len(f)))
    if Levenshtein.distance(best, place) > max(2, len(best) // 3):
        return court
    return best + suffix


# --- the department word of an agency name -----------------------------------------------------------

# Names of government departments and their units as the 2018 and 2023 State Council institutional reforms
# and their predecessors name them (the part after the place). A scan that misreads one character of
# one of these (人力资源和杜会保障局) is read back to it; a misread that would change the body's level or
# rank (局/厅, 大队/支队, 分局/总局) is never "corrected", since both readings are real bodies.
DEPARTMENT_NAMES = (
    "人力资源和社会保障局 人力资源和社会保障厅 自然资源和规划局 自然资源局 规划和自然资源局 市场监督管理局 "
    "住房和城乡建设局 住房和城乡建设委员会 综合行政执法局 城市管理局 城市管理行政执法局 城市管理综合行政执法局 "
    "生态环境局 环境保护局 农业农村局 交通运输局 交通运输委员会 卫生健康委员会 卫生和计划生育委员会 应急管理局 "
    "安全生产监督管理局 人民政府 街道办事处 林业和草原局 医疗保障局 退役军人事务局 文化和旅游局 文化广电旅游局 "
    "发展和改革局 发展和改革委员会 国土资源局 国土资源厅 工商行政管理局 质量技术监督局 食品药品监督管理局 "
    "人口和计划生育局 房产管理局 住房保障和房屋管理局 不动产登记中心 住房公积金管理中心 社会保险事业管理局 "
    "公安分局 派出所 交通警察大队 交通警察支队 公安消防大队 公安消防支队 消防救援大队 行政审批局 "
    "行政审批服务局 机构编制委员会办公室 房屋征收管理办公室 教育体育局 民族宗教事务局 水务局 商务局 司法局"
).split()
_RANK_CHARS = set("局厅委办署处队所站室中心会支大总分")


def repair_department(name: str) -> str:
    """``XX县人力资源和杜会保障局`` → ``XX县人力资源和社会保障局``: one misread character in a department
    word of six characters or more, never one that changes a level or rank character."""
    from rapidfuzz.distance import Hamming

    if any(name.endswith(word) for word in DEPARTMENT_NAMES):
        return name  # already a real department word (房屋管理局 and 房产管理局 are both real)
    for word in DEPARTMENT_NAMES:
        if len(word) < 6 or len(name) < len(word) or word in name:
            continue
        tail = name[-len(word) :]
        if Hamming.distance(tail, word) != 1:
            continue
        i = next(k for k, (a, b) in enumerate(zip(tail, word, strict=True)) if a != b)
        if tail[i] in _RANK_CHARS or word[i] in _RANK_CHARS:
            continue
        return name[: -len(word)] + word
    return name
