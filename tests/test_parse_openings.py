"""Records from the shapes courts write that the dev corpus barely has (issue 12).

Every judgment here is written for the test: a header, an opening in one of the shapes a court uses,
a reasoning line and a signature block. Names, places and numbers are made up; the shapes are real.
"""

from __future__ import annotations

import pytest

from core.taxonomy import Procedure
from ingest.fields import find_case_no, find_date, find_filing_date
from ingest.parse import parse_text
from ingest.party_names import looks_like_agency

_REASONING = "本院认为，{r}\n依照《中华人民共和国行政诉讼法》第{a}条之规定，{k}如下：\n{o}\n"
_SIGNATURE = "审判长　陈立明\n审判员　吴小燕\n二〇二三年六月十二日\n书记员　王芳"


def judgment(
    body: str,
    *,
    court: str = "浙江省临海市人民法院",
    title: str = "行政判决书",
    case_no: str = "（2023）浙1082行初57号",
    order: str = "驳回原告的诉讼请求。",
    signature: str = _SIGNATURE,
) -> str:
    kind = "裁定" if "裁定" in title else "判决"
    tail = _REASONING.format(r="被诉行为证据确凿。", a="六十九", k=kind, o=order)
    return f"{court}\n{title}\n{case_no}\n{body}\n{tail}{signature}"


# --- openings without 一案 -------------------------------------------------------------------------


def test_refusal_to_docket_names_the_filers_and_the_agency_sued() -> None:
    """GIVEN a 不予立案 ruling that opens with a date and 本院收到起诉人…的行政起诉状
    THEN the filers are the plaintiffs and the agency they sue is the defendant."""
    text = judgment(
        "2023年5月8日，本院收到起诉人周建国、周建民的行政起诉状，起诉人以临海市自然资源和规划局为被告，"
        "请求撤销临自然资规罚〔2023〕12号行政处罚决定。",
        title="行政裁定书",
        order="对周建国、周建民的起诉，本院不予立案。",
    )
    record = parse_text(text)
    assert record.plaintiffs == ["周建国", "周建民"]
    assert record.defendants == ["临海市自然资源和规划局"]


def test_refusal_to_docket_without_a_named_defendant_takes_the_agency_whose_act_is_challenged() -> None:
    text = judgment(
        "本院于2023年4月3日收到起诉人林小平提交的起诉状，请求撤销三门县市场监督管理局作出的行政处罚决定。",
        title="行政裁定书",
        order="对林小平的起诉，本院不予立案。",
    )
    record = parse_text(text)
    assert record.plaintiffs == ["林小平"]
    assert record.defendants == ["三门县市场监督管理局"]


def test_withdrawal_ruling_opening_in_the_course_of_the_trial() -> None:
    """GIVEN a 撤诉 ruling: 本院在审理原告〈name〉诉被告〈agency〉〈claim〉案过程中…"""
    text = judgment(
        "本院在审理原告李秀英诉被告宁海县市场监督管理局行政处罚案过程中，原告李秀英于2023年6月2日"
        "向本院提出撤诉申请。",
        title="行政裁定书",
        order="准许原告李秀英撤回起诉。",
    )
    record = parse_text(text)
    assert record.plaintiffs == ["李秀英"]
    assert record.defendants == ["宁海县市场监督管理局"]


# --- the opening sentence split rightly -------------------------------------------------------------


def test_short_names_that_are_role_words_do_not_start_new_parties() -> None:
    text = judgment(
        "原告王建军（以下简称原告）诉被告江山市人民政府（以下简称被告）土地行政征收一案，本院于2022年3月1日"
        "立案后，依法组成合议庭，公开开庭审理了本案。"
    )
    record = parse_text(text)
    assert record.plaintiffs == ["王建军"]
    assert record.defendants == ["江山市人民政府"]


def test_procedural_clause_after_the_case_is_not_read_as_parties() -> None:
    text = judgment(
        "原告赵丽娟诉被告衢州市柯城区住房和城乡建设局房屋登记一案，本院受理后依法向被告送达了起诉状副本，"
        "被告在法定期限内提交了答辩状及证据，本院依法组成合议庭公开开庭审理了本案。"
    )
    record = parse_text(text)
    assert record.plaintiffs == ["赵丽娟"]
    assert record.defendants == ["衢州市柯城区住房和城乡建设局"]


