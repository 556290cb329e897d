"""Data: the enforcement field read from the defendant's (or applicant's) name.

Rows are tried in order against each agency name; the first hit wins. A general government
(人民政府, 乡/镇, 街道办事处) acts in many fields, so it has no row here: the model decides from the text.
"""

from __future__ import annotations

FIELD_BY_AGENCY: list[tuple[str, str]] = [
    (r"人力资源|社会保障|社保|医疗保障|医保|劳动(保障)?监察", "human_resources"),
    (r"公安|派出所|交通警察|交警|交通管理(支队|大队)|交管|消防", "public_security"),
    (
        r"自然资源|国土资源|国土局|规划局|规划委员会|不动产登记|土地(开发|储备|整理)|确权登记",
        "natural_resources",
    ),
    (r"住房|住建|城乡建设|建设局|建设委员会|房屋征收|房管|房屋管理|公积金|城区改造", "housing_construction"),
    (r"城市管理|城管|综合行政执法|综合执法", "urban_management"),
    (r"市场监督|市场监管|工商|质量技术监督|质监|食品药品|药品监督", "market_regulation"),
    (r"生态环境|环境保护|环保", "environment"),
    (r"交通运输|交通委员会|交通局|运输管理|运管|出租车管理|交通行政执法|公路管理|港航|海事", "transport"),
    (r"农业|农牧|林业|草原|水利|水务|畜牧|渔业|农村", "agriculture"),
    (r"卫生|计划生育|健康委|疾病预防", "health"),
    (r"教育局|教育委员会|教育厅|教育部", "education"),
    (r"税务|财政", "tax_finance"),
    (r"知识产权|专利|商标", "intellectual_property"),
    (r"民政(局|厅|部)|(?<!人)民政事务", "civil_affairs"),
]

# A general government (人民政府, 乡/镇, 街道办事处) doing what any government does — deciding an
# administrative reconsideration or answering an information request — acts as local_government.
GENERAL_GOVERNMENT = r"人民政府|街道办事处|乡政府|镇政府|管理委员会"
GENERAL_GOVERNMENT_ACTIONS: frozenset[str] = frozenset({"reconsideration", "information_disclosure"})
