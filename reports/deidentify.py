"""De-identification for publication (典型案例, issue 17): every natural person becomes 张某 / 张某某 (the
same person the same mask throughout a case; two people of one surname 张某甲 / 张某乙), and ID numbers,
phone numbers, bank accounts, licence plates, birth dates and house numbers go. Agencies, companies, courts,
judges and the clerk, and an agency's own legal representative named as such, stay.

Names are found in the party lines and in the whole text by context (男/女, 出生, 之子, 系…的, 委托, 证人：,
第三人 mid-sentence, 经理, 工作人员, 签收人 …), not from the party list alone. ``residual_persons`` is the
last pass over the text to be printed: a surname plus one or two characters after a person role.

Pure functions over text and the record's party names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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
# Surnames missing from the list above that courts do print (rare ones included: 冼, 麦, 迟 …).
SURNAMES |= set(
    "冼麦迟邝谌粟揭练亓栗綦禚隋占寸么卿矫仝敬苟庹蹇税禤植区阿斯达仉督岑郄佀蒿衣战楼操脱候过户奉泮鄞漆"
    "但字母凃来撒银旦冶次拉扎卓央格桑洛丹索朗次仁多吉"
)
# A candidate ending like this is an organisation, not a natural person. Single characters that also end
# given names (军, 华, 庭, 园, 科, 团, 行, 司, 场, 矿, 委, 组, 会) count only from four characters on.
_ORG_LONG = re.compile(
    r"(公司|政府|委员会|中心|协会|联合会|合作社|事务所|办事处|街道|管委会|基金|银行|酒店|工作室|单位|经营部|"
    r"门市部|分局|支队|大队|中队|集团|学校|大学|医院|法院|检察院|派出所|居委会|村委会)$"
)
_ORG_ANY = re.compile(r"(局|厂|店|社|所|院|部|处|站|队|室|办|村|馆|厅|署|校|市|县|省|镇|乡|旗|州|盟)$")
_ORG_4 = re.compile(r"(委|会|行|组|场|庭|园|矿|团|军|司|科|区)$")
ORG_RE = re.compile(_ORG_LONG.pattern + "|" + _ORG_ANY.pattern)  # kept for callers


def is_org(name: str) -> bool:
    n = name.strip()
    return bool(_ORG_LONG.search(n) or _ORG_ANY.search(n) or (len(n) >= 4 and _ORG_4.search(n)))


_MASKED = re.compile(r"[某×xX＊*○〇]")
_PARTY_ROLE = (
    r"(?:原告|第三人|上诉人|被上诉人|申请人|被申请人|再审申请人|申请执行人|被执行人|原审原告|原审被告|"
    r"原审第三人|一审原告|一审第三人|二审上诉人|复议申请人)"
)
_AGENT_ROLE = (
    r"(?:委托诉讼代理人|委托代理人|诉讼代理人|法定代理人|指定代理人|法定代表人|负责人|代表人|监护人|"
    r"诉讼代表人|特别授权代理人|一般授权代理人)"
)
_ROLE = "(?:" + _PARTY_ROLE + "|" + _AGENT_ROLE + ")"
_NAME = r"([\u4e00-\u9fff·]{2,6}?)"
_END = r"(?=[，,。、；;：:（(）)\s“”\"’‘《》]|$)"
# What may follow a name found mid-sentence.
_AFTER = (
    r"(?=[，,。、；;：:）)（(“”\"\s]|与|和|及|的|系|在|于|向|称|等|签|说|为|所有|也|死亡|结婚|到庭|出庭|到场|"
    r"询问|陈述|表示|证实|母亲|父亲|妻子|丈夫|儿子|女儿|提交|提出|提供|申请|签订|购买|承包|租用|驾驶|报警|起诉|"
    r"诉至|作为|进行|要求|通过|收到|取得|领取|办理|$)"
)
# Party lines: "原告张三，男，…" at the start of a line; agents anywhere: "委托代理人李四，…律师".
_PARTY_NAME_RE = re.compile(r"(?:^|\n)" + _PARTY_ROLE + r"(?:（[^）]{1,12}）)?[:：]?" + _NAME + _END, re.M)
_AGENT_NAME_RE = re.compile(_AGENT_ROLE + r"[:：]?" + r"([\u4e00-\u9fff·]{2,4}?)" + _AFTER)
_PERSON_LINE_RE = re.compile(
    r"(?:^|[\n。；])" + _ROLE + r"?(?:（[^）]{1,12}）)?[:：]?([\u4e00-\u9fff·]{2,5}?)[，,](?:男|女)[，,。]",
    re.M,
)
# A person named in the narrative by a role, relation or office (mid-sentence): 原告的丈夫靳某某，
# 证人：王某, 第三人李某, 经理张某, 工作人员刘某, 签收人陈某, 抵押人为花某某.
_CONTEXT_ROLE = (
    r"(?:一子|一女|长子|次子|长女|次女|丈夫|妻子|儿子|女儿|父亲|母亲|哥哥|弟弟|姐姐|妹妹|儿媳|女婿|孙子|孙女|之子|之女|之妻|之夫|之父|之母|"
    r"配偶|亲属|户主|抵押人|继承人|死者|受害人|被害人|证人|村民|业主|购买人|出卖人|承包人|承租人|出租人|"
    r"所有权人|权利人|职工|员工|工人|举报人|投诉人|当事人|签收人|收件人|联系人|经办人|见证人|送达人|"
    r"受送达人|经理|总经理|股东|监事|执行董事|工作人员|执法人员|网格员|村干部|组长|会计|律师|"
    r"第三人|原审第三人|一审第三人|申请人|原告|上诉人|委托|委托代理人|委托诉讼代理人|代理人|负责人|"
    r"开发人|专利权人|发明人|设计人|法人代表|实际控制人|驾驶人|驾驶员|司机|车主|房主|户主|[\u4e00-\u9fff]人为)"
)
_NARRATIVE_RE = re.compile(_CONTEXT_ROLE + r"(?:为|是|系)?[:：]?([\u4e00-\u9fff]{2,3}?)" + _AFTER)
# A name before its context: 张三，男 / 张三（女 / 张三之子 / 张三系 / 张三，1970年…出生 / 张三签字
_BEFORE_RE = re.compile(
    r"(?:^|[，,。；;、：:\s（(“])([\u4e00-\u9fff]{2,4}?)(?=[，,]?(?:男|女)[，,）)]|（(?:男|女)|之(?:子|女|妻|夫|父|母)|"
    r"系[^，。]{1,20}的(?:丈夫|妻子|儿子|女儿|父亲|母亲|亲属|员工|职工)|[，,]\d{4}年\d{1,2}月\d{1,2}日(?:出生|生)|"
    r"(?:本人)?签字|签名确认|律师[，,。]|生前|去世|死亡后|病故|称[，,：:]|陈述称|证实)",
    re.M,
)
# Function characters that do not occur inside a name found mid-sentence.
_FUNCTION = set("的了在是为系经由从向对将已均也并及与等其该或被把给让就都还这那些个因于谁认")
_NOT_NAME = re.compile(
    r"经营|居住|陈述|须知|有权|醉酒|工作|生活|死亡|去世|签订|申请|房屋|土地|证明|签字|称|不服|同意|提起|判决|"
    r"裁定|本院|请求|诉讼|经理|身份|集体|讨论|批准|审签|原告|被告|上诉|法院|政府|本案|人员|单位|部门|机关|"
    r"行政|现场|进行|相关|有关|上述|前述|公民|法人|组织|同志|领导|群众|人民|主任|书记|局长|科长|所长|队长|"
    r"代理|委托|律师|证据|材料|事实|理由|意见|情况|问题|规定|法律|条例|办法|通知|决定|处罚|补偿|赔偿|协议|"
    r"合同|村委|社区|街道|解放军|武警|公安|消防|国家|中国|中华|全体|全部|部分|各方|双方|对方|本人|他人|"
    r"其他|自己|个人|家庭|家属|户籍|信息|公开|答复|复议|执行|强制|拆除|征收|登记|审批|批复|回复|作出|"
    r"认定|调查|询问|笔录|送达|签收|告知|期限|期间|时间|地点|方式|结果|内容|金额|标准|面积|位置"
)
_SPEECH = re.compile(r"(?:提起上诉称|上诉称|答辩称|辩称|诉称|述称|陈述|认为|表示|主张)$")
# Judges and the clerk (signature block, "审判长 王某某") and agency heads named as such stay.
_SIGNATURE_RE = re.compile(
    r"(?:^|\n)\s*(?:审\s*判\s*长|审\s*判\s*员|代理审判员|人民陪审员|陪\s*审\s*员|法官助理|书\s*记\s*员|"
    r"代书记员|速\s*录\s*员|执\s*行\s*员)[\s:：]*([\u4e00-\u9fff·]{2,6})\s*$",
    re.M,
)
_AGENCY_PARTY = re.compile(
    r"(?:^|\n)\s*(?:被告|被上诉人|上诉人|被申请人|再审被申请人|原审被告|一审被告|复议机关)(?:（[^）]{1,12}）)?"
    r"[:：]?([^\n，,。]{2,40}?(?:人民政府|政府|局|委员会|办公室|办事处|大队|支队|中队|派出所|管理处|管理站|"
    r"管理所|执法队|街道|管委会|分局|厅|署|委))[，,。\n（(]"
)
_AGENCY_HEAD = re.compile(
    r"^\s*(?:法定代表人|负责人|行政负责人|主要负责人)[:：]?([\u4e00-\u9fff·]{2,4}?)" + _END
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
_SUBSTITUTIONS = [
    # bank accounts: 账号6222 0000 1111 2222 → 账号××××
    (re.compile(r"((?:银行)?(?:账号|帐号|账户|帐户|卡号)(?:为|是)?[:：]?\s*)\d[\d\s-]{8,28}\d"), r"\1××××"),
    # licence plates: 湘ＮＥＸ123 → 湘Ｎ×××××
    (
        re.compile(
            r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-ZＡ-ＨＪ-ＮＰ-Ｚ])"
            r"[·•]?[A-HJ-NP-Z0-9Ａ-ＨＪ-ＮＰ-Ｚ０-９]{4,5}[挂学警港澳]?(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])"
        ),
        r"\1×××××",
    ),
    # house numbers below the township: 某路12号 / 3栋2单元501室 / 6组 → ××号 …
    (
        re.compile(
            r"(?<=[路街巷弄道村屯组苑园里庄寨楼座区坊湾])[\d０-９\-－]+(号院|号楼|号|栋|幢|单元|室|户)"
        ),
        r"××\1",
    ),
    (re.compile(r"(?<=[栋幢单元])[\d０-９\-－]+(单元|层|室|号)"), r"××\1"),
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


def _clean(name: str) -> str:
    return _SPEECH.sub("", name.strip())


def is_person(name: str) -> bool:
    n = name.strip()
    if not (2 <= len(n) <= 6) or is_org(n) or _MASKED.search(n) or _NOT_NAME.search(n):
        return False
    if ("·" not in n and len(n) > 4) or "的" in n:  # Han names have at most four characters
        return False
    if "·" not in n and n[0] not in SURNAMES and not n.startswith(COMPOUND_SURNAMES):
        return False
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]+", n))


# Words that begin with a surname character but are not names, and endings of places and things.
_WORDS = re.compile(
    r"^(?:应当|应该|占有|向法|于收|于本|于该|向其|向该|养殖|明确|方面|高度|全部|单独|安全|平安|成立|张贴|包括|常住|"
    r"和解|文件|程序|经过|何时|关于|于是|任何|周边|费用|利息|林地|林权|房产|山林|车辆|车主|路段|司机|马路|"
    r"时间|时任|时年|现场|现已|现有|现任|原有|原系|原审|原因|同时|同意|同年|同日|当日|当事|当时|当天|"
    r"未能|未经|未予|于同|于次|于当|于某|于\d)"
)
_THING_END = re.compile(r"[场厂站证书费款屋号室段院所局处队组村路街楼户地点证件物]$")


@lru_cache(maxsize=1)
def _word_freq() -> dict[str, int]:
    """jieba's dictionary frequencies (the tokenizer core.segment uses): common words are not names."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a dependency
        return {}
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