def test_a_name_followed_directly_by_a_verb_is_cut_at_the_verb() -> None:
    text = judgment(
        "原告孙志刚要求确认被告龙游县湖镇镇人民政府强制拆除房屋行为违法一案，本院受理后依法审理。"
    )
    record = parse_text(text)
    assert record.plaintiffs == ["孙志刚"]
    assert record.defendants == ["龙游县湖镇镇人民政府"]


@pytest.mark.parametrize(
    ("claim", "agency"),
    [
        ("政府信息公开", "常山县人民政府"),
        ("局务公开", "常山县财政局"),
        ("中心城区房屋征收补偿", "常山县住房和城乡建设局"),
        ("政府采购投诉处理决定", "常山县财政局"),
        ("治安管理处罚", "常山县公安局"),
    ],
)
def test_a_cause_of_action_starting_with_an_agency_word_is_not_fused_to_the_agency(
    claim: str, agency: str
) -> None:
    record = parse_text(judgment(f"原告钱玉兰诉被告{agency}{claim}一案，本院于2023年1月5日立案后依法审理。"))
    assert record.defendants == [agency]


# --- courts are never parties ----------------------------------------------------------------------


def test_the_lower_court_is_not_a_defendant_of_the_appeal() -> None:
    text = judgment(
        "上诉人郑海涛因诉被上诉人开化县公安局治安管理处罚一案，不服浙江省开化县人民法院（以下简称一审法院）"
        "（2022）浙0824行初33号行政判决，向本院提起上诉。本院依法组成合议庭审理了本案。",
        court="浙江省衢州市中级人民法院",
        case_no="（2023）浙08行终12号",
        order="驳回上诉，维持原判。",
    )
    record = parse_text(text)
    assert record.procedure == Procedure.appeal
    assert record.plaintiffs == ["郑海涛"]
    assert record.defendants == ["开化县公安局"]
    assert record.first_instance is not None
    assert record.first_instance.court == "浙江省开化县人民法院"
    assert record.first_instance.case_no == "（2022）浙0824行初33号"


@pytest.mark.parametrize("name", ["浙江省开化县人民法院", "开化县人民法院华埠人民法庭", "一审法院"])
def test_a_court_is_never_an_agency(name: str) -> None:
    assert not looks_like_agency(name)


# --- parties role-marked only later ------------------------------------------------------------------


def test_second_defendant_marked_only_in_the_attendance_sentence_and_its_defence() -> None:
    """GIVEN a reconsideration body sued jointly, named in the party block only by the first defendant
    THEN it is read from 被告〈agency〉的委托代理人… and 被告〈agency〉辩称."""
    text = judgment(
        "原告徐志军，男，1975年3月2日出生，汉族，住临海市古城街道。\n"
        "被告临海市人力资源和社会保障局，住所地临海市东方大道。\n"
        "法定代表人陈一鸣，局长。\n"
        "原告徐志军不服被告临海市人力资源和社会保障局工伤认定及复议一案，本院于2023年2月1日立案后，"
        "依法组成合议庭，公开开庭审理了本案。原告徐志军，被告临海市人力资源和社会保障局的委托代理人张明、"
        "被告临海市人民政府的委托代理人李华到庭参加诉讼。\n"
        "原告徐志军诉称，被诉决定认定事实错误。\n"
        "被告临海市人力资源和社会保障局辩称，被诉决定合法。\n"
        "被告临海市人民政府辩称，复议程序合法。"
    )
    record = parse_text(text)
    assert record.plaintiffs == ["徐志军"]
    assert record.defendants == ["临海市人力资源和社会保障局", "临海市人民政府"]


def test_a_plaintiff_whose_name_ends_like_an_agency_word_is_not_a_defendant() -> None:
    for name in ("张国会", "李建部", "王仁所"):
        assert not looks_like_agency(name), name


# --- 工商 bodies are agencies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "国家工商行政管理总局商标评审委员会",
        "永嘉县工商行政管理局桥头工商所",
        "温州市工商行政管理局经济检查支队",
    ],
)
def test_commerce_administration_bodies_are_agencies(name: str) -> None:
    assert looks_like_agency(name)


