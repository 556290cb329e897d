"""Causes anchored in the statute the court applies, read through the parser's citations.

Every sentence here is written for the test (the shapes the courts use), not copied from the corpus.
"""

from __future__ import annotations

import pytest

from classify import classify_record
from classify.sentences import is_bare_citation, is_recital
from ingest.parse import parse_text
from tests.test_classify_rules import causes_of

LAW = "《中华人民共和国行政诉讼法》"

ANCHORED = [
    (f"依照{LAW}第七十条第一项、第二项之规定，判决如下：", {"insufficient_evidence", "law_application"}),
    (f"依照{LAW}第七十条第（一）、（二）之规定，判决如下：", {"insufficient_evidence", "law_application"}),
    (f"依照{LAW}第七十条第一、三项之规定，判决如下：", {"insufficient_evidence", "procedure"}),
    ("依照行政诉讼法第七十条第（四）项之规定，判决如下：", {"ultra_vires"}),
    ("依照《中华人民共和国××××法》第七十条第（五）项之规定，判决如下：", {"abuse_of_power"}),
    (f"依照{LAW}第七十条第6项的规定，判决如下：", {"manifestly_improper"}),
    (f"依照{LAW}第六十九条、同法第七十二条之规定，判决如下：", {"inaction"}),
    (f"依照{LAW}第七十四条第一款第（二）项之规定，判决如下：", {"procedure"}),
    (f"依照{LAW}第七十四条第二款第（三）项之规定，判决如下：", {"inaction"}),
    (f"依照{LAW}第七十八条第一款之规定，判决如下：", {"other"}),
    # the 1989 law: §54 (二) with its sub-point, or written as 第二款第N项; (三) inaction
    (f"依照{LAW}第五十四条第（二）项第3目之规定，判决如下：", {"procedure"}),
    (f"依照{LAW}第五十四条第二项第1、2目之规定，判决如下：", {"insufficient_evidence", "law_application"}),
    (f"依照{LAW}第五十四条第二款第2项之规定，判决如下：", {"law_application"}),
    (f"依照{LAW}第五十四条第（三）项之规定，判决如下：", {"inaction"}),
    # applied, not recited: the agency is deemed to have no evidence
    (
        f"被告在法定期限内未提交任何证据，依照{LAW}第三十四条第二款的规定，应视为被诉行为没有相应证据。",
        {"passive_defence"},
    ),
    # the court's own finding before the citation it applies
    (f"被诉决定认定事实的主要证据不足，依据{LAW}第七十条第一项规定，应予撤销。", {"insufficient_evidence"}),
]

NOTHING = [
    # §74 clauses that carry no cause of their own, and §54 (二) alone: the words decide
    f"依照{LAW}第七十四条第二款第（一）项之规定，判决如下：",
    f"依照{LAW}第五十四条第（二）项之规定，判决如下：",
    # a norm recited without quotation marks is not the court's finding
    f"{LAW}第七十条规定，行政行为有下列情形之一的，人民法院判决撤销或者部分撤销：（一）主要证据不足的；（二）适用法律、法规错误的；（三）违反法定程序的。",
    f"{LAW}第三十四条第二款规定，被告不提供或者无正当理由逾期提供证据，视为没有相应证据。",
    # an interpretation's article numbers are not the law's
    "依照《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第七十二条之规定，判决如下：",
]


@pytest.mark.parametrize(("sentence", "causes"), ANCHORED)
def test_cited_clause_anchors_its_cause(sentence: str, causes: set[str]) -> None:
    assert causes_of(sentence) == causes


@pytest.mark.parametrize("sentence", NOTHING)
def test_clause_without_cause_or_recital_anchors_nothing(sentence: str) -> None:
    assert causes_of(sentence) == set()


def test_article_77_names_manifest_impropriety_only_for_a_penalty() -> None:
    s = f"依照{LAW}第七十七条第一款之规定，判决如下："
    assert causes_of(s, penalty=True) == {"manifestly_improper"}
    assert causes_of(s, penalty=False) == set()


def test_quoted_norm_then_the_courts_finding_keeps_the_finding() -> None:
    s = "《某某办法》第八条：“行政机关应当在作出决定前听取意见”之规定，本案中，被告未在法定举证期限内提交证据证明其听取了意见。"
    assert causes_of(s) == {"passive_defence"}


@pytest.mark.parametrize(
    ("sentence", "bare", "recital"),
    [
        (f"据此，依照{LAW}第七十条第（一）项之规定，判决如下：", True, False),
        (f"依据{LAW}第七十条第（一）项的规定，判决一、撤销被告作出的决定。", True, False),
        (f"{LAW}第七十条规定，行政行为有下列情形之一的，人民法院判决撤销。", False, True),
        ("被告作出的决定主要证据不足，依法应予撤销。", False, False),
    ],
)
def test_sentence_kinds(sentence: str, bare: bool, recital: bool) -> None:
    assert is_bare_citation(sentence) is bare
    assert is_recital(sentence) is recital


