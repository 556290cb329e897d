"""De-identification that holds (issue 17), on sentences written for these tests: every natural person
masked wherever the name appears (consistently within a case), identifiers removed; agencies, courts,
judges, the clerk and an agency's legal representative named as such kept; the last pass finds what is left."""

from __future__ import annotations

import pytest

from reports.collection_check import check_entries, line_names
from reports.deidentify import Masker, deidentify, masks_for, person_names, residual_persons

FILLER = "本院依法组成合议庭，公开开庭审理了本案。" * 200  # pushes later names beyond 3,000 characters

CASE = (
    "原告冼志强，男，1975年3月2日出生，汉族，住广东省某县城关镇解放路18号3栋2单元501室，"
    "公民身份号码440102197503021234。\n"
    "委托诉讼代理人麦小玲，广东某某律师事务所律师。\n"
    "被告某县自然资源局，住所地某县人民路1号。\n"
    "法定代表人郑国强，局长。\n"
    "委托代理人赵志刚，该局工作人员。\n"
    "第三人某县宏达建材有限公司，住所地某县工业园。\n"
    "法定代表人王建军，该公司经理。\n"
    + FILLER
    + "\n经审理查明：被告于2020年5月将该地块出让给第三人刘建华，签收人：迟小平。"
    "证人黄军到庭作证称，其与原告之妻林秀英在现场。原告之子冼家明提交了《关于冼志强违法建设问题的处理意见》。"
    "原告称：“当时工作人员周大海说这块地已经卖了。”原告的车辆粤B12345停在门口，"
    "联系电话13912345678，补偿款汇入其银行账号6222021234567890123。\n"
    "审判长　陈立新\n审判员　吴敏\n书记员　何小兰\n"
)


def test_every_natural_person_is_masked_wherever_the_name_appears() -> None:
    names = person_names(CASE, ["冼志强", "某县宏达建材有限公司"])
    out = deidentify(CASE, names)
    for gone in (
        "冼志强",  # rare surname, party line and inside a document title
        "麦小玲",  # the lawyer (the firm stays)
        "赵志刚",  # agency staff acting as agent
        "王建军",  # a company's legal representative; ends like an organisation (军)
        "刘建华",  # third party named only mid-sentence, beyond 3,000 characters
        "迟小平",  # after a colon
        "黄军",  # witness, two characters ending in 军
        "林秀英",  # family member in the facts
        "冼家明",
        "周大海",  # inside a quotation
        "440102197503021234",
        "13912345678",
        "6222021234567890123",
        "粤B12345",
        "18号3栋2单元501室",
        "1975年3月2日",
    ):
        assert gone not in out, gone
    for kept in (
        "广东某某律师事务所律师",
        "某县自然资源局，住所地某县人民路1号",
        "法定代表人郑国强，局长",  # an agency's legal representative named as such
        "某县宏达建材有限公司",
        "审判长　陈立新",
        "书记员　何小兰",
        "粤B×××××",
    ):
        assert kept in out, kept
    # the plaintiff and his son share a surname: two masks, each the same wherever the person appears
    plaintiff = out.split("原告", 1)[1].split("，", 1)[0]
    assert plaintiff in ("冼某某甲", "冼某某乙")
    assert f"《关于{plaintiff}违法建设问题的处理意见》" in out
    assert f"原告之子{plaintiff}" not in out


def test_one_person_one_mask_two_people_of_one_surname_kept_apart() -> None:
    masks = masks_for(["张建国", "张建华", "李明", "李明远"])
    assert masks["张建国"] != masks["张建华"]
    assert {masks["张建国"], masks["张建华"]} == {"张某某甲", "张某某乙"}
    assert masks["李明"] == "李某" and masks["李明远"] == "李某某"
    m = Masker(["原告张建国，男。\n委托代理人张建华，律师。"], ["张建国"])
    assert m("张建国诉某局") == m("张建国") + "诉某局"
    assert m("张建国") != m("张建华")


def test_the_last_pass_finds_a_name_after_a_person_role() -> None:
    found = residual_persons(
        "经查，证人吕大成到庭作证，原告邵某某、工作人员张某在场，审判长陈立新。", keep={"陈立新"}
    )
    assert [f.name for f in found] == ["吕大成"]
    assert "证人吕大成" in found[0].context


@pytest.mark.parametrize(
    "sentence",
    [
        "被告某县人民政府作出决定。",
        "第三人某县城市管理综合行政执法局未到庭。",
        "原告某某公司的经营场所位于某镇。",
        "工作人员进行了现场检查。",
    ],
)
def test_the_last_pass_leaves_agencies_and_plain_words(sentence: str) -> None:
    assert residual_persons(sentence) == []


def test_the_check_finds_a_surviving_name_and_passes_a_masked_one() -> None:
    from reports.collection import Entry

    def entry(summary: str) -> Entry:
        return Entry(
            "procedure",
            "冼某某诉某局案",
            ["（2024）某01行初1号"],
            "某法院",
            summary,
            "",
            [],
            "",
            "",
            [],
            [],
            [1],
        )

    names = {1: line_names(CASE)}
    assert {"冼志强", "麦小玲", "赵志刚", "王建军"} <= names[1]
    assert "郑国强" not in names[1]  # the agency's legal representative stays
    assert not check_entries([entry("原告冼某某诉称")], names).survivors
    assert check_entries([entry("原告冼志强诉称")], names).survivors == [("冼某某诉某局案", "冼志强")]


def test_strict_export_refuses_a_name_an_editor_typed(
    db, settings, corpus_labels, corpus_dir, tmp_path
) -> None:
    """GIVEN a collection whose lesson an editor rewrote with a witness's full name WHEN exported strictly
    THEN nothing is written and the finding is named; without strict the name is masked and listed."""
    from reports.collection import (
        CollectionFilter,
        UnresolvedNames,
        collection_entries,
        last_pass,
        make_collection,
    )
    from reports.demo import load_corpus

    ids = sorted(k for k, r in corpus_labels.items() if r["outcome"] == "agency_lost")[:3]
    with db.session() as s:
        load_corpus(s, corpus_dir, ids)
        entries = collection_entries(s, CollectionFilter())
        entries[0].lesson = "证人吕大成到庭证实被告未送达处罚决定书。"
        entries[0] = last_pass(entries[0])
        assert [f.name for f in entries[0].findings] == ["吕大成"]
        assert "吕大成" not in entries[0].lesson and "吕某某" in entries[0].lesson
        out = tmp_path / "c.docx"
        with pytest.raises(UnresolvedNames) as exc:
            make_collection(s, settings, CollectionFilter(), out, strict=True, entries=entries)
        assert "疑似未隐名" in str(exc.value) and not out.exists()
        r = make_collection(s, settings, CollectionFilter(), out, entries=entries)
        assert out.exists() and [f.name for _, f in r.findings] == ["吕大成"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("被告工作人员从事执法活动时，原告母亲向谁反映均无结果。", set()),
        ("第三人有明确的诉求，证人都应当如实作证。", set()),
        ("原告韩爱平、潘华凤、花蕊诉被告房屋登记一案。", {"韩爱平", "潘华凤", "花蕊"}),
        ("经查，原告的车辆停放在施工现场，代表人宣传了政策。", set()),
    ],
)
def test_common_words_are_not_taken_for_names(sentence: str, names: set[str]) -> None:
    parties = ["韩爱平", "潘华凤"] if "韩爱平" in sentence else []
    assert set(person_names(sentence, parties)) == names