def test_a_trading_firm_is_still_not_an_agency() -> None:
    assert not looks_like_agency("永嘉县桥头镇兴旺商行")


def test_commerce_bureau_defendant_from_a_party_line() -> None:
    text = judgment(
        "原告温州市瓯海兴达鞋业有限公司，住所地温州市瓯海区。\n"
        "被告温州市工商行政管理局经济检查支队，住所地温州市鹿城区。\n"
        "原告温州市瓯海兴达鞋业有限公司不服被告行政处罚一案，本院受理后依法审理。",
        court="浙江省温州市鹿城区人民法院",
        case_no="（2016）浙0302行初120号",
    )
    record = parse_text(text)
    assert record.defendants == ["温州市工商行政管理局经济检查支队"]
    assert record.plaintiffs == ["温州市瓯海兴达鞋业有限公司"]


# --- case numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "（2O19）浙0302行初88号",  # letter O for zero
        "（2Ｏ19）浙0302行初88号",  # full-width O
        "（二〇19）浙0302行初88号",
        "（2019浙0302行初88号",  # closing bracket lost
        "2019）浙0302行初88号",  # opening bracket lost
        "\\2019）浙0302行初88号",  # opening bracket read as a backslash
        "（2019）·浙0302行初88号",  # a speck before the province
    ],
)
def test_case_number_line_with_a_typo_is_still_read(line: str) -> None:
    head = f"浙江省温州市鹿城区人民法院\n行政判决书\n{line}\n原告张某。"
    assert find_case_no(head)[0] == "（2019）浙0302行初88号"


def test_fallback_never_takes_an_agency_document_number_for_the_case_number() -> None:
    norm = "原告张某不服被告作出的温鹿政罚〔2018〕15号行政处罚决定，向本院提起诉讼。"
    assert find_case_no(norm)[0] is None


def test_fallback_takes_a_court_case_number_from_the_body() -> None:
    norm = "原告张某不服温政复〔2018〕3号复议决定一案，本院作出（2018）浙0302行初9号行政判决。"
    assert find_case_no(norm)[0] == "（2018）浙0302行初9号"


# --- the court repaired from the case number's division code ------------------------------------------


@pytest.mark.parametrize(
    ("read_as", "expected"),
    [
        ("浙江省温州市麓械区人民法院", "浙江省温州市鹿城区人民法院"),  # two characters misread
        ("浙江省温州市鹿城城区人民法院", "浙江省温州市鹿城区人民法院"),  # a stray character
        ("温州市鹿成区人民法院", "温州市鹿城区人民法院"),  # the province not written
    ],
)
def test_scan_misreads_of_the_court_are_repaired_from_the_division_code(read_as: str, expected: str) -> None:
    record = parse_text(
        judgment(
            "原告张某诉被告温州市鹿城区人民政府行政强制一案，本院依法审理。",
            court=read_as,
            case_no="（2019）浙0302行初88号",
        )
    )
    assert record.court == expected


def test_intermediate_court_repaired_from_the_two_digit_code() -> None:
    record = parse_text(
        judgment(
            "上诉人张某因诉被上诉人芜湖市人民政府行政复议一案，不服芜湖市镜湖区人民法院（2019）皖0202行初5号"
            "行政判决，向本院提起上诉。",
            court="安徽省羌湖市中级人民法院",
            case_no="（2020）皖02行终121号",
            order="驳回上诉，维持原判。",
        )
    )
    assert record.court == "安徽省芜湖市中级人民法院"


def test_a_court_whose_code_maps_to_no_division_is_left_as_written() -> None:
    record = parse_text(
        judgment(
            "原告张某诉被告某某局行政处罚一案。", court="上海铁路运输法院", case_no="（2019）沪7101行初88号"
        )
    )
    assert record.court == "上海铁路运输法院"


def test_a_correct_court_is_never_changed_by_the_code() -> None:
    # renamed districts keep their old code: the name as written wins when it is a real division
    record = parse_text(
        judgment(
            "原告张某诉被告某某局行政处罚一案。",
            court="浙江省临海市人民法院",
            case_no="（2019）浙1082行初5号",
        )
    )
    assert record.court == "浙江省临海市人民法院"


# --- dates -----------------------------------------------------------------------------------------