JUDGMENT = """某某省某某市某某区人民法院
行 政 判 决 书
（2020）某0101行初1号
原告张三，男，1970年1月1日出生。
被告某某市某某区市场监督管理局。
原告张三诉被告某某市某某区市场监督管理局行政处罚一案，本院受理后依法组成合议庭公开开庭审理了本案。
原告诉称，被告的处罚决定错误，请求撤销。
被告辩称，处罚决定合法，请求驳回原告的诉讼请求。
本院认为，被告作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序，依法应予撤销。
依照《中华人民共和国行政诉讼法》第七十条第（二）项、第（三）项之规定，判决如下：
撤销被告某某市某某区市场监督管理局作出的某市监罚〔2020〕1号行政处罚决定。
案件受理费50元，由被告负担。
审判长  李四
二〇二〇年六月一日
书记员  王五
"""


def test_words_and_citation_disagree_keeps_both_and_marks_for_review() -> None:
    """GIVEN a court that finds a procedural flaw in words but also cites §70(二)
    WHEN classified THEN procedure is tagged from the words, law_application is marked for review
    with a reason, and neither quotes the bare ruling basis."""
    record = parse_text(JUDGMENT)
    c = classify_record(record, None)
    by = {t.cause.value: t for t in c.loss_causes}
    assert set(by) == {"procedure", "law_application"}
    assert by["procedure"].review is None
    assert by["law_application"].review and "第70条" in by["law_application"].review
    for t in c.loss_causes:
        for e in t.evidence:
            assert record.text[e.start : e.end] == e.text
            assert not is_bare_citation(e.text)


def test_changed_circumstances_is_other_even_where_article_70_is_cited() -> None:
    """GIVEN a registration revoked because a later civil judgment voided its contract (情势变更), §70(一)
    cited THEN the cause is `other`, with the sentence that says so."""
    text = JUDGMENT.replace(
        "被告作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序，依法应予撤销。",
        "被告作出登记时并无过错，但登记所依据的买卖合同已被生效民事判决确认无效，属于情势变更，该登记应予撤销。",
    ).replace("第七十条第（二）项、第（三）项", "第七十条第（一）项")
    c = classify_record(parse_text(text), None)
    assert c.cause_codes() == ["other"]
    assert "情势变更" in c.loss_causes[0].evidence[0].text


AGREEMENT = """某某省某某市某某区人民法院
行 政 判 决 书
（2021）某0101行初2号
原告李四，男，1960年1月1日出生。
被告某某市某某区人民政府。
原告李四诉被告某某市某某区人民政府房屋征收补偿协议一案，本院受理后依法组成合议庭公开开庭审理了本案。
原告诉称，双方签订了补偿协议，被告至今未付清补偿款，请求判令被告支付补偿款及利息。
被告辩称，补偿款正在筹措中。
本院认为，原、被告签订的房屋征收补偿协议合法有效，被告应当依照协议支付剩余补偿款二十万元及相应利息。
依照《中华人民共和国行政诉讼法》第七十八条之规定，判决如下：
一、被告某某市某某区人民政府于本判决生效之日起三十日内支付原告李四补偿款二十万元及利息。
案件受理费50元，由被告负担。
审判长  王五
二〇二一年六月一日
书记员  赵六
"""


def test_an_agency_ordered_to_pay_under_an_agreement_lost_for_other() -> None:
    """GIVEN a compensation agreement the agency is ordered to pay with interest THEN the cause is
    `other`, quoting the court's finding about the payment, not the ruling basis."""
    record = parse_text(AGREEMENT)
    c = classify_record(record, None)
    assert c.cause_codes() == ["other"]
    assert "协议" in c.loss_causes[0].evidence[0].text
    assert not is_bare_citation(c.loss_causes[0].evidence[0].text)
    assert (
        record.text[c.loss_causes[0].evidence[0].start : c.loss_causes[0].evidence[0].end]
        == c.loss_causes[0].evidence[0].text
    )


def test_agreement_judgment_without_the_article_still_lost_for_other() -> None:
    text = AGREEMENT.replace("依照《中华人民共和国行政诉讼法》第七十八条之规定，判决如下：", "判决如下：")
    c = classify_record(parse_text(text), None)
    assert c.outcome.value == "agency_lost"
    assert c.cause_codes() == ["other"]


def test_unquoted_norm_applied_to_the_case_is_a_finding() -> None:
    s = f"根据{LAW}第七十条第（一）项规定，被诉处罚决定认定事实的主要证据不足，应予撤销。"
    assert causes_of(s) == {"insufficient_evidence"}
    assert not is_recital(s)


def test_a_voided_basis_is_changed_circumstances_even_without_the_word() -> None:
    """TAXONOMY's example: a later civil judgment voided the contract a registration relied on."""
    text = JUDGMENT.replace(
        "被告作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序，依法应予撤销。",
        "被诉登记所依据的房屋买卖合同已被生效民事判决确认无效，该登记应予撤销。",
    ).replace("第七十条第（二）项、第（三）项", "第七十条第（一）项")
    c = classify_record(parse_text(text), None)
    assert c.cause_codes() == ["other"]
