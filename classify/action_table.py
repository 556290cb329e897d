"""Data: the action type read from the cause of action (案由) as the judgment names it.

The 案由 sits in the "…诉…××一案" sentence (or the title, or the parser's ``cause_of_action``).
The row matching earliest in the phrase wins (行政处罚及行政赔偿 → penalty), ties by row order.
An application to enforce names what is enforced (申请强制执行…行政处罚决定 → penalty).
Where none hits, the model decides from the text.
"""

from __future__ import annotations

ACTION_BY_CASE_CAUSE: list[tuple[str, str]] = [
    (r"(申请|要求)(强制)?执行[^|]{0,60}?(处罚|罚款|罚决|非法占地|违法占地)", "penalty"),
    (r"(申请|要求)(强制)?执行[^|]{0,60}?(征收|社会抚养费)", "expropriation"),
    (r"信息公开", "information_disclosure"),
    (r"行政赔偿|国家赔偿|行政补偿|请求赔偿", "compensation"),
    # an agreement suit is often named by its subject (房屋征收补偿协议): the whole name is the act
    (r"[^|，。、]{0,14}(协议|行政合同)", "agreement"),
    (r"行政复议", "reconsideration"),
    (
        r"工伤|劳动能力鉴定|行政确认|行政认定|事故认定|认定[^，。]{0,6}决定|退休|医保|医疗保险待遇",
        "confirmation",
    ),
    (r"不履行[^，。|]{0,40}职责|履行[^，。|]{0,40}(法定)?职责|行政不作为|不作为", "nonperformance"),
    (r"强制拆除|强制执行|行政强制|强拆|查封|扣押|强制措施|强制清除|留置|限制人身自由", "coercion"),
    (r"行政处罚|处罚决定|罚款|拘留|治安管理", "penalty"),
    (r"征收|征用|拆迁|补偿安置|房屋征收", "expropriation"),
    (r"行政许可|许可证|审批", "licensing"),
    (r"登记|颁发[^，。]{0,6}证", "registration"),
    (r"行政裁决|无效宣告|专利|商标|复审", "adjudication"),
    (r"行政给付|抚恤|最低生活保障|社会救助|补助|给付", "benefit"),
]

# A category 案由 names a field of administration, not the act (房屋拆迁管理（拆迁）, 城市规划管理（规划）,
# 行政纠纷): it is read as saying nothing, and the claims and the sued act decide.
CATEGORY_CASE_CAUSE = (
    r"^[^|（(]{0,14}管理[（(][^）)|]{1,10}[）)]$|^(行政)?(纠纷|案由|争议|案件|行政行为)$|^行政$"
)

# The claims (诉讼请求: 请求判决撤销… / 判令被告履行… / 确认…违法) and the sued act's name, read when the
# 案由 says nothing. The earliest row to match wins, ties by row order.
ACTION_BY_CLAIM: list[tuple[str, str]] = [
    (r"信息公开", "information_disclosure"),
    (r"(判令|判决|责令|要求)[^，。；]{0,10}赔偿|赔偿[^，。；]{0,6}(损失|金|款)|行政赔偿", "compensation"),
    (r"协议", "agreement"),
    (r"复议决定", "reconsideration"),
    (
        r"(不履行|未履行|拒不履行|怠于履行|拖延履行)[^。；]{0,40}(职责|义务)|履行[^。；]{0,40}法定职责|(未|不)予?答复|行政不作为",
        "nonperformance",
    ),
    # 撤销…的认定: the act asked to be undone is a finding (…为文物的认定), not the court's 认定事实
    (r"工伤|劳动能力鉴定|事故认定|确认书|认定书|撤销[^，。；]{0,30}的认定", "confirmation"),
    (
        r"强制拆除|强拆|拆除[^。；]{0,10}(房屋|建筑|设施|厂房)|查封|扣押|强制清除|强制执行|强制措施",
        "coercion",
    ),
    (r"处罚|罚款|拘留|没收", "penalty"),
    (r"征收|补偿安置|安置补偿|拆迁", "expropriation"),
    (r"许可|审批|核准|备案", "licensing"),
    (r"登记|户口|颁发[^，。；]{0,8}证|权属证", "registration"),
    (r"抚恤|养老金|最低生活保障|低保|救助|补助|给付", "benefit"),
    (r"裁决|无效宣告|复审", "adjudication"),
]