def test_masked_signature_date_is_null_and_the_publication_date_kept_apart() -> None:
    text = judgment(
        "原告张某诉被告某某县公安局治安行政处罚一案，本院依法审理。",
        signature="审判长　×××\n××××年××月××日\n书记员　×××",
    )
    record = parse_text(text, ["中国裁判文书网", "发布日期：2022-03-31"])
    assert record.judgment_date is None
    assert (record.published_date, record.published_date_source) == ("2022-03-31", "web_metadata")


def test_a_seal_over_the_year_losing_its_first_digit_is_completed_from_the_case_year() -> None:
    norm = "本院认为，被诉行为合法。\n审判长　陈立明\n〇一九年三月五日\n书记员　王芳"
    assert find_date(norm, case_year=2019) == "2019-03-05"
    assert find_date(norm) is None  # without the case year the date is unknown


@pytest.mark.parametrize(
    ("sentence", "procedure", "expected"),
    [
        (
            "原告张某诉被告某某局行政处罚一案，本院于2023年1月5日立案后，依法组成合议庭。",
            Procedure.first,
            ("2023-01-05", "docketed"),
        ),
        (
            "原告张某诉被告某某局行政处罚一案，本院于二〇二三年一月五日受理后，依法组成合议庭。",
            Procedure.first,
            ("2023-01-05", "accepted"),
        ),
        (
            "原告张某不服该决定，于2022年12月20日，向本院提起行政诉讼。",
            Procedure.first,
            ("2022-12-20", "filed"),
        ),
        ("本院受理时间：2019年4月4日", Procedure.first, ("2019-04-04", "docketed")),
        # an appeal: its own docket is not the filing date; the first instance's is
        (
            "上诉人张某因行政处罚一案，不服一审判决，向本院提起上诉。本院于2023年5月6日立案后依法审理。",
            Procedure.appeal,
            (None, None),
        ),
        (
            "原审原告张某于2022年11月2日向一审法院提起行政诉讼，请求撤销被诉决定。",
            Procedure.appeal,
            ("2022-11-02", "first_instance"),
        ),
        ("一审法院于2022年11月3日立案受理。", Procedure.appeal, ("2022-11-03", "first_instance")),
        # an agency's docket is not the court's
        ("被告于2022年3月1日立案调查，并于同日受理。", Procedure.first, (None, None)),
    ],
)
def test_filing_date(sentence: str, procedure: Procedure, expected: tuple[str | None, str | None]) -> None:
    assert find_filing_date(sentence, procedure) == expected


def test_filing_date_is_on_the_record() -> None:
    record = parse_text(
        judgment("原告张某诉被告某某县公安局治安行政处罚一案，本院于2023年1月5日立案后依法审理。")
    )
    assert (record.filing_date, record.filing_date_source) == ("2023-01-05", "docketed")


# --- smaller shapes ------------------------------------------------------------------------------------

_BLOCK = (
    "原告张小明，男，1980年1月1日出生，汉族，住临海市。\n"
    "被告临海市综合行政执法局，住所地临海市。\n"
    "法定代表人陈一鸣，局长。\n"
    "{agent}\n"
    "原告张小明诉被告临海市综合行政执法局行政强制一案，本院于2023年2月1日立案后依法公开开庭审理了本案。"
    "原告张小明，被告临海市综合行政执法局的委托代理人刘伟到庭参加诉讼。"
)


@pytest.mark.parametrize(
    ("agent", "appeared"),
    [
        ("委托代理人刘伟，该局副局长。", True),
        ("委托代理人刘伟，男，该局党组成员、副局长。", True),
        ("委托代理人刘伟，该局法制科科长。", False),
        ("委托代理人刘伟，浙江某某律师事务所律师。", False),
        ("委托代理人刘伟，该局四级主任科员。", False),
    ],
)
def test_an_agent_whose_title_makes_them_a_deputy_head_counts_as_the_head(agent: str, appeared: bool) -> None:
    record = parse_text(judgment(_BLOCK.format(agent=agent)))
    assert record.agency_head_appeared is appeared


def test_two_agencies_on_one_party_line() -> None:
    text = judgment(
        "原告张小明，住临海市。\n被告临海市公安局，临海市公安局交通警察大队。\n"
        "原告张小明不服被告行政处罚一案，本院受理后依法审理。"
    )
    assert parse_text(text).defendants == ["临海市公安局", "临海市公安局交通警察大队"]


