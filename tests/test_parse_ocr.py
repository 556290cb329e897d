"""Parsing OCR output of degraded, sealed scans: misread brackets, wrapped lines, dust, damaged dates."""

from __future__ import annotations

import pytest

from core.taxonomy import Procedure, SectionName
from ingest import parse_text
from ingest.fields import find_date
from ingest.normalize import normalize, reflow

# Shaped like tesseract's output of a corpus scan: printed line breaks kept, 〈 for （, dust, a seal on the date.
OCR_APPEAL = """上海市第二中级人民法院
行政判决书
《2016)　沪02行终278号
上诉人〈原审原告）上海久杏涂装工程有限公司，住所地上
海市奉贤区。
.委托代理人攀克强，上海明伦律师事务所律师。
被上诉人《原审被告）上海市青浦区华新镇人民政府，住所
地上海市青浦区。
法定代表人林峰，镇长。
上诉人上海久杏涂装工程有限公司因强制拆除一案，不服上
海市青浦区人民法院〈2015)　青行初字第93号行政判决，向本院
提起上诉。本院受理后，依法组成合议庭审理了本案，现已审理
终结。
本院认为，华新镇政府有权拆除系争房屋。依照《中华人民共和国行政诉讼法》第八十九条第一款第（一）项之规定，判决如
下:
驳回上诉，维持原判。
本判决为终审判决。
审　　　判长。高中伟
二oO--六年六月二十二日
书记　员　　冯易和"""


def test_ocr_appeal_is_understood() -> None:
    record = parse_text(OCR_APPEAL)
    assert record.case_no == "（2016）沪02行终278号"
    assert record.procedure == Procedure.appeal
    assert record.plaintiffs == ["上海久杏涂装工程有限公司"]
    assert record.defendants == ["上海市青浦区华新镇人民政府"]
    assert record.judgment_date == "2016-06-22"
    assert "（2015）青行初字第93号" in record.original_case_nos
    assert record.section(SectionName.operative).startswith("驳回上诉")
    assert record.section(SectionName.reasoning).startswith("本院认为")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("二OoC一七年十月二十四日", "2017-10-24"),  # 〇 read twice under the seal
        ("二口一三年十一月十五日", "2013-11-15"),
        ("二DO二O年十--月三十日", "2020-11-30"),  # 一 read as dashes
        ("二@一三年十一月十五日", "2013-11-15"),  # 〇 lost to a speck
        ("二〇〇一年十二月二十七日", "2001-12-27"),  # a real double zero stays
        ("××××年××月××日", None),
    ],
)
def test_signature_date_under_a_seal(line: str, expected: str | None) -> None:
    norm, _ = normalize("正文。\n审判长　张三\n" + line + "\n书记员　李四")
    assert find_date(norm) == expected


def test_reflow_joins_printed_lines_but_not_party_entries() -> None:
    raw = "上诉人（原审原告）上海久杏涂装工程有限公司，住所地上\n海市奉贤区。\n原告本溪满族自治县草河口镇云盘村民委员会\n被告本溪县林业局。"
    norm, offsets = reflow(*normalize(raw))
    assert norm.split("\n") == [
        "上诉人（原审原告）上海久杏涂装工程有限公司，住所地上海市奉贤区。",
        "原告本溪满族自治县草河口镇云盘村民委员会",
        "被告本溪县林业局。",
    ]
    assert all(raw[o] == c for o, c in zip(offsets, norm, strict=True) if c not in "（）")


def test_case_number_province_misread_is_repaired_from_the_court() -> None:
    text = (
        OCR_APPEAL.replace("江西", "")
        .replace("上海市第二中级人民法院", "江西省吉安市中级人民法院")
        .replace("《2016)　沪02行终278号", "（2018）蒜08行终160号")
    )
    assert parse_text(text).case_no == "（2018）赣08行终160号"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("湖南省激浦县人民法院", "湖南省溆浦县人民法院"),
        ("河南人三门峡市湖滨区人民法院", "河南省三门峡市湖滨区人民法院"),
        ("四川省兴文具人民法院", "四川省兴文县人民法院"),
        ("河南省平顶山市淇河区人民法院", "河南省平顶山市湛河区人民法院"),  # 淇滨区 is in 鹤壁市, not 平顶山市
        ("北京市高华人审共院", "北京市高级人民法院"),
        (
            "陕西省户县人民法院",
            "陕西省户县人民法院",
        ),  # a former name, not close to exactly one division: kept
        ("北京知识产权法院", "北京知识产权法院"),
        ("甘肃省×××中级人民法院", "甘肃省×××中级人民法院"),
    ],
)
def test_court_place_misreads_are_repaired(read: str, expected: str) -> None:
    from ingest.fields_places import repair_court

    assert repair_court(read) == expected


