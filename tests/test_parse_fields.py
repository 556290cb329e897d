"""Field extraction on real sentences: dates, case numbers, procedure, citations, party roles."""

from __future__ import annotations

import pytest

from core.taxonomy import DocKind, Procedure
from ingest.citations import find_citations
from ingest.dates import cn_number, parse_cn_date
from ingest.fields import find_case_no, find_procedure
from ingest.normalize import normalize
from ingest.parties import find_aliases, original_role


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇一九年十月三十日", "2019-10-30"),
        ("二○○一年十二月二十七日", "2001-12-27"),  # ○ (circle) instead of 〇
        ("二O一四年七月十四日", "2014-07-14"),  # OCR reads 〇 as the letter O
        ("二0一八年五月七日", "2018-05-07"),  # or as a digit
        ("2019年3月1日", "2019-03-01"),
        ("××××年××月××日", None),  # placeholder of an anonymised copy
        ("二〇一九年二月三十日", None),  # impossible date
    ],
)
def test_parse_cn_date(text: str, expected: str | None) -> None:
    assert parse_cn_date(text) == expected


@pytest.mark.parametrize(
    ("text", "value"), [("七十", 70), ("十五", 15), ("一百零一", 101), ("二十一", 21), ("十", 10)]
)
def test_cn_number(text: str, value: int) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize(
    ("header", "case_no", "procedure"),
    [
        (
            "河北省石家庄市桥西区人民法院\n行政判决书\n（2018）冀0104行初41号\n",
            "（2018）冀0104行初41号",
            Procedure.first,
        ),
        (
            "浙江省高级人民法院\n行政裁定书\n（2019）浙行申520号\n",
            "（2019）浙行申520号",
            Procedure.retrial_review,
        ),
        (
            "浙江省三门县人民法院\n执行裁定书\n（2014）台三行审字第207号\n",
            "（2014）台三行审字第207号",
            Procedure.enforcement_review,
        ),
        (
            "河北省南宫市人民法院\n行政裁定书\n(2014)南行非审字第35号\n",
            "（2014）南行非审字第35号",
            Procedure.enforcement_review,
        ),
        (
            "浙江省高级人民法院\n行政判决书\n(2001)浙行再字第10号\n",
            "（2001）浙行再字第10号",
            Procedure.retrial,
        ),
        (
            "江苏省苏州市中级人民法院\n行政裁定书\n〔2015〕苏中行终字第00402号\n",
            "（2015）苏中行终字第00402号",
            Procedure.appeal,
        ),
        # OCR: 〔 read as [, the final 号 lost, spaces inserted
        (
            "甘肃省×××中级人民法院\n行 政 判 决 书\n[2023] 甘07行终 65\n",
            "（2023）甘07行终65号",
            Procedure.appeal,
        ),
    ],
)
def test_case_number_and_procedure(header: str, case_no: str, procedure: Procedure) -> None:
    norm, _ = normalize(header + "上诉人张三。\n")
    found, _ = find_case_no(norm)
    assert found == case_no
    assert find_procedure(found, None, norm) == procedure


def _cites(sentence: str) -> list[tuple[str, int | None, int | None, int | None]]:
    norm, offsets = normalize(sentence)
    return [(c.law, c.article, c.paragraph, c.item) for c in find_citations(sentence, norm, offsets)]


def test_citation_list_of_items_gives_one_citation_each() -> None:
    s = "依照《中华人民共和国行政诉讼法》第七十条第（一）、（二）项之规定，判决如下："
    assert _cites(s) == [("中华人民共和国行政诉讼法", 70, None, 1), ("中华人民共和国行政诉讼法", 70, None, 2)]


def test_citation_same_law_back_reference_and_paragraphs() -> None:
    s = "依照《中华人民共和国行政诉讼法》第八十九条第一款第（一）项、同法第七十四条第一款第（二）项和第七十六条的规定"
    law = "中华人民共和国行政诉讼法"
    assert _cites(s) == [(law, 89, 1, 1), (law, 74, 1, 2), (law, 76, None, None)]


def test_citation_defined_short_name_and_nested_brackets() -> None:
    s = (
        "根据《中华人民共和国政府信息公开条例》（以下简称政府信息公开条例）第四条第一款的规定。"
        "政府信息公开条例第十七条规定。依照《最高人民法院关于执行＜中华人民共和国行政诉讼法＞若干问题的解释》第九十三条之规定"
    )
    cites = _cites(s)
    assert ("中华人民共和国政府信息公开条例", 4, 1, None) in cites
    assert ("中华人民共和国政府信息公开条例", 17, None, None) in cites
    assert ("最高人民法院关于执行《中华人民共和国行政诉讼法》若干问题的解释", 93, None, None) in cites