def test_a_business_listed_beside_an_agency_is_not_a_defendant() -> None:
    text = judgment(
        "原告张小明，住临海市。\n被告临海市自然资源和规划局、临海市宏达房地产开发有限公司。\n"
        "原告张小明不服被告土地登记一案，本院受理后依法审理。"
    )
    assert parse_text(text).defendants == ["临海市自然资源和规划局"]


def test_the_ocr_vote_never_merges_two_co_plaintiffs() -> None:
    """Co-plaintiffs whose names differ in one character, each named several times, stay two people."""
    text = judgment(
        "原告张小明，住临海市。\n原告张小朋，住临海市。\n被告临海市人民政府。\n"
        "原告张小明、张小朋诉被告临海市人民政府行政征收一案，本院受理后依法审理。"
        "原告张小朋诉称，原告张小朋的房屋被征收。原告张小朋认为补偿过低。原告张小明诉称同上。"
    )
    assert parse_text(text).plaintiffs == ["张小明", "张小朋"]


def test_a_signature_date_whose_last_character_the_seal_hid() -> None:
    norm = "本院认为，被诉行为合法。\n审判长　陈立明\n二〇一六年三月十五\n书记员　王芳"
    assert find_date(norm) == "2016-03-15"


@pytest.mark.parametrize(
    ("case_no", "court", "expected"),
    [
        ("（2013）小行初字第52号", "湖南省溆浦县人民法院", "（2013）溆行初字第52号"),  # 溆 misread
        ("（2013）溆行初字第52号", "湖南省溆浦县人民法院", "（2013）溆行初字第52号"),
        ("（2014）辉行初字第199号", "辉县市人民法院", "（2014）辉行初字第199号"),
        ("（2014）新中行终字第5号", "河南省新乡市中级人民法院", "（2014）新中行终字第5号"),
    ],
)
def test_old_style_place_character_repaired_from_the_court(case_no: str, court: str, expected: str) -> None:
    from ingest.fields import repair_old_style_place

    assert repair_old_style_place(case_no, court) == expected


# --- openings without a party block, one per procedure ----------------------------------------------

_SHAPES = [
    (
        "再审申请人赵大勇因诉被申请人浙江省人民政府、台州市人民政府土地行政复议一案，不服浙江省高级人民法院"
        "（2022）浙行终100号行政判决，向本院申请再审。",
        {"court": "中华人民共和国最高人民法院", "case_no": "（2023）最高法行申1234号", "title": "行政裁定书"},
        (["赵大勇"], ["浙江省人民政府", "台州市人民政府"], []),
    ),
    (
        "本院在审理原告陈美华诉被告临海市人民政府房屋征收补偿决定一案中，发现本案不属于本院管辖，依法应当移送。",
        {"title": "行政裁定书"},
        (["陈美华"], ["临海市人民政府"], []),
    ),
    (
        "原告甲某公司、王小二、李三不服被告临海市市场监督管理局行政处罚决定，于2023年2月3日向本院提起行政诉讼。",
        {},
        (["甲某公司", "王小二", "李三"], ["临海市市场监督管理局"], []),
    ),
    (
        "原告周一与被告临海市公安局、第三人郑二治安行政处罚纠纷一案，本院于2023年1月10日立案后依法审理。",
        {},
        (["周一"], ["临海市公安局"], ["郑二"]),
    ),
    (
        "上诉人临海市人力资源和社会保障局因与被上诉人浙江某某建设有限公司、原审第三人李四工伤认定一案，"
        "不服临海市人民法院（2022）浙1082行初99号行政判决，向本院提起上诉。",
        {"court": "浙江省台州市中级人民法院", "case_no": "（2023）浙10行终30号"},
        (["浙江某某建设有限公司"], ["临海市人力资源和社会保障局"], ["李四"]),
    ),
    (
        "原告方六诉被告临海市人民政府、第三人临海市自然资源和规划局土地行政登记一案，本院于2023年3月1日立案。",
        {},
        (["方六"], ["临海市人民政府"], ["临海市自然资源和规划局"]),
    ),
    (
        "起诉人吴七不服临海市公安局作出的行政处罚决定，向本院提起行政诉讼。",
        {"title": "行政裁定书"},
        (["吴七"], ["临海市公安局"], []),
    ),
    (
        "原告吴某某诉被告临海市古城街道办事处、临海市综合行政执法局强制拆除一案，本院依法审理。",
        {},
        (["吴某某"], ["临海市古城街道办事处", "临海市综合行政执法局"], []),
    ),
]


