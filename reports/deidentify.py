"""De-identification for publication (典型案例): natural persons become 张某 / 张某某; ID numbers, phone
numbers, birth dates and home addresses are removed. Agencies and companies keep their names.

Pure functions over text and the record's party names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "钟离",
    "端木",
    "澹台",
    "独孤",
    "南宫",
    "西门",
    "呼延",
    "万俟",
    "闻人",
    "赫连",
)
# A party whose name ends like this is an organisation, not a natural person.
ORG_RE = re.compile(
    r"(公司|局|政府|委员会|委|中心|厂|店|社|所|院|会|部|处|站|队|室|办|行|集团|学校|大学|医院|村|组|馆|场|"
    r"厅|署|庭|校|园|矿|团|军|司|科|协会|联合会|合作社|事务所|办事处|街道|管委会|基金|银行|酒店|工作室|单位|"
    r"经营部|门市部|分局|支队|大队|中队|市|县|区|省|镇|乡|旗|州|盟)$"
)
# Common single-character surnames (百家姓 and frequent modern ones): a found "name" must start with one.
SURNAMES = set(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双"
    "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
    "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公覃岳帅缑亢况郈有琴归海晋楚闫法汝鄢涂钦商牟佘佴伯"
    "赏墨哈谯笪年爱阳佟言福付代佘肖闫雒"
)
_MASKED = re.compile(r"[某×xX＊*]")
_PARTY_ROLE = (
    r"(?:原告|第三人|上诉人|被上诉人|申请人|被申请人|再审申请人|申请执行人|被执行人|原审原告|原审被告|"
    r"原审第三人)"
)
_AGENT_ROLE = (
    r"(?:委托诉讼代理人|委托代理人|诉讼代理人|法定代理人|指定代理人|法定代表人|负责人|代表人|监护人)"
)
_ROLE = "(?:" + _PARTY_ROLE + "|" + _AGENT_ROLE + ")"
# Party lines: "原告张三，男，…" at the start of a line; agents anywhere: "委托代理人李四，…律师".
_PARTY_NAME_RE = re.compile(
    r"(?:^|\n)" + _PARTY_ROLE + r"(?:（[^）]{1,12}）)?[:：]?([\u4e00-\u9fff·]{2,6}?)(?=[，,。（(；;\s]|$)",
    re.M,
)
_AGENT_NAME_RE = re.compile(_AGENT_ROLE + r"[:：]?([\u4e00-\u9fff·]{2,4}?)(?=[，,。、（(；;\s]|$)")
# Persons named in the narrative by their relation or role: 原告的丈夫靳某某， 抵押人为花某某，
_NARRATIVE_RE = re.compile(
    r"(?:丈夫|妻子|儿子|女儿|父亲|母亲|之子|之女|之妻|之夫|户主|抵押人|继承人|死者|受害人|证人|村民|购买人|出卖人|"
    r"承包人|所有权人|权利人|职工|员工|工人)(?:为|是)?([\u4e00-\u9fff]{2,3}?)(?=[，,。、；;）)（(与和及的系在于])"
)
_PERSON_LINE_RE = re.compile(
    r"(?:^|[\n。；])" + _ROLE + r"?(?:（[^）]{1,12}）)?[:：]?([\u4e00-\u9fff·]{2,5}?)[，,](?:男|女)[，,。]",
    re.M,
)

_REMOVALS = [
    # 公民身份号码：xxxxxxxxxxxxxxxxxx (with its label)
    re.compile(r"[，,]?\s*(?:公民)?身份(?:证)?(?:号码|号)?[:：]?\s*\d{17}[\dXx]"),
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    re.compile(r"(?<!\d)\d{15}(?!\d)"),
    # phone numbers, with an optional label
    re.compile(
        r"[，,]?\s*(?:联系)?(?:电话|手机|联系方式)(?:号码)?[:：]?\s*(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})"
    ),
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)"),
    # birth dates in party lines
    re.compile(r"[，,]\s*\d{4}年\d{1,2}月\d{1,2}日(?:出生|生)"),
    # home addresses (住所地 is an organisation's seat and stays)
    re.compile(r"[，,]\s*(?:户籍(?:所在)?地|现住|暂住|住址|家住|住)(?!所)[:：]?[^，,。；;\n）)]*"),
]


def mask_name(name: str) -> str:
    """张三 → 张某, 张三丰 → 张某某, 欧阳小明 → 欧阳某某; already masked names stay."""
    if _MASKED.search(name):
        return name
    if "·" in name:
        return name.split("·")[0][:1] + "某"
    surname = next((s for s in COMPOUND_SURNAMES if name.startswith(s) and len(name) > len(s)), name[:1])
    rest = len(name) - len(surname)
    return surname + ("某" if rest <= 1 else "某某")


_NOT_NAME = re.compile(
    r"经营|居住|陈述|须知|有权|醉酒|工作|生活|死亡|去世|签订|申请|房屋|土地|证明|签字|称|不服|同意|提起|判决|裁定|本院|请求|诉讼|经理|身份|集体|讨论|批准|审签"
)
_SPEECH = re.compile(r"(?:提起上诉称|上诉称|答辩称|辩称|诉称|述称|陈述)$")


def _clean(name: str) -> str:
    return _SPEECH.sub("", name.strip())


def is_person(name: str) -> bool:
    n = name.strip()
    if not (2 <= len(n) <= 6) or ORG_RE.search(n) or _MASKED.search(n) or _NOT_NAME.search(n):
        return False
    if "·" not in n and n[0] not in SURNAMES and not n.startswith(COMPOUND_SURNAMES):
        return False
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]+", n))


def person_names(text: str, parties: Iterable[str] = ()) -> list[str]:
    """Natural persons named in the party list and in the party paragraphs of the text, longest first."""
    found = [p for p in parties if is_person(p)]
    for p in parties:  # 邱x萍 in the party list, 邱彩萍 left unmasked elsewhere in the text
        if 3 <= len(p) <= 4 and _MASKED.search(p[1:-1]) and not _MASKED.search(p[0] + p[-1]):
            rx = re.compile(
                re.escape(p[0])
                + "".join("[\u4e00-\u9fff]" if _MASKED.match(ch) else re.escape(ch) for ch in p[1:])
            )
            found += [m.group(0) for m in rx.finditer(text) if is_person(m.group(0))]
    head = text[:3000]
    for rx in (_PARTY_NAME_RE, _AGENT_NAME_RE, _PERSON_LINE_RE):
        found += [n for m in rx.finditer(head) if is_person(n := _clean(m.group(1)))]
    found += [n for m in _NARRATIVE_RE.finditer(text) if is_person(n := m.group(1))]
    return sorted(set(found), key=lambda n: (-len(n), n))


def deidentify(text: str, names: Iterable[str]) -> str:
    """Mask every given person name and remove ID numbers, phone numbers, birth dates and addresses."""
    out = text
    for rx in _REMOVALS:
        out = rx.sub("", out)
    for name in sorted(set(names), key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return out
