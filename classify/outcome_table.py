"""Data: the operative orders a court writes, and what each means for the agency.

Each row is (ruling form as labelled in TAXONOMY.md, regular expression over the operative text).
Rows are tried in order; a form is listed once, in the order it first appears in the text.
``LOSS_FORMS`` are the orders that go against the agency (TAXONOMY.md, "agency_lost").
"""

from __future__ import annotations

RULING_FORMS: list[tuple[str, str]] = [
    ("驳回上诉", r"驳回[^。；\n]{0,30}上诉"),
    (
        "维持原判",
        r"维持原判|维持[^。；\n撤]{0,80}(行初|行终|行再)[^。；\n]{0,30}(行政)?判决|维持一审判决|维持原审判决",
    ),
    (
        "维持原裁定",
        r"维持原裁定|维持[^。；\n撤]{0,80}(行初|行终)[^。；\n]{0,30}(行政)?裁定|维持一审裁定|维持原审裁定",
    ),
    (
        "撤销一审判决",
        r"撤销[^。；\n]{0,80}(行初|行终|行再|原审|一审|二审)[^。；\n]{0,40}(判决|裁定)|撤销原判|撤销原审判决|撤销一审判决",
    ),
    (
        "部分撤销",
        r"部分撤销|撤销[^。；\n]{0,120}(中|第)[^。；\n]{0,60}(部分|内容|一项|二项|第[一二三四五六七八九十]+[项条])",
    ),
    ("部分撤销", r"撤销[^。；\n]{0,160}中(属于|关于|涉及|第)"),
    ("撤销", r"^撤销|撤销[^。；\n]{0,160}(决定|通知|答复|证|登记|认定|行为|告知书|处罚|复议|批复|书|公告)"),
    ("确认违法", r"确认[^。；\n]{0,200}违法|^被告[^。；\n]{0,200}违法。?$"),
    ("确认无效", r"确认[^。；\n]{0,120}无效"),
    ("确认协议有效", r"(协议|合同)[^。；\n]{0,10}有效"),
    ("责令重作", r"重新(作出|处理|认定|审查|调查|核定|办理|作|进行)"),
    (
        "责令履行",
        r"(责令|判令|限|^被告)[^。；\n]{0,80}(履行|答复|办理|处理|作出[^。；\n]{0,40}(决定|行政行为|答复)|颁发|给付|补发)",
    ),
    ("变更", r"变更[^。；\n]{0,80}(处罚|决定|罚款)"),
    ("判决赔偿", r"(赔偿|补偿)[^。；\n]{0,60}(元|损失)|(支付|返还|退还)[^。；\n]{0,40}(赔偿|补偿|罚款)"),
    ("判决支付", r"支付[^。；\n]{0,60}违约金"),
    ("继续履行协议", r"继续履行[^。；\n]{0,40}(协议|合同)"),
    ("驳回赔偿请求", r"驳回[^。；\n]{0,40}赔偿(请求|申请)"),
    ("驳回其他诉讼请求", r"驳回[^。；\n]{0,40}(其他|其余|其它)[^。；\n]{0,10}(诉讼)?请求"),
    ("驳回诉讼请求", r"驳回[^。；\n]{0,40}(诉讼请求|诉请)|^驳回[^。；\n]*(诉讼请求|诉请)"),
    ("驳回起诉", r"驳回[^。；\n]{0,40}起诉"),
    ("不予立案", r"不予立案|^(对[^。；\n]{0,40})?(的起诉)?不予受理"),
    # an appeal withdrawn or deemed withdrawn: the decision below takes effect
    ("准许撤回上诉", r"(准许|准予|同意)[^。；\n]{0,40}撤回[^。；\n]{0,10}上诉"),
    ("按撤回上诉处理", r"按[^。；\n]{0,10}撤回上诉处理|按[^。；\n]{0,6}自动撤回上诉"),
    ("准许撤诉", r"(准许|准予|同意)[^。；\n]{0,40}撤(回[^。；\n]{0,80}起诉|诉)"),
    ("按撤诉处理", r"按[^。；\n]{0,10}撤诉处理|按自动撤诉"),
    ("驳回再审申请", r"驳回[^。；\n]{0,40}再审申请"),
    ("发回重审", r"发回[^。；\n]{0,60}重(审|新审理)"),
    ("指令继续审理", r"指令[^。；\n]{0,60}(继续审理|再审|审理)"),
    ("不准予强制执行", r"(不准予|不予)[^。；\n]{0,20}(强制)?执行"),
    ("准予强制执行", r"准予[^。；\n]{0,30}强制执行"),
    ("准予执行", r"准予[^。；\n]{0,30}(?<!强制)执行"),
    ("补正笔误", r"笔误|更正为"),
    ("中止诉讼", r"中止[^。；\n]{0,10}(诉讼|审理)"),
    ("终结诉讼", r"终结[^。；\n]{0,10}(诉讼|审理)"),
    ("移送", r"移送[^。；\n]{0,30}(法院|审理|管辖)"),
]