@pytest.mark.parametrize(("body", "header", "parties"), _SHAPES)
def test_parties_from_openings_without_a_party_block(
    body: str, header: dict, parties: tuple[list[str], list[str], list[str]]
) -> None:
    record = parse_text(judgment(body, **header))
    assert (record.plaintiffs, record.defendants, record.third_parties) == parties


def test_enforcement_review_opening_names_applicant_and_respondent() -> None:
    body = "申请执行人临海市自然资源和规划局申请强制执行被执行人王阿三土地行政处罚一案，本院受理后依法进行了审查。"
    record = parse_text(judgment(body, title="行政裁定书", case_no="（2023）浙1082行审12号"))
    assert (record.applicants, record.respondents, record.defendants) == (
        ["临海市自然资源和规划局"],
        ["王阿三"],
        [],
    )


@pytest.mark.parametrize(
    ("appearance", "appeared"),
    [
        ("原告张三和被告某某县自然资源局的委托代理人孙八、郑九到庭参加了诉讼。", False),
        (
            "原告张三，被告某某县自然资源局的委托诉讼代理人孙八到庭参加诉讼。被告某某县自然资源局负责人钱七出庭应诉。",
            True,
        ),
        ("原告张三，被告某某县自然资源局的委托代理人孙八到庭参加诉讼。", False),
    ],
)
def test_attendance_told_over_two_sentences_or_joined_by_he(appearance: str, appeared: bool) -> None:
    from tests.test_parse_fields import _HEAD_DOC

    text = _HEAD_DOC.replace("{A}", appearance).replace(
        "本院认为，被诉行为违法。", "本院认为，行政机关负责人应当出庭应诉。"
    )
    assert parse_text(text).agency_head_appeared is appeared


# --- the reconsideration body sued jointly ---------------------------------------------------------------

_JOINT = (
    "原告徐志军，住临海市。\n被告临海市市场监督管理局，住所地临海市。\n被告临海市人民政府，住所地临海市。\n"
    "原告徐志军不服被告临海市市场监督管理局行政处罚及被告临海市人民政府行政复议一案，本院受理后依法审理。\n"
    "经审理查明，2022年5月6日，临海市市场监督管理局作出临市监罚〔2022〕9号行政处罚决定。原告不服，"
    "{review}"
)


@pytest.mark.parametrize(
    "review",
    [
        "向临海市人民政府申请行政复议。临海市人民政府于2022年8月1日作出临政复决〔2022〕33号行政复议决定，维持该处罚决定。",
        "于2022年6月1日向被告临海市人民政府提出复议申请。",
        "申请复议后，临海市人民政府作出行政复议决定，驳回原告的复议申请。",
    ],
)
def test_the_body_that_upheld_the_act_on_reconsideration_is_marked(review: str) -> None:
    record = parse_text(judgment(_JOINT.format(review=review)))
    assert record.defendants == ["临海市市场监督管理局", "临海市人民政府"]
    assert record.defendant_roles == {"临海市人民政府": "reconsideration_body"}


def test_a_sole_defendant_is_never_a_reconsideration_body() -> None:
    text = judgment(
        "原告徐志军不服被告临海市人民政府行政复议决定一案，本院受理后依法审理。临海市人民政府作出行政复议决定，"
        "维持原行政行为。"
    )
    assert parse_text(text).defendant_roles == {}


_APPEAL = {
    "court": "浙江省台州市中级人民法院",
    "case_no": "（2023）浙10行终30号",
    "order": "驳回上诉，维持原判。",
}