def test_a_former_name_the_text_repeats_is_not_corrected() -> None:
    """GIVEN 无为县 (a county until 2019, now 无为市) written several times THEN it stays as written."""
    from ingest.fields_places import repair_agency

    text = "被告无为县人力资源和社会保障局……无为县人力资源和社会保障局认为……"
    assert repair_agency("无为县人力资源和社会保障局", "安徽省", text) == "无为县人力资源和社会保障局"
    assert (
        repair_agency("淑浦县人口和计划生育局", "湖南省", "淑浦县人口和计划生育局")
        == "溆浦县人口和计划生育局"
    )


def test_a_misread_stem_is_corrected_however_often_ocr_repeats_it() -> None:
    """GIVEN a scan whose OCR reads 湛河区 as 淇河区 in the header and again in the text
    THEN the court is still 湛河区: only a suffix change (县 → 市) marks a real former name."""
    from ingest.fields_places import repair_court

    text = "河南省平顶山市淇河区人民法院\n行政裁定书\n……本院（平顶山市淇河区人民法院）认为……"
    assert repair_court("河南省平顶山市淇河区人民法院", text) == "河南省平顶山市湛河区人民法院"


def test_party_name_misread_once_is_outvoted_by_the_rest_of_the_text() -> None:
    from ingest.parties import consensus_name

    norm = "原告周浇文。\n原告周滋文诉称……原告周滋文提交……驳回原告周滋文的诉讼请求。原告周汶文负担。"
    assert consensus_name("周浇文", norm, ("原告",)) == "周滋文"
    clean = "原告王秀银。\n原告王秀银诉被告……准许原告王秀银撤回起诉。"
    assert consensus_name("王秀银", clean, ("原告",)) == "王秀银"


def test_case_number_province_from_a_court_named_by_its_city() -> None:
    from ingest.fields import repair_case_no_province

    assert (
        repair_case_no_province("（2023）甸7101行初3843号", "广州铁路运输法院") == "（2023）粤7101行初3843号"
    )
    assert (
        repair_case_no_province("（2014）南行非审字第35号", "河北省南宫市人民法院")
        == "（2014）南行非审字第35号"
    )


def test_party_block_survives_a_damaged_agent_line() -> None:
    """GIVEN OCR dropped 委托 from an agent line inside the party block THEN later parties are still read."""
    text = "\n".join(
        [
            "北京市高级人民法院",
            "行政判决书",
            "（2018）京行终766号",
            "上诉人（原审第三人）湖南华慧新能源股份有限公司，住所地湖南省益阳市赫山区。",
            "代理人罗远程，湖南华慧新能源股份有限公司员工，",
            "住湖南省新宁县。",
            "被上诉人（原审原告）东莞市力源电池有限公司，住所地广东省东莞市黄江镇。",
            "原审被告国家知识产权局专利复审委员会，住所地北京市海淀区北四环西路。",
            "上诉人湖南华慧新能源股份有限公司因实用新型专利权无效行政纠纷一案，不服北京知识产权法院（2016）京73行初4355号行政判决，向本院提起上诉。",
            "本院认为，上诉理由不能成立。依照《中华人民共和国行政诉讼法》第八十九条第一款第（一）项之规定，判决如下：",
            "驳回上诉，维持原判。",
            "本判决为终审判决。",
            "审判长　孔庆兵",
            "二〇一八年十一月三十日",
            "书记员　张侦",
        ]
    )
    record = parse_text(text)
    assert record.plaintiffs == ["东莞市力源电池有限公司"]
    assert record.defendants == ["国家知识产权局专利复审委员会"]
    assert record.third_parties == ["湖南华慧新能源股份有限公司"]
