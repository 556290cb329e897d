"""Parties and their roles: plaintiffs, defendants, third parties, applicants, aliases, agency head.

Party lines (``上诉人（原审被告）盘山县自然资源局。``) are read first; where a document has none, the
opening sentence of the history (``原告X诉被告Y（以下简称Z）…一案``) names the parties. Appeal and
retrial roles are mapped back to the original roles: ``上诉人（原审被告）`` is a defendant.
"""

from __future__ import annotations

import re

from core.taxonomy import Procedure, SectionName
from ingest.normalize import raw_span
from ingest.record import FirstInstance, JudgmentRecord, Span

PLAINTIFF, DEFENDANT, THIRD, APPLICANT, RESPONDENT = (
    "plaintiff",
    "defendant",
    "third",
    "applicant",
    "respondent",
)

_ROLES = [
    "再审被申请人",
    "再审申请人",
    "原审被上诉人",
    "原审上诉人",
    "原审第三人",
    "原审原告",
    "原审被告",
    "一审原告",
    "一审被告",
    "一审第三人",
    "被上诉人",
    "上诉人",
    "申请执行人",
    "被申请执行人",
    "被执行人",
    "被申请人",
    "申请人",
    "被申诉人",
    "申诉人",
    "赔偿请求人",
    "赔偿义务机关",
    "起诉人",
    "原告",
    "被告",
    "第三人",
]
_ROLE_ALT = "|".join(_ROLES)
PARTY_LINE_RE = re.compile(
    rf"^(?P<role>{_ROLE_ALT})(?P<paren>[（(][^）)]{{1,30}}[）)])?[:：]?\s*(?P<rest>[^\n]+)$", re.M
)
_NAME_STOP_RE = re.compile(
    r"[，。,；;：:\n]|等\d+人|等[一二三四五六七八九十百]+人|法定代表人|负责人|经营者|委托|（以下简称|（简称|\(以下简称|（下称|（原名|（曾用名|（未到庭|（到庭|（反诉"
)
ALIAS_RE = re.compile(
    r"([^\s，。、；：（）“”\"]{2,60}?)[（(](?:以下|下)?简称[:：]?[“\"]?([^）)”\"，。]{1,20})[”\"]?[）)]"
)
_AGENCY_RE = re.compile(
    r"(人民政府|政府|局|委员会|委|厅|办公室|办事处|管理处|大队|支队|中队|总队|派出所|分局|公安|税务|海关|管理站|"
    r"执法|中心|部|署|所|队|处|街道|镇|乡|院|会|站|总局|分署|监督|检察|稽查)$"
)
_NON_AGENCY_RE = re.compile(
    r"(公司|厂|店|合作社|村民委员会|居民委员会|村委会|经营部|(?<!工)商行|个体|商店|门市|工作室|研究所有限|酒店|"
    r"宾馆|农场|养殖场|学校|医院|诊所|事务所|合伙|协会|站$)"
)
_PERSON_RE = re.compile(r"^[\u4e00-\u9fa5][\u4e00-\u9fa5×xX某*＊]{1,3}\d?$")
_NOT_A_NAME_RE = re.compile(
    r"(公开|管理|行为|纠纷|决定|处罚|登记|赔偿|复议|行政|批准|确认|强制|许可|征收|补偿|协议|职责|一案|拆除|履行)$"
)


_COURT_NAME_RE = re.compile(r"(法院|法庭)$")


def looks_like_agency(name: str) -> bool:
    """An administrative body's name (a court, a person or a business is not one)."""
    if _COURT_NAME_RE.search(name):
        return False
    if _PERSON_RE.match(name) and (
        not _AGENCY_RE.search(name) or len(name) <= 3 and name[-1] in "会部院所处站队委"
    ):
        return False  # 张国会, 李建部: a person's name that ends like an agency word
    if _NON_AGENCY_RE.search(name) and not re.search(r"(人民政府|局|委员会办公室)$", name):
        return False
    return bool(_AGENCY_RE.search(name))


def _clean_name(rest: str) -> str:
    m = _NAME_STOP_RE.search(rest)
    name = rest[: m.start()] if m else rest
    name = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return name.strip(" 。，.")


def original_role(role: str, paren: str, name: str, procedure: Procedure | None) -> str | None:
    """Map a role as written to the original role in the suit."""
    paren = paren or ""
    if procedure == Procedure.enforcement_review or role in ("申请执行人", "被执行人", "被申请执行人"):
        if role in ("申请执行人", "申请人"):
            return APPLICANT
        if role in ("被执行人", "被申请执行人", "被申请人"):
            return RESPONDENT
    if role in ("原告", "原审原告", "一审原告", "起诉人", "赔偿请求人"):
        return PLAINTIFF
    if role in ("被告", "原审被告", "一审被告", "赔偿义务机关"):
        return DEFENDANT
    if role in ("第三人", "原审第三人", "一审第三人"):
        return THIRD
    first = re.split(r"[、，,]", paren.strip("（）()"))[0] if paren else ""
    if "第三人" in first:
        return THIRD
    if "原告" in first or "起诉人" in first:
        return PLAINTIFF
    if "被告" in first:
        return DEFENDANT
    if role in (
        "上诉人",
        "被上诉人",
        "再审申请人",
        "再审被申请人",
        "被申请人",
        "申请人",
        "申诉人",
        "被申诉人",
        "原审上诉人",
        "原审被上诉人",
    ):
        return DEFENDANT if looks_like_agency(name) else PLAINTIFF
    return None


