"""The product's vocabulary (``shared/TAXONOMY.md``): stable English codes, Chinese names users see.

Plain data, no I/O: every package may import it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class ZhEnum(StrEnum):
    """A str enum whose members carry a Chinese label: ``Outcome.agency_lost.zh == '败诉'``."""

    zh: str

    def __new__(cls, code: str, zh: str) -> ZhEnum:
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.zh = zh
        return obj

    @classmethod
    def parse(cls, text: str) -> Self | None:
        """Accept the code or the Chinese label (``'procedure'`` or ``'违反法定程序'``)."""
        text = text.strip()
        for member in cls:
            if text == member.value or text == member.zh:
                return member
        return None


class DocKind(ZhEnum):
    judgment = ("judgment", "判决书")
    ruling = ("ruling", "裁定书")
    mediation = ("mediation", "调解书")
    decision = ("decision", "决定书")
    reconsideration_decision = ("reconsideration_decision", "行政复议决定书")
    other = ("other", "其他")


class Procedure(ZhEnum):
    first = ("first", "一审")
    appeal = ("appeal", "二审")
    retrial = ("retrial", "再审")
    retrial_review = ("retrial_review", "再审审查")
    enforcement_review = ("enforcement_review", "非诉执行审查")
    other = ("other", "其他")


class Outcome(ZhEnum):
    agency_lost = ("agency_lost", "败诉")
    agency_won = ("agency_won", "胜诉")
    dismissed = ("dismissed", "驳回起诉")
    withdrawn = ("withdrawn", "撤诉")
    remanded = ("remanded", "发回重审")
    not_applicable = ("not_applicable", "不适用")


class ReconsiderationOutcome(ZhEnum):
    """行政复议决定 (行政复议法 2023 §63–§74): what a reconsideration body decided about the agency's act."""

    varied = ("varied", "变更")
    revoked = ("revoked", "撤销")
    partly_revoked = ("partly_revoked", "部分撤销")
    declared_unlawful = ("declared_unlawful", "确认违法")
    declared_void = ("declared_void", "确认无效")
    ordered_to_act = ("ordered_to_act", "责令履行")
    upheld = ("upheld", "维持")
    request_rejected = ("request_rejected", "驳回复议请求")
    terminated = ("terminated", "终止")
    settled = ("settled", "调解/和解")


# 复议纠错: a reconsideration decision that corrects the agency (counted per agency beside 诉讼败诉; loss
# causes apply as to a court loss). A reconsideration decision is never a suit: not in 发案量 or 败诉率.
RECONSIDERATION_CORRECTIONS = frozenset(
    {
        ReconsiderationOutcome.varied,
        ReconsiderationOutcome.revoked,
        ReconsiderationOutcome.partly_revoked,
        ReconsiderationOutcome.declared_unlawful,
        ReconsiderationOutcome.declared_void,
        ReconsiderationOutcome.ordered_to_act,
    }
)


class LossCause(ZhEnum):
    passive_defence = ("passive_defence", "消极应诉")
    inaction = ("inaction", "执法不作为")
    procedure = ("procedure", "违反法定程序")
    law_application = ("law_application", "适用法律错误")
    insufficient_evidence = ("insufficient_evidence", "主要证据不足")
    ultra_vires = ("ultra_vires", "超越职权")
    abuse_of_power = ("abuse_of_power", "滥用职权")
    manifestly_improper = ("manifestly_improper", "明显不当")
    other = ("other", "其他")


class ActionType(ZhEnum):
    penalty = ("penalty", "行政处罚")
    coercion = ("coercion", "行政强制")
    expropriation = ("expropriation", "行政征收征用")
    licensing = ("licensing", "行政许可")
    registration = ("registration", "行政登记")
    confirmation = ("confirmation", "行政确认")
    information_disclosure = ("information_disclosure", "政府信息公开")
    reconsideration = ("reconsideration", "行政复议")
    nonperformance = ("nonperformance", "不履行法定职责")
    agreement = ("agreement", "行政协议")
    compensation = ("compensation", "行政赔偿")
    adjudication = ("adjudication", "行政裁决")
    benefit = ("benefit", "行政给付")
    other = ("other", "其他")


class Field(ZhEnum):
    natural_resources = ("natural_resources", "自然资源")
    housing_construction = ("housing_construction", "住房城乡建设")
    urban_management = ("urban_management", "城市管理综合执法")
    public_security = ("public_security", "公安")
    market_regulation = ("market_regulation", "市场监管")
    human_resources = ("human_resources", "人力资源社会保障")
    environment = ("environment", "生态环境")
    transport = ("transport", "交通运输")
    agriculture = ("agriculture", "农业农村")
    health = ("health", "卫生健康")
    education = ("education", "教育")
    tax_finance = ("tax_finance", "税务财政")
    intellectual_property = ("intellectual_property", "知识产权")
    civil_affairs = ("civil_affairs", "民政")
    local_government = ("local_government", "乡镇街道及县级政府综合")
    other = ("other", "其他")


class SectionName(ZhEnum):
    header = ("header", "首部")
    parties = ("parties", "当事人")
    history = ("history", "审理经过")
    claims = ("claims", "诉称")
    defence = ("defence", "辩称")
    findings = ("findings", "经审理查明")
    reasoning = ("reasoning", "本院认为")
    # the lower court's reasoning an upheld appeal or retrial review endorses (set by classify, not the parser)
    endorsed = ("endorsed", "原审法院认为（本院认可）")
    operative = ("operative", "判决主文")
    footer = ("footer", "尾部")


class DocumentStatus(ZhEnum):
    stored = ("stored", "已入库")
    linked = ("linked", "已关联")
    duplicate = ("duplicate", "重复")
    rejected = ("rejected", "已拒收")


class RejectReason(ZhEnum):
    empty = ("empty", "空文件")
    not_pdf = ("not_pdf", "不是PDF文件")
    encrypted = ("encrypted", "文件已加密")
    corrupt = ("corrupt", "文件损坏或不完整")
    not_judgment = ("not_judgment", "不是裁判文书")
    too_long = ("too_long", "页数或体积超过上限")
    blank = ("blank", "文件没有内容")
    timeout = ("timeout", "读取超时")
    ocr_failed = ("ocr_failed", "文字识别失败")
    unsupported = ("unsupported", "不支持的文件类型")