# Characters that are surnames but far more often a word's first character (有, 向, 从 …).
_AMBIGUOUS_FIRST = set("有向从能多代后那拉母公车施权相于和成时全高明方文常平安宁都")


def _common_word(name: str) -> bool:
    freq = _word_freq()
    if len(name) == 2:
        return freq.get(name, 0) >= 100
    if len(name) == 3:
        return freq.get(name[:2], 0) >= 300 or (name[0] in _AMBIGUOUS_FIRST and freq.get(name[1:], 0) >= 100)
    return False


def _plain(name: str) -> bool:
    """A name found mid-sentence: a person, no function character after the surname, not a common word."""
    return (
        is_person(name)
        and not (set(name[1:]) & _FUNCTION)
        and len(name) <= 4
        and not name.endswith("诉")
        and not _WORDS.search(name)
        and not _THING_END.search(name)
        and not _common_word(name)
    )


def kept_names(text: str) -> set[str]:
    """Names that stay: the judges and clerk of the signature block, the legal representative of an agency
    that is a party (the line after the agency's party line)."""
    keep = {m.group(1) for m in _SIGNATURE_RE.finditer(text)}
    lines = text.split("\n")
    for i, line in enumerate(lines[:-1]):
        if _AGENCY_PARTY.match("\n" + line + "\n") and "公司" not in line:
            m = _AGENCY_HEAD.match(lines[i + 1])
            if m:
                keep.add(m.group(1))
    return {k for k in keep if is_person(k)}