def test_citation_spans_quote_the_raw_text() -> None:
    s = "依照《中华人民共和国行政诉讼法》第六十九条之规定"
    norm, offsets = normalize(s)
    (c,) = find_citations(s, norm, offsets)
    assert s[c.start : c.end] == c.text == "《中华人民共和国行政诉讼法》第六十九条"


@pytest.mark.parametrize(
    ("role", "paren", "name", "procedure", "expected"),
    [
        ("上诉人", "（原审被告）", "盘山县自然资源局", Procedure.appeal, "defendant"),
        ("上诉人", "（一审原告）", "杨帮禹", Procedure.appeal, "plaintiff"),
        ("被上诉人", "（原审被告）", "都江堰市人民政府", Procedure.appeal, "defendant"),
        (
            "再审申请人",
            "（一审原告、二审上诉人）",
            "浙江京桥实业有限公司",
            Procedure.retrial_review,
            "plaintiff",
        ),
        (
            "被申请人",
            "（一审被告、二审被上诉人）",
            "国家税务总局衢州市税务局",
            Procedure.retrial_review,
            "defendant",
        ),
        ("申请执行人", "", "三门县国土资源局", Procedure.enforcement_review, "applicant"),
        ("被执行人", "", "奚熙健", Procedure.enforcement_review, "respondent"),
        (
            "上诉人",
            "",
            "承德市人力资源和社会保障局",
            Procedure.appeal,
            "defendant",
        ),  # no parenthesis: an agency
        ("上诉人", "", "孙定宏", Procedure.appeal, "plaintiff"),
        ("原审上诉人", "", "邱x萍", Procedure.retrial, "plaintiff"),
    ],
)
def test_original_role(role: str, paren: str, name: str, procedure: Procedure, expected: str) -> None:
    assert original_role(role, paren, name, procedure) == expected


def test_aliases_resolve_to_the_full_name() -> None:
    norm, _ = normalize("原告徐文权诉被告河北省国土资源厅（以下简称省国土厅）政府信息公开一案")
    assert find_aliases(norm) == {"省国土厅": "河北省国土资源厅"}


def test_doc_kind_enum_values_are_the_taxonomy_codes() -> None:
    assert DocKind.ruling.value == "ruling"


def test_sued_action_name_and_number() -> None:
    from ingest.fields_action import find_sued_action

    norm, _ = normalize(
        "被告又于2018年4月25日对第三人作出了永公（消）行罚决字（2018）0024号《行政处罚决定书》，对第三人的违法行为给予了行政处罚。"
    )
    action = find_sued_action(norm)
    assert action is not None
    assert action.name == "《行政处罚决定书》"
    assert action.number == "永公（消）行罚决字（2018）0024号"


def test_cause_of_action_from_the_opening_sentence() -> None:
    from ingest.fields_action import find_cause_of_action

    norm, _ = normalize(
        "原告徐文权诉被告河北省国土资源厅（以下简称省国土厅）政府信息公开一案，于2018年2月7日向本院提起行政诉讼。"
    )
    assert find_cause_of_action(norm) == "政府信息公开"
    norm, _ = normalize("案由：商标权无效宣告请求行政纠纷\n")
    assert find_cause_of_action(norm) == "商标权无效宣告请求行政纠纷"


def test_appeal_record_links_to_first_instance(corpus_judgments: dict[str, dict]) -> None:
    from ingest import parse_text

    record = parse_text(corpus_judgments["simu-081"]["document_text"])
    assert record.first_instance is not None
    assert record.first_instance.case_no == "（2023）甘0724行初86号"
    assert record.first_instance.result == "驳回王某某的诉讼请求"
    assert record.original_case_nos == ["（2023）甘0724行初86号"]


@pytest.mark.parametrize(
    ("case_no", "procedure"),
    [
        ("（2020）京行辖终12号", Procedure.appeal),  # jurisdiction appeal
        ("（2021）川0181行赔初17号", Procedure.first),
        ("（2021）最高法行再15号", Procedure.retrial),
        ("（2020）最高法行监3号", Procedure.retrial_review),
        ("（2020）浙行审复1号", Procedure.enforcement_review),
        ("（2013）台临行审字第8号", Procedure.enforcement_review),
    ],
)
def test_procedure_from_case_number_codes(case_no: str, procedure: Procedure) -> None:
    assert find_procedure(case_no, None, "") == procedure


_HEAD_DOC = (
    "某某县人民法院\n行政判决书\n（2020）豫0101行初1号\n原告张三。\n被告某某县自然资源局。\n"
    "原告张三诉被告某某县自然资源局行政处罚一案，本院依法组成合议庭，公开开庭审理了本案。{A}本案现已审理终结。\n"
    "本院认为，被诉行为违法。依照《中华人民共和国行政诉讼法》第七十条之规定，判决如下：\n撤销被告作出的处罚决定。\n"
    "审判长　李四\n二〇二〇年五月六日\n书记员　王五"
)