def _add(bucket: list[str], name: str) -> None:
    if name and name not in bucket:
        bucket.append(name)


def find_aliases(norm: str) -> dict[str, str]:
    """``河北省国土资源厅（以下简称省国土厅）`` → {'省国土厅': '河北省国土资源厅'}."""
    aliases: dict[str, str] = {}
    for m in ALIAS_RE.finditer(norm):
        full, short = m.group(1), m.group(2).strip()
        if full.endswith("》") and "《" in full:
            full = full[full.rfind("《") :]
        else:
            full = (
                re.split(
                    r"(?:被告|原告|上诉人|被上诉人|第三人|申请人|被申请人|诉|、|对|向|因|不服|作出的|作出|根据|依照|"
                    r"\d+年\d+月\d+日|\d+月\d+日)",
                    full,
                )[-1]
                or full
            )
        if short and short not in aliases and len(full) > len(short) - 1:
            aliases[short] = full
    return aliases


def _from_party_lines(text: str, procedure: Procedure | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {PLAINTIFF: [], DEFENDANT: [], THIRD: [], APPLICANT: [], RESPONDENT: []}
    for m in PARTY_LINE_RE.finditer(text):
        rest = m.group("rest")
        if re.search(r"一案|不服|提起|向本院|申请强制执行|于\d{4}年", rest[:60]):
            continue
        names = _split_names(_clean_name(rest))
        names += [
            p
            for p in re.split(r"[，,]", rest)[1:]
            if re.fullmatch(r"[^\s。；]{4,30}", p.rstrip("。"))
            and looks_like_agency(p.rstrip("。"))
            and not re.match(r"(住|法定|负责|委托|系|现|原|曾)", p)
            and not re.search(r"[（）():：]", p)
        ]
        for name in [n.rstrip("。") for n in names]:
            role = original_role(m.group("role"), m.group("paren") or "", name, procedure)
            if role:
                _add(out[role], name)
    return out


def _split_names(name: str) -> list[str]:
    parts = [p for p in re.split(r"[、]", name) if p]
    return parts if len(parts) > 1 and all(len(p) <= 30 for p in parts) else ([name] if name else [])


_MARKER_RE = re.compile(
    rf"(?P<role>{_ROLE_ALT})(?P<paren>[（(][^）)]{{1,20}}[）)])?[:：]?|(?P<conn>因诉|因与|因认为|诉(?![称讼])|不服|与)"
)
_SEGMENT_END_RE = re.compile(
    r"一案|案(?:件)?过程中|因(?![诉与])|。|；|作出的|提起|向本院|于\d|等\d*[一二三四五六七八九十]*人|的(?!士)|"
    r"要求|请求|认为|主张|诉请|申请(?!人)|提交|递交|提出|不履行|未履行|对(?=被告|被上诉人|被申请人|第三人)"
)
_ALIAS_PAREN_RE = re.compile(r"^[（(](以下|下)?简称[^）)]*[）)]")
_AGENCY_END_RE = re.compile(
    r"(人民政府|政府|局|委员会|厅|办公室|办事处|大队|支队|中队|派出所|分局|管理中心|中心|公司|管理处|街道|分署)"
)


def _next_separator(seg: str) -> re.Match[str] | None:
    for m in re.finditer(r"[、，,]|和|及|以及", seg):
        if m.group(0) in "、，," or _AGENCY_END_RE.search(seg[: m.start()][-4:]):
            return m
    return None


# A person's name run into the cause of action that follows it (被执行人王阿三土地行政处罚一案).
_CAUSE_WORDS = (
    r"治安|行政|土地|工伤|房屋|劳动|社会|城建|城乡|规划|资源|公安|户籍|婚姻|登记|许可|处罚|强制|征收|拆迁|拆除|"
    r"信息公开|政府信息|林业|农业|交通|道路|环境|卫生|食品|药品|市场|工商|税务|教育|民政|水利|财政|商标|专利|"
    r"计划生育|社会抚养费|抚恤|纠纷"
)
_PERSON_BEFORE_CAUSE_RE = re.compile(r"^([\u4e00-\u9fa5][\u4e00-\u9fa5×某]{1,2}?)(?=" + _CAUSE_WORDS + r")")


def _names_in_segment(seg: str) -> list[str]:
    """Names in ``甲（以下简称A）、乙，丙劳动行政管理`` → [甲, 乙, 丙]."""
    names: list[str] = []
    after_case = False  # past a cause of action: only an agency with its own act follows (A征收、B复议)
    seg = re.sub(r"(?<=[\u4e00-\u9fa5]{2})(?:以及|及|与)$", "", seg)  # 牛德敏及〈next role〉
    while seg:
        seg = seg.lstrip("、，,和及")
        if not seg:
            break
        m = re.match(
            r"((?:[^、，,（(]|[（(][^）)简]{1,20}[）)]){2,60}?)[（(](?:以下|下)?简称[^）)]*[）)]", seg
        )
        nxt = _next_separator(seg)
        if m and (not nxt or m.end(1) <= nxt.start()):
            if not after_case or looks_like_agency(_agency_prefix(m.group(1))):
                names.append(_agency_prefix(m.group(1)) if after_case else m.group(1))
            seg = seg[m.end() :]
            if seg and not re.match(r"[、，,和及]", seg):
                after_case = True  # what follows the defined short name is the case, not another party
            continue
        piece = seg[: nxt.start()] if nxt else seg
        seg = seg[nxt.end() :] if nxt else ""
        if after_case:
            pass  # the rest of a cause of action (政府信息公开、…) names no one
        else:
            _name_of_piece(piece, names)
        if not nxt:
            break
    return names


_BUSINESS_BEFORE_CAUSE_RE = re.compile(
    r"^(.{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|厂|合作社|商行|经营部|门市部|事务所|工作室|回收站|养殖场|"
    r"农场|医院|学校|酒店|宾馆|超市))(?=" + _CAUSE_WORDS + r")"
)


def _name_of_piece(piece: str, names: list[str]) -> None:
    """The party a piece of the opening names, if any: an agency (its act cut off), a person or business
    (a cause of action run into the name cut off), or nothing (the cause of action itself)."""
    prefix = _agency_prefix(piece)
    person = _PERSON_BEFORE_CAUSE_RE.match(piece)
    business = _BUSINESS_BEFORE_CAUSE_RE.match(piece)
    if looks_like_agency(prefix):
        names.append(prefix)
    elif person and not _PERSON_RE.fullmatch(piece):
        names.append(person.group(1))  # 郑二治安行政处罚纠纷 → 郑二
    elif business:
        names.append(business.group(1))  # 某某养殖发展有限公司行政纠纷 → 某某养殖发展有限公司
    elif _NOT_A_NAME_RE.search(piece):
        pass
    elif _PERSON_RE.match(piece) or re.fullmatch(
        r"[^，。]{2,40}(公司|厂|店|合作社|委员会|站|社|部|所|中心|院|学校|商行)", piece
    ):
        names.append(piece)


_OPENING_RE = re.compile(
    r"一案|案(?:件)?过程中|提起(行政)?(赔偿)?诉讼|向本院提出|申请强制执行|申请执行|收到[^。]{0,40}起诉状|收到起诉人"
)
_CASE_END_RE = re.compile(r"一案|案(?:件)?过程中|案件?中(?=[，,])")


def _opening_sentence(record: JudgmentRecord, norm: str, offsets: list[int]) -> str:
    """The sentence that names the parties: ``原告X诉被告Y…一案``, ``本院在审理原告X诉被告Y…案过程中``,
    ``本院收到起诉人X的行政起诉状`` …, cut after the case (what follows is procedure, not parties)."""
    history = _section_norm(record, norm, offsets, SectionName.history)
    text = history or norm
    for sentence in re.split(r"[。\n]", text):
        if _OPENING_RE.search(sentence):
            end = _CASE_END_RE.search(sentence)
            if end and _MARKER_RE.search(sentence[: end.start()]):
                tail = sentence[end.end() :]
                lower = re.match(r"[，,]?(不服[^，。]*)", tail)  # the lower court's judgment under appeal
                return sentence[: end.end()] + ("，" + lower.group(1) if lower else "")
            return sentence
    return ""


_ROLE_WORD_IN_ALIAS_RE = re.compile(rf"([（(](?:以下|下)?简称[:：]?[“\"]?)((?:{_ROLE_ALT})[^）)]*)([）)])")
_NAMED_AS_RE = re.compile(r"以([^，。；以]{2,40}?)为(被告|被申请人|第三人)")


def _from_opening(sentence: str, procedure: Procedure | None) -> dict[str, list[str]]:
    """Parties named in the history's opening sentence, when there are no party lines."""
    out: dict[str, list[str]] = {PLAINTIFF: [], DEFENDANT: [], THIRD: [], APPLICANT: [], RESPONDENT: []}
    # a short name that is itself a role word (原告X（以下简称原告）) is not a new party: mask it
    sentence = _ROLE_WORD_IN_ALIAS_RE.sub(
        lambda m: m.group(1) + "＿" * len(m.group(2)) + m.group(3), sentence
    )
    for m in _NAMED_AS_RE.finditer(sentence):  # 起诉人X以Y为被告
        role = {"被告": DEFENDANT, "被申请人": DEFENDANT, "第三人": THIRD}[m.group(2)]
        for name in _names_in_segment(m.group(1)):
            if role == THIRD or looks_like_agency(name):
                _add(out[role], name)
        sentence = sentence[: m.start()] + "，" * (m.end() - m.start()) + sentence[m.end() :]
    markers = list(_MARKER_RE.finditer(sentence))
    first_start = markers[0].start() if markers else len(sentence)
    subject = re.sub(r"^(本院|经审理|经审查)[^，]*?对", "", sentence[:first_start])
    subject = re.split(r"申请|于\d|因|不服|向本院", subject)[0]
    subject = re.sub(r"[（(](?:以下|下)?简称[^）)]*[）)]$", "", subject)  # X（以下简称京桥公司）诉…
    if (
        2 <= len(subject) <= 40
        and not re.search(r"[，。]|^本院|^[\d一二三四五六七八九十]+[.．、]", subject)
        and not _COURT_NAME_RE.search(subject)
    ):
        role = (
            APPLICANT
            if procedure == Procedure.enforcement_review and looks_like_agency(subject)
            else (DEFENDANT if looks_like_agency(subject) else PLAINTIFF)
        )
        _add(out[role], subject)
    for i, mk in enumerate(markers):
        seg_end = markers[i + 1].start() if i + 1 < len(markers) else len(sentence)
        seg = sentence[mk.end() : seg_end]
        stop = _SEGMENT_END_RE.search(seg)
        seg = seg[: stop.start()] if stop else seg
        if not seg or re.match(r"^(认为|因|对)", seg):
            continue
        for name in _names_in_segment(seg):
            named_role: str | None = None
            if mk.group("role"):
                named_role = original_role(mk.group("role"), mk.group("paren") or "", name, procedure)
            elif mk.group("conn") in ("诉", "因诉", "因与", "与", "不服", "因认为") and looks_like_agency(
                name
            ):
                named_role = DEFENDANT
            if named_role:
                _add(out[named_role], name)
    return out


# Causes of action whose first word is also an agency's last word (政府信息公开, 中心城区房屋征收, 管理处罚):
# an agency word fused into one of these is not where the agency's name ends.
_CAUSE_HEAD_RE = re.compile(
    r"政府信息|政府采购|政务|局务|中心城区|处罚|处理|处分|处置|所有权|所得税|会计|会议|委托|部分"
)


_MARKED_RE = re.compile(
    r"(?:^|[，。、；\n])(?:被告|原审被告|一审被告|被上诉人（原审被告）|上诉人（原审被告）|被上诉人|再审被申请人)"
    r"([^，。；：、\n（(的]{2,40}?)(?:的(?:委托|诉讼)*代理人|的法定代表人|的负责人|委托(?:诉讼)?代理人|辩称|答辩称|述称)",
    re.M,
)


def _marked_elsewhere(norm: str, role: str) -> list[str]:
    """Defendants the text role-marks outside the party block: a body sued jointly (often the
    reconsideration body) named only as 被告Y的委托代理人… in the attendance sentence or 被告Y辩称."""
    names: list[str] = []
    for m in _MARKED_RE.finditer(norm):
        for part in re.split(r"及|和|、", m.group(1)):
            name = _agency_prefix(part)
            if looks_like_agency(name) and len(name) >= 5 and _starts_with_a_place(name):
                _add(names, name)
    return names


def _starts_with_a_place(name: str) -> bool:
    """A full agency name starts with its place (张家港市公安局) or the state (国家…, 中华人民共和国…); a
    short form the text never defined (市不动产中心) does not."""
    if name.startswith(("国家", "中华人民共和国", "中国")):
        return True
    from ingest.fields_places import regions

    reg = regions()
    if reg is None:
        return True
    return any(name[:n] in reg.all_names for n in range(2, min(len(name), 12)))


_ORDER_PARTY_RE = {
    PLAINTIFF: re.compile(
        r"(?<![被])原告([^，。；：、\n（(的]{2,40}?)(?:的(?:全部)?(?:诉讼请求|起诉)|负担|承担)"
    ),
    DEFENDANT: re.compile(
        r"(?:撤销|责令|判令)被告([^，。；：、\n（(的]{2,40}?)(?:作出|于\d|对|在|重新|履行|的)"
    ),
}


def _marked_in_orders(operative: str, role: str) -> list[str]:
    """驳回原告X的诉讼请求 / 由原告X负担 / 撤销被告Y作出的…: parties named only in the orders."""
    names: list[str] = []
    for m in _ORDER_PARTY_RE[role].finditer(operative):
        name = m.group(1)
        if role == DEFENDANT and not looks_like_agency(name):
            continue
        _add(names, name)
    return names


def _is_short_form(name: str, known: str) -> bool:
    """市人社局 is a short form of 某某市人力资源和社会保障局, 浦东公安分局 of 上海市公安局浦东分局:
    every character of it is in the full name."""
    return name == known or set(name) <= set(known)


_CHALLENGED_RE = re.compile(
    r"(?:撤销|确认|判令|责令|要求|请求)([\u4e00-\u9fa5]{4,40}?)(?:作出的|作出|于\d|的|不履行|未履行)"
)


def _agency_whose_act_is_challenged(sentence: str) -> list[str]:
    for m in _CHALLENGED_RE.finditer(sentence):
        name = _agency_prefix(re.sub(r"^(?:依法)?(?:撤销|确认|判令|责令)", "", m.group(1)))
        if looks_like_agency(name):
            return [name]
    return []


def _agency_prefix(name: str) -> str:
    """``攸县人力资源和社会保障局劳动和社会保障行政管理`` → ``攸县人力资源和社会保障局``;
    ``常山县人民政府政府信息公开`` → ``常山县人民政府``."""
    gov = re.match(r"^(.+?人民政府)[\u4e00-\u9fa5]{0,3}政府$", name)
    if gov:  # 某镇人民政府乡政府: a 案由 category (乡政府) run into the name
        return gov.group(1)
    heads = [(h.start(), h.end()) for h in _CAUSE_HEAD_RE.finditer(name)]
    cut = None
    for m in _AGENCY_END_RE.finditer(name):
        if not any(a < m.end() < b for a, b in heads):
            cut = m.end()
    return name[:cut] if cut else name


def fill_parties(record: JudgmentRecord, norm: str, offsets: list[int]) -> None:
    """Set the party lists, aliases and agency_head_appeared on ``record``."""
    record.aliases = find_aliases(norm)
    parties_text = _section_norm(record, norm, offsets, SectionName.parties)
    found = _from_party_lines(parties_text, record.procedure) if parties_text else None
    opening = _from_opening(_opening_sentence(record, norm, offsets), record.procedure)
    if not found or not any(found.values()):
        found = opening
    else:
        for role in (PLAINTIFF, DEFENDANT, APPLICANT):
            if not found[role]:
                found[role] = opening[role]
    for name in _marked_elsewhere(norm, DEFENDANT):  # 被告Y的委托代理人… / 被告Y辩称
        name = record.aliases.get(name, name)
        known_names = [record.aliases.get(k, k) for k in found[DEFENDANT]]
        if not any(_is_short_form(name, known) for known in known_names):
            _add(found[DEFENDANT], name)
    if not found[DEFENDANT] and found[PLAINTIFF]:  # 起诉人X的起诉状，请求撤销Y作出的…
        found[DEFENDANT] = _agency_whose_act_is_challenged(_opening_sentence(record, norm, offsets))
    for role in (
        PLAINTIFF,
        DEFENDANT,
    ):  # a head of labelled fields (IP courts): the operative part names them
        if not found[role]:
            found[role] = _marked_in_orders(record.section(SectionName.operative), role)
    if not found[THIRD]:  # re-joined texts name a third party only where it states its view
        for m in re.finditer(
            r"^(?:原审|一审)?第三人([^，。；：\n（(]{2,40}?)(?:述称|辩称|陈述称|答辩称|陈述意见称)",
            norm,
            re.M,
        ):
            _add(found[THIRD], m.group(1))
    resolve = {**record.aliases}

    def full(name: str) -> str:
        return resolve.get(name, name)

    listed = {full(n) for names in found.values() for n in names}

    def voted(name: str, role: str) -> str:
        """The OCR vote, never turning one listed party into another (co-plaintiffs 张小明, 张小朋)."""
        best = consensus_name(name, norm, _ROLE_CONTEXT[role])
        return name if best != name and best in listed else best

    record.plaintiffs = _dedupe([voted(full(n), PLAINTIFF) for n in found[PLAINTIFF]])
    record.defendants = _administrative_bodies(_dedupe([voted(full(n), DEFENDANT) for n in found[DEFENDANT]]))
    record.third_parties = _dedupe([voted(full(n), THIRD) for n in found[THIRD]])
    record.applicants = _dedupe([full(n) for n in found[APPLICANT]])
    record.respondents = _dedupe([full(n) for n in found[RESPONDENT]])
    if record.procedure == Procedure.enforcement_review and record.defendants and not record.applicants:
        record.applicants, record.defendants = record.defendants, []
    record.defendant_roles = reconsideration_bodies(record, norm)
    record.agency_head_appeared, span = agency_head(norm, record)
    if span is not None:
        start, end = raw_span(offsets, span[0], span[1], len(record.text))
        record.agency_head_evidence = Span(start=start, end=end)


_NOT_A_BODY_RE = re.compile(r"(公司|厂|店|合作社|经营部|门市|个体)$")


def _administrative_bodies(defendants: list[str]) -> list[str]:
    """Defendants are administrative bodies: beside one, a person or a business named as a co-defendant
    is a reading error (an authorised organisation such as a 居民委员会 stays)."""
    bodies = [d for d in defendants if looks_like_agency(d)]
    if not bodies:
        return defendants
    return [d for d in defendants if d in bodies or not (_PERSON_RE.match(d) or _NOT_A_BODY_RE.search(d))]


_UPHELD_RE = re.compile(r"维持|驳回[^，。；]{0,12}复议申请|复议申请[^，。；]{0,8}驳回")


def reconsideration_bodies(record: JudgmentRecord, norm: str) -> dict[str, str]:
    """Co-defendants sued only because they upheld the act on reconsideration (复议维持, 行政诉讼法第二十六条
    第二款): the defendant the text says received the 复议 application or made a 复议决定 that 维持 the act
    or 驳回 the application — never the only defendant, and never every defendant."""
    if len(record.defendants) < 2:
        return {}
    roles: dict[str, str] = {}
    sentences = re.split(r"[。\n]", norm)
    for d in record.defendants:
        forms = {d} | {short for short, full in record.aliases.items() if full == d}
        for sentence in sentences:
            if "复议" not in sentence or not any(f in sentence for f in forms):
                continue
            applied = any(
                re.search(rf"向(?:被告)?{re.escape(f)}(?:提出|申请)(?:行政)?复议", sentence) for f in forms
            )
            decided = _UPHELD_RE.search(sentence) and any(
                re.search(rf"{re.escape(f)}[^，。；]{{0,30}}(?:作出|作)[^，。；]{{0,30}}复议决定", sentence)
                for f in forms
            )
            if applied or decided:
                roles[d] = "reconsideration_body"
                break
    return roles if len(roles) < len(record.defendants) else {}


def _section_norm_text(record: JudgmentRecord, name: SectionName) -> str:
    from ingest.normalize import normalize

    return normalize(record.section(name))[0]


_ROLE_CONTEXT = {
    PLAINTIFF: ("原告", "上诉人", "再审申请人", "申请人", "起诉人"),
    DEFENDANT: ("被告", "被上诉人", "被申请人", "上诉人"),
    THIRD: ("第三人",),
}


def consensus_name(name: str, norm: str, roles: tuple[str, ...]) -> str:
    """OCR misreads a name differently each time: take each character's majority over the places the
    text names the party in its role (原告周滋文 ×4 beats one 周浇文). Clean texts agree with themselves."""
    if len(name) < 3:
        return name
    max_diff = 1 if len(name) < 8 else 2
    variants: list[str] = []
    for role in roles:
        start = norm.find(role)
        while start != -1:
            cand = norm[start + len(role) : start + len(role) + len(name)]
            if len(cand) == len(name) and sum(a != b for a, b in zip(cand, name, strict=True)) <= max_diff:
                variants.append(cand)
            start = norm.find(role, start + 1)
    if len(variants) < 3:
        return name
    chars = []
    for i, ch in enumerate(name):
        votes: dict[str, int] = {}
        for v in variants:
            votes[v[i]] = votes.get(v[i], 0) + 1
        best = max(votes, key=lambda c: (votes[c], c == ch))
        chars.append(best if votes[best] >= 2 and votes[best] > votes.get(ch, 0) else ch)
    return "".join(chars)


def _dedupe(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def _section_norm(record: JudgmentRecord, norm: str, offsets: list[int], name: SectionName) -> str:
    """The normalised text of a section (sections hold raw offsets)."""
    import bisect

    parts = []
    for s in record.section_spans(name):
        a = bisect.bisect_left(offsets, s.start)
        b = bisect.bisect_left(offsets, s.end)
        parts.append(norm[a:b])
    return "\n".join(parts)


# --- the agency's responsible person in court ---------------------------------------------------

_HEAD_TITLES = (
    r"负责人|法定代表人|行政首长|局长|副局长|县长|副县长|市长|副市长|区长|副区长|镇长|副镇长|乡长|副乡长|"
    r"主任|副主任|厅长|副厅长|处长|副处长|大队长|副大队长|队长|副队长|所长|副所长|部长|副部长|主席|副主席|"
    r"院长|副院长|关长|书记|副书记|署长|副署长|总经理"
)
HEAD_RE = re.compile(rf"(负责人|法定代表人|(?<![委托代理])(?:{_HEAD_TITLES}))")
PARTY_MARK_RE = re.compile(
    r"^(法定代表人|负责人|主要负责人)[^\n]{0,40}?[（(](未到庭|到庭|出庭|未出庭)[）)]", re.M
)
HEAD_LINE_RE = re.compile(
    r"^(行政机关)?(出庭(应诉)?的?(行政机关)?负责人|出庭负责人|应诉负责人)[:：]?[^\n]{1,60}$", re.M
)
_DEFENDANT_ROLE_RE = re.compile(
    r"^(被告|被上诉人（原审被告）|上诉人（原审被告）|原审被告|一审被告|被申请人|再审被申请人|被上诉人)"
)


def agency_head(norm: str, record: JudgmentRecord) -> tuple[bool | None, tuple[int, int] | None]:
    """True when the text says the agency's head appeared, False when it says who appeared without them."""
    if record.procedure == Procedure.enforcement_review:
        return None, None
    # party lines marked （到庭）/（未到庭）, as some courts write them
    for m in PARTY_MARK_RE.finditer(norm):
        if _owner_is_defendant(norm, m.start(), record):
            return m.group(2) in ("到庭", "出庭"), (m.start(), m.end())
    # a party line naming the head who appears: 出庭负责人黄某，…副镇长。
    for m in HEAD_LINE_RE.finditer(norm):
        if _owner_is_defendant(norm, m.start(), record):
            return True, (m.start(), m.end())
    heads = _head_agents(norm, record)
    verdict: bool | None = None
    evidence: tuple[int, int] | None = None
    reasoning = norm.find("本院认为")
    for sentence_start, sentence in _appearance_sentences(norm):
        if verdict is not None and 0 <= reasoning < sentence_start:
            break  # the court's reasoning recites duties (负责人应当出庭应诉), it does not report attendance
        if re.search(r"(未|拒不|没有)(到庭|出庭)$", sentence) and not re.search(r"[，,]", sentence):
            continue
        side: bool | None = None  # a clause naming no party continues the previous party's clause
        for clause, offset in _clauses(sentence):
            said = _clause_is_defendant(clause, record)
            side = said if said is not None else side
            if not side:
                continue
            head = HEAD_RE.search(clause) or next((h for h in heads if h in clause), None)
            if head and not re.search(r"(未|没有|拒不)(到庭|出庭)", clause):
                return True, (sentence_start + offset, sentence_start + offset + len(clause))
            if head and re.search(r"(未|没有|拒不)(到庭|出庭)", clause):
                return False, (sentence_start + offset, sentence_start + offset + len(clause))
            if re.search(r"(未|没有|拒不|无正当理由不)(到庭|出庭|派员)", clause) and verdict is None:
                verdict, evidence = False, (sentence_start + offset, sentence_start + offset + len(clause))
            if re.search(r"(委托|诉讼)?代理人|工作人员", clause) and verdict is None:
                verdict, evidence = False, (sentence_start + offset, sentence_start + offset + len(clause))
    # a later sentence may still say the head appeared (…负责人钱七出庭应诉): only then is it False
    return (verdict, evidence) if verdict is not None else (None, None)


_AGENT_LINE_RE = re.compile(
    r"^(?:委托(?:诉讼)?代理人|诉讼代理人|出庭人员)[:：]?\s*([\u4e00-\u9fa5×某]{2,4})[，,]([^\n]{0,80})$", re.M
)
_AGENT_HEAD_TITLE_RE = re.compile(
    r"(?<![科股室办组])副?(?:局长|县长|区长|市长|镇长|乡长|厅长|处长|大队长|支队长|所长|部长|主席|院长|关长|署长|主任)"
    r"(?!科员|医师|助理)"
)


def _head_agents(norm: str, record: JudgmentRecord) -> list[str]:
    """Entrusted agents of a defendant whose title, written after the name in the party block, makes
    them a head or deputy head of it (委托代理人刘伟，该局副局长): by the taxonomy the head appeared."""
    out = []
    for m in _AGENT_LINE_RE.finditer(norm):
        title = m.group(2)
        if re.search(r"律师|法律顾问|办公室主任|科长|股长|科员", title):
            continue
        if _AGENT_HEAD_TITLE_RE.search(title) and _owner_is_defendant(norm, m.start(), record):
            out.append(m.group(1))
    return out


def _appearance_sentences(norm: str) -> list[tuple[int, str]]:
    """(offset, sentence) of every sentence saying who 到庭/出庭/应诉: the keyword found first, then its
    sentence's bounds (linear time, where a regex spanning the sentence backtracks at every start)."""
    out: list[tuple[int, str]] = []
    last_end = -1
    for m in re.finditer(r"到庭|出庭|应诉", norm):
        if m.start() < last_end:
            continue
        start = max(norm.rfind("。", 0, m.start()), norm.rfind("\n", 0, m.start())) + 1
        ends = [e for e in (norm.find("。", m.end()), norm.find("\n", m.end())) if e >= 0]
        end = min(ends) if ends else len(norm)
        out.append((start, norm[start:end]))
        last_end = end
    return out


def _clauses(sentence: str) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for part in re.split(r"([，,；]|[、和及与](?=被告|被上诉人|第三人|原告|上诉人|原审))", sentence):
        if part and part not in ("，", ",", "；", "、", "和", "及", "与"):
            out.append((part, pos))
        pos += len(part)
    return out


def _clause_is_defendant(clause: str, record: JudgmentRecord) -> bool | None:
    """True/False when the clause is about the defendant side or another party, None when it names none."""
    clause = re.sub(r"^.*?(审理了本案|开庭审理|公开开庭|进行了审理)[^，]*", "", clause).lstrip("、和及")
    if re.match(r"^(原告|上诉人（原审原告）|第三人|原审第三人|申请人|再审申请人)", clause):
        return False
    if _DEFENDANT_ROLE_RE.match(clause):
        return True
    names = [f for d in record.defendants for f in _short_forms(d, record)]
    if any(n and n in clause for n in names):
        return True
    if _PARTY_START_RE.match(clause) or any(
        n and clause.startswith(n) for n in record.plaintiffs + record.third_parties
    ):
        return False
    return None


_PARTY_START_RE = re.compile(rf"^({_ROLE_ALT})")


def _owner_is_defendant(norm: str, pos: int, record: JudgmentRecord) -> bool:
    """Whether the party line at ``pos`` belongs to a defendant's block (the last role line above it)."""
    block = norm[max(0, pos - 400) : pos]
    roles = list(re.finditer(rf"(?:^|\n)({_ROLE_ALT})(?:[（(][^）)]{{1,30}}[）)])?[:：]?([^，。\n]*)", block))
    if not roles:
        return False
    last = roles[-1]
    return original_role(last.group(1), "", last.group(2), record.procedure) == DEFENDANT or (
        last.group(2) in record.defendants
    )


def _short_forms(name: str, record: JudgmentRecord) -> set[str]:
    forms = {name}
    forms |= {short for short, full in record.aliases.items() if full == name}
    return forms


# --- operative orders and the first instance ------------------------------------------------------

_ITEM_RE = re.compile(
    r"^\s*[一二三四五六七八九十]+[、.．]|^\s*\d+[、.．]|^\s*[（(][一二三四五六七八九十\d]+[）)]"
)
_FEE_RE = re.compile(r"(受理费|诉讼费|案件费用|申请费)")


def operative_orders(operative: str) -> list[str]:
    """The orders of the operative part: its numbered items, or its lines before the costs sentence."""
    lines = [ln.strip() for ln in operative.split("\n") if ln.strip()]
    items = [ln for ln in lines if _ITEM_RE.match(ln)]
    if items:
        return items
    return [ln for ln in lines if not _FEE_RE.search(ln)][:5]


_FIRST_RULING_RE = re.compile(
    r"(?P<court>[\u4e00-\u9fa5×]{2,40}?法院)(?:[（(](?:以下|下)?简称[^）)]{1,10}[）)])?(?:于[^，。]{4,14}日)?(?:作出(?:的)?)?(?P<case>[（(〔\[［]\s*(?:19|20)\d{2}[^，。；\n]{2,30}?号)"
)


def first_instance(record: JudgmentRecord, norm: str) -> FirstInstance | None:
    """For appeals and retrials: the lower court, its case number and (when quoted) its result."""
    if record.procedure not in (Procedure.appeal, Procedure.retrial, Procedure.retrial_review):
        return None
    from core.normalize import normalize_case_no

    court = case_no = result = None
    m = _FIRST_RULING_RE.search(norm)
    if m and record.court and m.group("court") != record.court:
        court = re.sub(
            r"^.*(不服|撤销|维持|变更|向|经|由|对)(?=[^不撤维变向经由对]{4,}$)", "", m.group("court")
        )
        case_no = normalize_case_no(m.group("case"))
    history = _section_norm_text(record, SectionName.history)
    results = list(
        re.finditer(
            r"(判决|裁定)(如下)?[:：]([^\n。]{2,600}?)(?=[；;]\s*(一审|原审)?(案件)?(受理费|诉讼费)|[。\n]|$)",
            history,
        )
    )
    if results:
        result = results[-1].group(3).strip("；;。 ")
    if (
        case_no is None
    ):  # 不服一审行政判决 names no court; the case number cited elsewhere is the first instance's
        case_no = next((cn for cn in record.original_case_nos if re.search(r"行(?:赔)?初", cn)), None)
    if court is None:
        lower = re.search(
            r"不服([\u4e00-\u9fa5]{4,40}?(?:人民法院|法院))(?:[（(（]|作出|于\d|\d{4}|[（(]\s*(?:19|20))",
            norm,
        )
        court = lower.group(1) if lower and lower.group(1) != record.court else None
    if court:
        from ingest.fields import repair_court_by_code
        from ingest.fields_places import repair_court

        court = repair_court_by_code(repair_court(court, norm), case_no)
    if not (court or case_no or result):
        return None
    return FirstInstance(court=court, case_no=case_no, result=result)