def _coordinated(text: str, known: list[str]) -> list[str]:
    """Names joined to a known person by 与/和/及/、 (雷某与党某某因…): persons too."""
    people = [k for k in set(known) if len(k) >= 2]
    if not people:
        return []
    alt = "|".join(map(re.escape, sorted(people, key=len, reverse=True)))
    out = []
    before = re.compile(r"(?:^|[，,。；;：:\s（(“])([\u4e00-\u9fff]{2,3}?)(?:与|和|及|、)(?:" + alt + ")")
    after = re.compile(  # zero-width, so that 甲、乙、丙 finds 丙 after 乙
        r"(?=(?:"
        + alt
        + r")(?:与|和|及|、)([\u4e00-\u9fff]{2,3}?)(?=[，,。；;、）)\s]|与|和|及|因|等|的|系|诉))"
    )
    for rx in (before, after):
        out += [n for m in rx.finditer(text) if _plain(n := m.group(1)) and n not in people]
    return out


def person_names(text: str, parties: Iterable[str] = ()) -> list[str]:
    """Natural persons named in the party list and anywhere in the text, longest first (the judges, the
    clerk and an agency's legal representative excluded)."""
    parties = list(parties)
    found = [p for p in parties if is_person(p)]
    for p in parties:  # 邱x萍 in the party list, 邱彩萍 left unmasked elsewhere in the text
        if 3 <= len(p) <= 4 and _MASKED.search(p[1:-1]) and not _MASKED.search(p[0] + p[-1]):
            rx = re.compile(
                re.escape(p[0])
                + "".join("[\u4e00-\u9fff]" if _MASKED.match(ch) else re.escape(ch) for ch in p[1:])
            )
            found += [m.group(0) for m in rx.finditer(text) if is_person(m.group(0))]
    for rx in (_PARTY_NAME_RE, _AGENT_NAME_RE, _PERSON_LINE_RE):
        found += [
            n
            for m in rx.finditer(text)
            if is_person(n := _clean(m.group(1))) and not (n[0] in _AMBIGUOUS_FIRST and _common_word(n))
        ]
    for rx in (_NARRATIVE_RE, _BEFORE_RE):
        found += [n for m in rx.finditer(text) if _plain(n := m.group(1))]
    found += _coordinated(text, found)
    keep = kept_names(text)
    return sorted({n for n in found if n not in keep}, key=lambda n: (-len(n), n))


