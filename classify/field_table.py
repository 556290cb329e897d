"""Data: the enforcement field read from the defendant's (or applicant's) name.

Rows are tried in order against each agency name; the first hit wins. A general government
(人民政府, 乡/镇, 街道办事处) acts in many fields, so it has no row here: the model decides from the text.
"""

from __future__ import annotations

FIELD_BY_AGENCY: list[tuple[str, str]] = [
    # a comprehensive enforcement team named after a sector takes that sector (TAXONOMY)
    (r"交通(运输)?(综合)?(行政)?执法", "transport"),
    (r"农业(农村)?(综合)?(行政)?执法", "agriculture"),
    (r"市场监(管|督管理)(综合)?(行政)?执法", "market_regulation"),
    (r"生态环境(保护)?(综合)?(行政)?执法", "environment"),
    (r"人力资源|社会保障|社会保险|社保|医疗保障|医保|劳动(保障)?监察|人社", "human_resources"),
    (r"自然保护区|湿地(保护)?管理", "environment"),
    (r"安全生产监督|安全生产监管|安监|应急管理", "other"),  # no row of their own yet (TAXONOMY)
    (r"公安|派出所|交通警察|交警|交通管理(支队|大队)|交管|消防", "public_security"),
    (
        r"自然资源|国土资源|国土局|规划局|规划委员会|规划和|不动产登记|土地(开发|储备|整理)|确权登记|自规|规自|资规",
        "natural_resources",
    ),
    (r"住房|住建|城乡建设|建设局|建设委员会|房屋征收|房管|房屋管理|公积金|城区改造", "housing_construction"),
    (r"城市管理|城管|综合行政执法|综合执法", "urban_management"),
    (r"市场监督|市场监管|市监|工商|质量技术监督|质监|食品药品|药品监督", "market_regulation"),
    (r"生态环境|环境保护|环保", "environment"),
    (r"交通运输|交通委员会|交通局|运输管理|运管|出租车管理|交通行政执法|公路管理|港航|海事", "transport"),
    (r"农业|农牧|林业|草原|水利|水务|畜牧|渔业|农村", "agriculture"),
    (r"卫生|卫健|计划生育|健康委|疾病预防", "health"),
    (r"教育局|教育委员会|教育厅|教育部", "education"),
    (r"税务|财政", "tax_finance"),
    (r"知识产权|专利|商标", "intellectual_property"),
    (r"民政(局|厅|部)|(?<!人)民政事务", "civil_affairs"),
]

# A government, township, street office or development-zone committee: the legal basis or subject
# matter of the sued act decides (TAXONOMY); only when nothing settles it → local_government.
GENERAL_GOVERNMENT = r"人民政府|街道办事处|街道办|乡政府|镇政府|管理委员会|管委会"
# The legal basis first: the laws the judgment cites.
FIELD_BY_LAW: list[tuple[str, str]] = [
    (r"房屋征收与补偿条例|城市房屋拆迁管理条例|房屋征收评估", "housing_construction"),
    (r"城乡规划法|土地管理法|土地管理法实施条例|土地储备|不动产登记暂行条例", "natural_resources"),
    (r"农村土地承包|森林法|草原法|水法|水土保持法", "agriculture"),
    (r"社会保险法|工伤保险条例", "human_resources"),
]
# Then the subject matter named by the 案由, the claims and the sued act.
FIELD_BY_SUBJECT: list[tuple[str, str]] = [
    (
        r"房屋征收|国有土地上房屋|征收补偿协议|房屋拆迁|拆迁|安置补偿|补偿安置|棚户区|旧城改造|旧村改造|物业|业主",
        "housing_construction",
    ),
    (r"土地承包|承包经营权|林权|林地|草原|水利", "agriculture"),
    (
        r"违法建筑|违章建筑|违法建设|违建|拆除|强制清除|非法占地|违法占地|宅基地|土地|规划",
        "natural_resources",
    ),
    (r"城管|市容|环境卫生|占道", "urban_management"),
    (r"工伤|养老|社会保险|社保|失地农民|劳动", "human_resources"),
    (r"计划生育|社会抚养费", "health"),
]
