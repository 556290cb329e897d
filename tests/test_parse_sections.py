"""Sections of real judgments: 首部 … 本院认为 … 判决主文 … 尾部, as spans into the raw text."""

from __future__ import annotations

import pytest

from core.taxonomy import SectionName as S
from ingest import parse_text
from ingest.errors import Rejected


def test_first_instance_judgment_sections(corpus_judgments: dict[str, dict]) -> None:
    record = parse_text(corpus_judgments["sea-001"]["document_text"])
    names = [s.name for s in record.sections]
    assert names[0] == S.header and names[-1] == S.footer
    for name in (S.parties, S.history, S.claims, S.defence, S.findings, S.reasoning, S.operative):
        assert name in names
    assert record.section(S.reasoning).startswith("本院认为")
    assert record.section(S.operative).startswith("驳回原告徐文权的诉讼请求")
    assert "吴宏丽" in record.section(S.footer) and "二〇一八年五月七日" in record.section(S.footer)


def test_appeal_keeps_lower_court_reasoning_out_of_本院认为(corpus_judgments: dict[str, dict]) -> None:
    """GIVEN an appeal quoting 原审法院认为 and a retrial review quoting 二审法院认为
    THEN 本院认为 holds only this court's reasoning."""
    for doc_id in ("sea-007", "sea-018"):
        record = parse_text(corpus_judgments[doc_id]["document_text"])
        reasoning = record.section(S.reasoning)
        assert reasoning.startswith("本院认为")
        assert "原审法院认为" not in reasoning and "二审法院认为" not in reasoning


def test_operative_part_follows_the_last_判决如下(corpus_judgments: dict[str, dict]) -> None:
    """An appeal quotes the first-instance 判决：…; the operative part is the appeal court's own."""
    record = parse_text(corpus_judgments["sea-007"]["document_text"])
    assert record.section(S.operative).startswith("驳回上诉，维持原判")
    assert record.operative_orders == ["驳回上诉，维持原判。"]


def test_run_together_ruling_still_has_reasoning(corpus_judgments: dict[str, dict]) -> None:
    """A withdrawal ruling writes 经审查，本院认为… in one paragraph with the legal basis."""
    record = parse_text(corpus_judgments["sea-021"]["document_text"])
    assert "本院认为" in record.section(S.reasoning)
    assert record.section(S.operative).startswith("准许原告王秀银撤回起诉")


def test_sections_are_ordered_non_overlapping_spans(corpus_judgments: dict[str, dict]) -> None:
    for doc in corpus_judgments.values():
        record = parse_text(doc["document_text"])
        last_end = 0
        for s in record.sections:
            assert last_end <= s.start < s.end <= len(record.text)
            last_end = s.end


def test_every_corpus_judgment_has_reasoning_and_operative(corpus_judgments: dict[str, dict]) -> None:
    missing = [i for i, d in corpus_judgments.items()
               if not parse_text(d["document_text"]).section(S.operative)
               or not parse_text(d["document_text"]).section(S.reasoning)]
    assert missing == []


def test_offsets_are_into_the_raw_text_with_libreoffice_spacing() -> None:
    raw = ("河南省 洛阳市 中级人民法院\n行 政 判 决 书\n（ 2019 ）豫 03 行终 15 号\n上诉人（原审原告）张三。\n"
           "被上诉人（原审被告）洛阳市人民政府。\n上诉人张三因诉洛阳市人民政府行政复议一案，不服一审判决，提起上诉。\n"
           "本院认为，被诉行为合法。依照《中华人民共和国行政诉讼法》第八十九条第一款第（一）项之规定，判决如下：\n"
           "驳回上诉，维持原判。\n本判决为终审判决。\n审　判　长　　李　四\n二〇一九年十月三十日\n书　记　员　　王　五")
    record = parse_text(raw)
    assert record.case_no == "（2019）豫03行终15号"
    assert record.court == "河南省洛阳市中级人民法院"
    assert record.section(S.operative).startswith("驳回上诉")
    (cite,) = record.citations
    assert raw[cite.start : cite.end] == cite.text
    assert (cite.article, cite.paragraph, cite.item) == (89, 1, 1)
    assert record.defendants == ["洛阳市人民政府"] and record.plaintiffs == ["张三"]
    assert record.judgment_date == "2019-10-30" and record.clerk == "王五"


@pytest.mark.parametrize(
    "text",
    [
        "关于进一步加强行政执法监督工作的通知\n各乡镇人民政府、县直各单位：\n为规范行政执法行为，现就有关事项通知如下：\n"
        "一、提高认识。\n二、落实责任。\n××县司法局\n2023年5月6日",
        "房屋租赁合同\n甲方：张三\n乙方：李四\n第一条 租赁期限一年。\n如发生争议，可向人民法院起诉。",
        "",
    ],
)
def test_non_judgments_are_rejected(text: str) -> None:
    with pytest.raises(Rejected) as info:
        parse_text(text)
    assert info.value.reason.value in ("not_judgment", "blank")