def _scrub(text: str) -> str:
    out = text
    for rx in _REMOVALS:
        out = rx.sub("", out)
    for rx, repl in _SUBSTITUTIONS:
        out = _sub_outside_seats(rx, repl, out)
    return out


def _sub_outside_seats(rx: re.Pattern[str], repl: str, text: str) -> str:
    return rx.sub(lambda m: m.group(0) if _seat(text, m.start()) else m.expand(repl), text)


def _seat(text: str, at: int) -> bool:
    """True inside an organisation's seat (住所地 …): that address is public and stays."""
    clause = re.split(r"[，,。；;\n]", text[max(0, at - 60) : at])[-1]
    return "住所" in clause or "地址" in clause and "公司" in text[max(0, at - 80) : at]


def masks_for(names: Iterable[str]) -> dict[str, str]:
    """Name → mask, one mask per person: two people who would both be 张某 become 张某甲 and 张某乙."""
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    by_mask: dict[str, list[str]] = {}
    for n in ordered:
        by_mask.setdefault(mask_name(n), []).append(n)
    out: dict[str, str] = {}
    for mask, group in by_mask.items():
        # a shorter name that is the start of a longer one is taken as the same person (张三 / 张三丰)
        people = [n for n in group if not any(o != n and o.startswith(n) for o in group)]
        for n in group:
            if len(people) > 1 and n in people:
                out[n] = mask + "甲乙丙丁戊己庚辛"[min(people.index(n), 7)]
            else:
                out[n] = mask
    return out