@pytest.mark.parametrize(
    ("body", "parties"),
    [
        (
            "上诉人临海市人力资源和社会保障局与被上诉人林美玲及原审第三人临海市某某电器有限公司工伤认定一案，"
            "不服临海市人民法院（2022）浙1082行初99号行政判决，向本院提起上诉。",
            (["林美玲"], ["临海市人力资源和社会保障局"]),
        ),
        (
            "上诉人赵大勇因诉被上诉人临海市自然资源和规划局（以下简称临海资规局）土地行政登记、临海市人民政府"
            "（以下简称临海市政府）行政复议一案，不服临海市人民法院（2022）浙1082行初9号行政判决，向本院提起上诉。",
            (["赵大勇"], ["临海市自然资源和规划局", "临海市人民政府"]),
        ),
        (
            "临海市宏达建材有限公司（以下简称宏达公司）诉临海市市场监督管理局行政处罚一案，宏达公司不服临海市人民法院"
            "（2022）浙1082行初19号行政判决，向本院提起上诉。",
            (["临海市宏达建材有限公司"], ["临海市市场监督管理局"]),
        ),
        (
            "上诉人临海市综合行政执法局因与被上诉人临海市宏达建材有限公司行政纠纷一案，不服一审行政判决，向本院提起上诉。",
            (["临海市宏达建材有限公司"], ["临海市综合行政执法局"]),
        ),
    ],
)
def test_appeal_openings_without_a_party_block(body: str, parties: tuple[list[str], list[str]]) -> None:
    record = parse_text(judgment(body, **_APPEAL))
    assert (record.plaintiffs, record.defendants) == parties


def test_a_case_of_action_category_run_into_a_government_name() -> None:
    record = parse_text(judgment("原告刘小宏诉被告临海市白水洋镇人民政府乡政府一案，本院依法审理。"))
    assert record.defendants == ["临海市白水洋镇人民政府"]


def test_an_appellee_agency_marked_only_where_it_answers() -> None:
    """The reconsideration body named only as 被上诉人〈agency〉辩称; an undefined short form is not a party."""
    text = judgment(
        "上诉人单小贤因诉临海市公安局治安行政处罚一案，不服临海市人民法院（2022）浙1082行初7号行政判决，向本院提起上诉。\n"
        "上诉人单小贤上诉称，一审判决错误。\n被上诉人台州市公安局辩称，复议程序合法。\n被上诉人市公安局答辩称，同意一审判决。",
        **_APPEAL,
    )
    assert parse_text(text).defendants == ["临海市公安局", "台州市公安局"]


def test_a_retrial_review_keys_to_the_first_instance_never_to_the_appeal_it_reviews() -> None:
    body = (
        "再审申请人赵大勇因诉被申请人临海市人民政府土地行政征收一案，不服浙江省高级人民法院（2022）浙行终100号"
        "行政判决，向本院申请再审。一审浙江省台州市中级人民法院（2021）浙10行初55号行政判决驳回赵大勇的诉讼请求。"
    )
    record = parse_text(
        judgment(
            body, court="中华人民共和国最高人民法院", case_no="（2023）最高法行申1234号", title="行政裁定书"
        )
    )
    assert record.first_instance is not None
    assert (record.first_instance.court, record.first_instance.case_no) == (
        "浙江省台州市中级人民法院",
        "（2021）浙10行初55号",
    )
    without = parse_text(
        judgment(
            body.split("一审")[0],
            court="中华人民共和国最高人民法院",
            case_no="（2023）最高法行申1234号",
            title="行政裁定书",
        )
    )
    assert without.first_instance is None or without.first_instance.case_no is None


@pytest.mark.parametrize(
    ("read_as", "expected"),
    [
        ("临海市人力资源和杜会保障局", "临海市人力资源和社会保障局"),
        ("临海市市场监督管埋局", "临海市市场监督管理局"),
        ("临海市住房和城乡建没局", "临海市住房和城乡建设局"),
        ("临海市人力资源和社会保障局", "临海市人力资源和社会保障局"),  # right as read
        ("台州市公安局交通警察大队", "台州市公安局交通警察大队"),  # 大队 and 支队 are both real
        ("浙江省自然资源厅", "浙江省自然资源厅"),  # a level is never changed
    ],
)
def test_one_misread_character_of_a_department_word(read_as: str, expected: str) -> None:
    from ingest.fields_places import repair_department

    assert repair_department(read_as) == expected


def test_a_real_department_word_is_never_turned_into_another() -> None:
    from ingest.fields_places import repair_department

    assert repair_department("上海市黄浦区住房保障和房屋管理局") == "上海市黄浦区住房保障和房屋管理局"