@pytest.mark.parametrize(
    ("appearance", "expected"),
    [
        ("原告张三，被告某某县自然资源局副局长钱七及委托代理人孙八到庭参加诉讼。", True),
        ("原告张三，被告某某县自然资源局负责人钱七出庭应诉。", True),
        ("原告张三，被告某某县自然资源局的委托代理人孙八到庭参加诉讼。", False),
        ("原告张三到庭参加诉讼，被告某某县自然资源局经本院合法传唤，无正当理由拒不到庭。", False),
        (
            "原告张三的法定代表人赵六，被告某某县自然资源局的委托代理人孙八到庭参加诉讼。",
            False,
        ),  # the plaintiff's head
        ("", None),
    ],
)
def test_agency_head_appeared(appearance: str, expected: bool | None) -> None:
    from ingest import parse_text

    record = parse_text(_HEAD_DOC.replace("{A}", appearance))
    assert record.agency_head_appeared is expected
    if expected is not None:
        assert record.agency_head_evidence is not None


def test_party_block_with_shared_agent_and_head_line() -> None:
    """GIVEN a party block with a shared agent line (上述…共同委托代理人) and an 出庭负责人 line
    THEN the later parties are still read and the agency head counts as appeared."""
    from ingest import parse_text

    text = "\n".join(
        [
            "上海市第二中级人民法院",
            "行政判决书",
            "（2022）沪02行终38号",
            "上诉人（原审原告）唐建忠，男，1958年10月30日出生，汉族，住上海市浦东新区。",
            "上诉人（原审第三人）唐建平，男，1965年11月23日出生，汉族，住上海市浦东新区。",
            "上述二名上诉人的共同委托代理人吴雯麒，上海旭灿律师事务所律师。",
            "被上诉人（原审被告）上海市浦东新区北蔡镇人民政府，住所地上海市浦东新区沪南路1000号。",
            "法定代表人徐建军，上海市浦东新区北蔡镇人民政府镇长。",
            "出庭负责人黄祺炜，上海市浦东新区北蔡镇人民政府副镇长。",
            "原审第三人唐秀娟，女，1954年3月10日出生，汉族，住上海市浦东新区。",
            "上诉人唐建忠等因房屋征收补偿决定一案，不服上海市浦东新区人民法院（2021）沪0115行初100号行政判决，向本院提起上诉。",
            "本院认为，上诉理由不能成立。依照《中华人民共和国行政诉讼法》第八十九条第一款第（一）项之规定，判决如下：",
            "驳回上诉，维持原判。",
            "本判决为终审判决。",
            "审判长　王五",
            "二〇二二年五月六日",
            "书记员　孙七",
        ]
    )
    record = parse_text(text)
    assert record.plaintiffs == ["唐建忠"]
    assert record.defendants == ["上海市浦东新区北蔡镇人民政府"]
    assert set(record.third_parties) == {"唐建平", "唐秀娟"}
    assert record.agency_head_appeared is True
    assert record.first_instance is not None and record.first_instance.case_no == "（2021）沪0115行初100号"


def test_law_name_with_a_version_in_brackets_survives_ocr_repair() -> None:
    from ingest import parse_text

    text = (
        "某某县人民法院\n行政判决书\n（2020）豫0101行初1号\n原告张三。\n被告某某县自然资源局。\n"
        "原告张三诉被告某某县自然资源局行政处罚一案。\n"
        "本院认为，被诉行为违法。依照《中华人民共和国行政诉讼法（2017修正）》第七十条之规定，判决如下：\n"
        "撤销被告作出的处罚决定。\n审判长　李四\n二〇二〇年五月六日\n书记员　王五"
    )
    (cite,) = parse_text(text).citations
    assert (cite.law, cite.article) == ("中华人民共和国行政诉讼法（2017修正）", 70)


def test_the_nearest_division_is_the_one_name_a_character_away() -> None:
    """``Regions.nearest`` (indexed by one-character-blanked forms) against the plain scan of every name
    of the token's length, for misreads of real names, with and without a province or city."""
    import random

    from ingest.fields_places import regions

    reg = regions()
    assert reg is not None

    def plain(token: str, province: str | None, city: str | None) -> str | None:
        if token in reg.all_names:
            return token
        pool = reg.names_in(province, city) & reg.by_length.get(len(token), set())
        close = [n for n in pool if sum(a != b for a, b in zip(n, token, strict=True)) == 1]
        return close[0] if len(close) == 1 else None

    rng = random.Random(7)
    names = sorted(reg.all_names)
    scopes = [(None, None)] + sorted(reg.cities)[:: max(1, len(reg.cities) // 20)]
    scopes += [(p, None) for p in sorted(reg.provinces)[:5]]
    for name in rng.sample(names, 300):
        i = rng.randrange(len(name))
        token = name[:i] + rng.choice("县市区州旗盟乡镇口山阳安") + name[i + 1 :]
        for province, city in scopes:
            assert reg.nearest(token, province, city) == plain(token, province, city), (token, province, city)