def deidentify(text: str, names: Iterable[str]) -> str:
    """Mask every given person name and remove ID numbers, phone numbers, accounts, plates, birth dates and
    house numbers."""
    return apply_masks(text, masks_for(names))


def apply_masks(text: str, masks: dict[str, str]) -> str:
    out = _scrub(text)
    for name in sorted(masks, key=len, reverse=True):
        out = out.replace(name, masks[name])
    return out


@dataclass(frozen=True)
class Finding:
    """A possible natural-person name left in text to be printed, with the words around it."""

    name: str
    context: str


_RESIDUAL_RE = re.compile(
    r"(?:" + _CONTEXT_ROLE[3:-1] + r"|" + _PARTY_ROLE[3:-1] + r"|" + _AGENT_ROLE[3:-1] + r")"
    r"(?:为|是|系)?[:：]?([\u4e00-\u9fff]{2,3}?)" + _AFTER
)


def residual_persons(text: str, keep: Iterable[str] = ()) -> list[Finding]:
    """The last pass over text to be printed: a surname and one or two characters after a person role that
    is not masked (张某), not an organisation and not among ``keep`` (judges, an agency's head)."""
    kept = set(keep)
    out: dict[str, Finding] = {}
    for m in _RESIDUAL_RE.finditer(text):
        cand = m.group(1)
        if _MASKED.search(cand) or any(k.startswith(cand[:2]) for k in kept):
            continue
        n = next((x for x in (cand, cand[:2]) if _plain(x)), None)
        if n:
            s = max(0, m.start() - 12)
            out.setdefault(n, Finding(n, text[s : m.end() + 12]))
    return list(out.values())


class Masker:
    """One case's masks, built from all its judgments' texts and party names: call it on any text of the
    case (title, facts, quotes) for the same mask of the same person everywhere."""

    def __init__(self, texts: Iterable[str], parties: Iterable[str] = ()):
        texts = list(texts)
        parties = list(parties)
        names: set[str] = set()
        self.keep: set[str] = set()
        for t in texts:
            names.update(person_names(t, parties))
            self.keep |= kept_names(t)
        names -= self.keep
        self.masks = masks_for(names)

    def __call__(self, text: str) -> str:
        return apply_masks(text, self.masks)

    def findings(self, text: str) -> list[Finding]:
        return residual_persons(text, self.keep)
