"""De-identification table: natural persons masked, identifiers removed, agencies and companies kept."""

from __future__ import annotations

import pytest

from reports.deidentify import deidentify, mask_name, person_names

PARTIES = (
    "原告张三，男，1970年5月6日出生，汉族，住重庆市垫江县桂溪街道某路12号，公民身份号码510231197005061234，"
    "联系电话13812345678。\n"
    "委托诉讼代理人李四平，重庆某律师事务所律师。\n"
    "被告垫江县人力资源和社会保障局，住所地重庆市垫江县桂西大道1号。\n"
    "法定代表人王五，局长。\n"
    "第三人重庆市某建筑有限公司，住所地重庆市渝北区。\n"
    "原告欧阳小明，女，住某地。\n原告张三、欧阳小明不服，提起诉讼。\n"
    "经审理查明：原告的丈夫靳应禄于2010年去世，涉案房屋抵押人为花立新，抵押权人为某银行。"
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("张三", "张某"),
        ("李四平", "李某某"),
        ("欧阳小明", "欧阳某某"),
        ("徐某", "徐某"),
        ("阿依古丽·买买提", "阿某"),
    ],
)
def test_mask_name(given: str, expected: str) -> None:
    assert mask_name(given) == expected


def test_party_paragraph_is_deidentified() -> None:
    names = person_names(PARTIES, ["张三", "垫江县人力资源和社会保障局"])
    assert set(names) >= {"张三", "李四平", "欧阳小明"}
    assert "垫江县人力资源和社会保障局" not in names
    assert "王五" not in names  # the agency's legal representative, named as such, stays (issue 17)
    out = deidentify(PARTIES, names)
    for gone in (
        "张三",
        "李四平",
        "欧阳小明",
        "靳应禄",
        "花立新",
        "510231197005061234",
        "13812345678",
        "桂溪街道某路12号",
        "1970年5月6日",
    ):
        assert gone not in out
    for kept in (
        "原告张某，男",
        "委托诉讼代理人李某某",
        "法定代表人王五，局长",
        "欧阳某某",
        "垫江县人力资源和社会保障局，住所地重庆市垫江县桂西大道1号",
        "重庆市某建筑有限公司",
    ):
        assert kept in out


def test_real_judgment_party_names_disappear(corpus_judgments, corpus_labels) -> None:
    """GIVEN real judgments WHEN de-identified THEN no unmasked plaintiff name is left and the defendant stays."""
    checked = 0
    for jid, label in corpus_labels.items():
        text = corpus_judgments[jid]["document_text"]
        persons = [p for p in label["plaintiffs"] if person_names("", [p])]
        if not persons or not label["defendants"]:
            continue
        out = deidentify(text, person_names(text, label["plaintiffs"]))
        for p in persons:
            assert p not in out, (jid, p)
        assert label["defendants"][0] in out or label["defendants"][0] not in text
        checked += 1
    assert checked >= 30
