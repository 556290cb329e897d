"""Warning cases worth reading (issue 17): per case the court's own words on this agency's fault, statute
text once per collection, an appeal's facts from the first-instance part, the presiding judge named, and no
paragraph of 30+ characters printed for two cases."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from docx import Document

from reports.collection import CollectionFilter, collection_entries, lessons, render_collection
from reports.demo import load_corpus
from reports.lessons import (
    court_lesson,
    first_instance_facts,
    first_instance_result,
    only_refers,
    presiding_judges,
    recites,
    repeated_paragraphs,
    usable,
)
from reports.officialdoc import Fonts


@pytest.mark.parametrize(
    "sentence",
    [
        "依照《中华人民共和国行政诉讼法》第七十条第（三）项之规定，判决如下：",
        "综上，依据《中华人民共和国行政诉讼法》第七十四条第二款第（一）项的规定，判决如下",
        "《中华人民共和国行政强制法》第三十五条规定：“行政机关作出强制执行决定前，应当事先催告当事人履行义务。”",
        "一审法院认定事实错误，本院予以纠正。",
        "原审判决适用法律不当，应予撤销。",
        "上诉人称被告未履行告知义务，请求撤销原判。",
        "被告作出的处罚决定认定事实清楚，适用法律正确，程序合法。",
        "二、责令被告于本判决生效之日起六十日内重新作出行政行为。",
    ],
)
def test_not_a_lesson(sentence: str) -> None:
    assert not usable(sentence)


def test_the_lesson_is_what_this_agency_did_wrong_in_the_courts_words() -> None:
    reasoning = (
        "本院认为，《中华人民共和国行政处罚法》第四十四条规定：“行政机关在作出行政处罚决定之前，应当告知当事人。”"
        "本案中，被告某县市场监督管理局在作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序。"
        "一审法院对此认定有误，本院予以纠正。原告的其他诉讼请求，本院不予支持。"
        "依照《中华人民共和国行政诉讼法》第七十条第（三）项之规定，判决如下："
    )
    lesson = court_lesson(reasoning, ["某县市场监督管理局"])
    assert (
        lesson == "本案中，被告某县市场监督管理局在作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序。"
    )


def test_a_sentence_that_only_recites_a_statute_is_not_a_lesson() -> None:
    statute = "被告不提供或者无正当理由逾期提供证据，视为没有相应证据"
    assert recites("被告不提供或者无正当理由逾期提供证据，视为没有相应的证据。", [statute])
    assert not recites("被告在举证期限内未提交作出处罚决定的证据，应承担举证不能的后果。", [statute])


def test_an_appeal_that_refers_to_the_first_instance_gives_its_facts() -> None:
    text = (
        "上诉人某县人民政府因行政强制一案，不服某市中级人民法院行政判决，向本院提起上诉。\n"
        "一审法院查明：2019年3月，被告在未作出强制拆除决定的情况下，组织人员拆除了原告的养殖用房。\n"
        "一审法院认为，被告的强制拆除行为违反法定程序。\n"
        "某县人民政府上诉称，其拆除行为合法。\n"
        "本院审理查明的事实与一审一致，本院予以确认。\n本院认为，……"
    )
    assert only_refers("本院审理查明的事实与一审一致，本院予以确认。")
    assert not only_refers("2019年3月，被告组织人员拆除了原告的养殖用房。")
    assert (
        first_instance_facts(text)
        == "2019年3月，被告在未作出强制拆除决定的情况下，组织人员拆除了原告的养殖用房。"
    )


def test_the_presiding_judge_is_named_unless_masked() -> None:
    judges = [{"role": "审判长", "name": "周明远"}, {"role": "审判员", "name": "李华"}]
    assert presiding_judges({"judges": judges}) == ["周明远"]
    assert presiding_judges({"judges": [{"role": "审判长", "name": "周××"}]}) == []
    assert presiding_judges({"judges": [{"role": "审判员", "name": "王立"}]}) == ["王立"]


def _case_paragraphs(docx: Path) -> list[list[str]]:
    """Paragraphs under each 案例k heading of the rendered body (after the contents)."""
    cases: list[list[str]] = []
    body = False
    for p in Document(str(docx)).paragraphs:
        text = p.text.strip()
        if text.startswith("前") and "言" in text:
            body = True
        if not body:
            continue
        if re.match(r"^案例\d+", text):
            cases.append([])
        elif text.startswith("附") and "相关法条" in text:
            break
        elif cases and text:
            cases[-1].append(text)
    return cases


def test_no_paragraph_repeats_across_cases_of_a_corpus_collection(
    db, corpus_labels, corpus_dir, tmp_path: Path
) -> None:
    """GIVEN every lost judgment of the corpus WHEN the collection is rendered THEN no paragraph of 30+ characters
    appears under two cases, every lesson is a sentence of the case's own judgments, statute text is
    printed once (appendix), appeals carry facts."""
    with db.session() as s:
        load_corpus(s, corpus_dir)
        entries = collection_entries(s, CollectionFilter())
        from core.models import Judgment

        texts = {j.id: (j.record or {}).get("text") or "" for j in s.query(Judgment)}
    assert len(entries) >= 20
    assert repeated_paragraphs([e.paragraphs() for e in entries]) == []
    docx = tmp_path / "c.docx"
    render_collection(
        entries, Fonts(), "某县司法局", docx, title="汇编", subtitle="（全部）", date=dt.date(2024, 1, 1)
    )
    cases = _case_paragraphs(docx)
    assert len(cases) == len(entries)
    assert repeated_paragraphs(cases) == []
    everything = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    norms = [n for v in lessons().values() for n in v["norms"]]
    for n in norms:  # statute text once, in the appendix; never under a case
        assert everything.count(n) <= 1
        assert not any(n.split("：")[-1] in p for c in cases for p in c), n
    with_lesson = [e for e in entries if e.lesson]
    assert len(with_lesson) >= len(entries) * 0.8
    for e in with_lesson:
        assert usable(e.lesson.split("。")[0]), e.lesson
        own = re.sub(r"\W", "", "".join(texts[i] for i in e.judgment_ids))
        first = re.sub(r"\W", "", e.lesson.split("。")[0])
        # the court's words, up to masked names
        plain = re.sub(r"[\u4e00-\u9fff]某某?[甲乙丙丁]?", "", first)
        assert all(
            part in own for part in re.split(r"[\u4e00-\u9fff]某某?[甲乙丙丁]?", first) if len(part) > 6
        ), plain
    appeals = [e for e in entries if any("行终" in c for c in e.case_nos)]
    assert appeals
    assert sum(bool(e.summary) and not only_refers(e.summary) for e in appeals) >= len(appeals) * 0.8


@pytest.mark.parametrize(
    "opening",
    [
        "一审法院查明：",
        "原审法院经审理查明，",
        "原审判决认定如下事实：",
        "一审判决认定的事实，",
        "原审查明，",
    ],
)
def test_first_instance_facts_under_the_ways_appeals_write_them(opening: str) -> None:
    text = f"上诉人不服，提起上诉。\n{opening}2020年5月，被告对原告作出罚款决定。\n原审法院认为：……\n本院认为，……"
    assert first_instance_facts(text) == "2020年5月，被告对原告作出罚款决定。"


def test_an_appeal_alone_gives_the_first_instance_orders_it_quotes() -> None:
    text = (
        "上诉人某县人民政府因行政强制一案，不服某市中级人民法院（2023）某01行初5号行政判决，向本院提起上诉。"
        "本院依法组成合议庭审理了本案。\n一审法院认为，被告的强制拆除行为违反法定程序。依照《中华人民共和国行政诉讼法》"
        "第七十四条第二款第一项之规定，判决：确认被告某县人民政府强制拆除原告房屋的行为违法。案件受理费50元，由被告负担。\n"
        "某县人民政府上诉称，其拆除行为合法。\n本院认为，……依照《中华人民共和国行政诉讼法》第八十九条第一款第一项之规定，"
        "判决如下：\n驳回上诉，维持原判。"
    )
    assert first_instance_result(text) == "确认被告某县人民政府强制拆除原告房屋的行为违法。"


def test_a_sentence_opening_with_a_statute_keeps_the_courts_own_part() -> None:
    reasoning = (
        "根据《某某管理办法》第八条“认定文物，应当开展调查研究，充分听取专家意见”之规定，本案中，被告某县文物局"
        "未在法定举证期限内提交证据证实其开展了调查研究，认定程序违法。"
    )
    assert court_lesson(reasoning, ["某县文物局"]) == (
        "本案中，被告某县文物局未在法定举证期限内提交证据证实其开展了调查研究，认定程序违法。"
    )


def test_after_an_approval_the_fault_is_kept_and_orders_are_not_lessons() -> None:
    reasoning = (
        "被告根据当事人陈述、证人证言认定第三人存在违法行为的事实清楚，但第三人情节较轻，被告某县公安局作出的罚款"
        "决定明显不当，应当予以撤销。撤销某县公安局作出的罚款决定。"
    )
    assert (
        court_lesson(reasoning, ["某县公安局"])
        == "第三人情节较轻，被告某县公安局作出的罚款决定明显不当，应当予以撤销。"
    )