# Orders against the agency.
LOSS_FORMS: frozenset[str] = frozenset(
    {
        "撤销",
        "部分撤销",
        "确认违法",
        "确认无效",
        "责令履行",
        "责令重作",
        "变更",
        "判决赔偿",
        "判决支付",
        "继续履行协议",
    }
)
# Merits rejections: the agency won.
WIN_FORMS: frozenset[str] = frozenset({"驳回诉讼请求", "驳回赔偿请求", "确认协议有效"})
DISMISS_FORMS: frozenset[str] = frozenset({"驳回起诉", "不予立案"})
WITHDRAW_FORMS: frozenset[str] = frozenset({"准许撤诉", "按撤诉处理"})
APPEAL_WITHDRAWN_FORMS: frozenset[str] = frozenset({"准许撤回上诉", "按撤回上诉处理"})
REMAND_FORMS: frozenset[str] = frozenset({"发回重审", "指令继续审理"})
ENFORCEMENT_FORMS: frozenset[str] = frozenset({"准予强制执行", "准予执行", "不准予强制执行"})
PROCEDURAL_FORMS: frozenset[str] = frozenset({"补正笔误", "中止诉讼", "终结诉讼", "移送"})
UPHOLD_FORMS: frozenset[str] = frozenset({"驳回上诉", "维持原判", "维持原裁定", "驳回再审申请"})

# What a document's own orders mean, strongest first: an enforcement review is never a loss, a withdrawal
# or remand decides the case whatever else is ordered, any order against the agency makes it a loss.
OUTCOME_PRECEDENCE: list[tuple[frozenset[str], str]] = [
    (ENFORCEMENT_FORMS, "not_applicable"),
    (WITHDRAW_FORMS, "withdrawn"),
    (REMAND_FORMS, "remanded"),
    (LOSS_FORMS, "agency_lost"),
    (DISMISS_FORMS, "dismissed"),
    (WIN_FORMS, "agency_won"),
    (PROCEDURAL_FORMS, "not_applicable"),
]

# The case number tells the procedure: （2016）冀08行终106号.
PROCEDURE_BY_CASE_CODE: list[tuple[str, str]] = [
    (r"行审|非诉|执审|行执", "enforcement_review"),
    (r"行申|行监|行提", "retrial_review"),
    (r"行再", "retrial"),
    (r"行终", "appeal"),
    (r"行初|行赔初", "first"),
    (r"行赔终", "appeal"),
]

# A withdrawal follows the agency's own correction (实质性化解) when the text says so.
CORRECTION_BEFORE_WITHDRAWAL = (
    r"(被告|行政机关|被申请人)[^。；\n]{0,40}(已|自行|主动)[^。；\n]{0,20}(撤销|撤回|改变|纠正|变更|重新作出|履行)|"
    r"实质性化解|(撤销|撤回|改变)了?[^。；\n]{0,30}(原|被诉)[^。；\n]{0,20}(决定|行为)"
)
