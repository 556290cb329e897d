"""What a party's name is: roles as courts write them, the original role in the suit, and whether a name
is an administrative body, a person or a business (a court never is a party)."""

from __future__ import annotations

import re

from core.taxonomy import Procedure

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


_AGENCY_END_RE = re.compile(
    r"(人民政府|政府|局|委员会|厅|办公室|办事处|大队|支队|中队|派出所|分局|管理中心|中心|公司|管理处|街道|分署)"
)

# A person's name run into the cause of action that follows it (被执行人王阿三土地行政处罚一案).
_CAUSE_WORDS = (
    r"治安|行政|土地|工伤|房屋|劳动|社会|城建|城乡|规划|资源|公安|户籍|婚姻|登记|许可|处罚|强制|征收|拆迁|拆除|"
    r"信息公开|政府信息|林业|农业|交通|道路|环境|卫生|食品|药品|市场|工商|税务|教育|民政|水利|财政|商标|专利|"
    r"计划生育|社会抚养费|抚恤|纠纷"
)

_PERSON_BEFORE_CAUSE_RE = re.compile(r"^([\u4e00-\u9fa5][\u4e00-\u9fa5×某]{1,2}?)(?=" + _CAUSE_WORDS + r")")

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


# Causes of action whose first word is also an agency's last word (政府信息公开, 中心城区房屋征收, 管理处罚):
# an agency word fused into one of these is not where the agency's name ends.
_CAUSE_HEAD_RE = re.compile(
    r"政府信息|政府采购|政务|局务|中心城区|处罚|处理|处分|处置|所有权|所得税|会计|会议|委托|部分"
)


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


def _is_short_form(name: str, known: str) -> bool:
    """市人社局 is a short form of 某某市人力资源和社会保障局, 浦东公安分局 of 上海市公安局浦东分局:
    every character of it is in the full name."""
    return name == known or set(name) <= set(known)


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
