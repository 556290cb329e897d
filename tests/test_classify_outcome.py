"""Outcome for the agency from the operative orders, on real operative texts and whole judgments."""

from __future__ import annotations

import pytest

from classify.corpus import minimal_record
from classify.outcome import decide_outcome, ruling_forms
from core.taxonomy import Outcome

# (the procedure line, the operative orders) → outcome. Texts as courts write them.
CASES = [
    (
        "（2016）冀08行终106号",
        "驳回上诉，维持原判。",
        "一审法院依照《中华人民共和国行政诉讼法》第七十条第（一）项的规定，判决：一、撤销被告作出的不予认定工伤决定；二、责令被告于60日内重新作出行政行为。",
        Outcome.agency_lost,
    ),
    (
        "（2023）川05行终103号",
        "驳回上诉，维持原判。",
        "一审法院依照《中华人民共和国行政诉讼法》第六十九条之规定，判决：驳回原告泸县某某钢模租赁站的诉讼请求。",
        Outcome.agency_won,
    ),
    (
        "（2023）京04行终233号",
        "一、撤销北京市朝阳区人民法院（2023）京0105行初29号行政判决书；\n二、撤销北京市朝阳区人民政府作出的朝政复字〔2022〕796号《行政复议决定书》；\n三、责令北京市朝阳区人民政府于本判决书送达之日起六十日内依法重新作出处理。",
        "一审法院依照《中华人民共和国行政诉讼法》第六十九条之规定，判决：驳回冯江畔的全部诉讼请求。",
        Outcome.agency_lost,
    ),
    ("（2018）鄂行终594号", "驳回上诉，维持原裁定。", "", Outcome.dismissed),
    ("（2018）冀0104行初41号", "驳回原告徐文权的诉讼请求。", "", Outcome.agency_won),
    (
        "（2014）辉行初字第199号",
        "驳回原告河南宏耐高新能源科技有限公司要求撤销被告获嘉县安全生产监督管理局作出的行政处罚决定书的诉讼请求。",
        "",
        Outcome.agency_won,
    ),
    (
        "（2021）冀1024行初42号",
        "确认被告香河县自然资源和规划局对原告的信息公开申请答复超过法定期限的行为违法。",
        "",
        Outcome.agency_lost,
    ),
    ("（2017）粤1322行初34号", "驳回原告的起诉。", "", Outcome.dismissed),
    (
        "（2014）曲行初字第198号",
        "准予原告靳某某撤回对被告曲阜市发展和改革局及第三人山东高速集团有限公司的起诉。",
        "",
        Outcome.withdrawn,
    ),
    ("（2017）黑0406行初29号", "本案按撤诉处理。", "", Outcome.withdrawn),
    (
        "（2019）豫0502行审943号",
        "准予强制执行安阳市公安局交通管理支队作出的行政处罚决定。",
        "",
        Outcome.not_applicable,
    ),
    (
        "（2020）皖02行终121号之一",
        "原行政裁定书第1页第1行（2019）皖02行终121号，现更正为：（2020）皖02行终121号。",
        "",
        Outcome.not_applicable,
    ),
    (
        "（2017）最高法行申7633号",
        "驳回再审申请人的再审申请。",
        "一审法院依照《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》之规定，裁定：驳回原告的起诉。",
        Outcome.dismissed,
    ),
    (
        "（2023）沪0115行初483号",
        "一、被告应于本判决生效之日起三十日内支付原告违约金人民币63,000元；\n二、驳回原告的其余诉讼请求。",
        "",
        Outcome.agency_lost,
    ),
    ("（2016）渝01行终1号", "一、撤销一审判决；\n二、发回重审。", "", Outcome.remanded),
]


def judgment(case_no: str, operative: str, lower: str) -> str:
    return (
        f"某某人民法院\n行政判决书\n{case_no}\n上诉人甲。\n被上诉人某某局。\n"
        f"{lower}\n本院认为，本案事实清楚。依照有关规定，判决如下：\n{operative}\n本判决为终审判决。\n审判长　某某\n"
    )


@pytest.mark.parametrize(("case_no", "operative", "lower", "expected"), CASES)
def test_outcome_from_real_operative_texts(
    case_no: str, operative: str, lower: str, expected: Outcome
) -> None:
    assert decide_outcome(minimal_record(judgment(case_no, operative, lower))).outcome == expected


@pytest.mark.parametrize(
    ("operative", "forms"),
    [
        ("驳回上诉，维持原判。", ["驳回上诉", "维持原判"]),
        ("一、撤销被告作出的决定；\n二、责令被告于六十日内重新作出行政行为。", ["撤销", "责令重作"]),
        ("一、确认被告拆除行为违法；\n二、驳回原告的其他诉讼请求。", ["确认违法", "驳回其他诉讼请求"]),
        ("准许原告撤诉。", ["准许撤诉"]),
    ],
)
def test_ruling_forms(operative: str, forms: list[str]) -> None:
    assert ruling_forms(operative) == forms


def test_withdrawal_after_the_agency_corrected_itself() -> None:
    text = judgment(
        "（2020）浙0783行初9号", "准许原告撤回起诉。", "诉讼中，被告已自行撤销被诉处罚决定，原告申请撤诉。"
    )
    d = decide_outcome(minimal_record(text))
    assert d.outcome == Outcome.withdrawn and d.withdrawn_after_correction is True


def test_outcomes_on_the_whole_corpus(corpus_dir, corpus_labels, corpus_judgments) -> None:  # type: ignore[no-untyped-def]
    """GIVEN every corpus judgment's text parsed as an upload would be THEN ≥ 97% of outcomes match."""
    from classify.corpus import parse

    ok = sum(
        decide_outcome(parse(corpus_judgments[i]["document_text"])).outcome.value == lb["outcome"]
        for i, lb in corpus_labels.items()
    )
    assert ok / len(corpus_labels) >= 0.97


APPEAL_WITHDRAWN = """某某省某某市中级人民法院
行 政 裁 定 书
（2021）某01行终9号
上诉人（原审被告）某某市某某区市场监督管理局。
被上诉人（原审原告）张三。
上诉人某某市某某区市场监督管理局因行政处罚一案，不服某某区人民法院（2020）某0101行初1号行政判决，向本院提起上诉。
一审法院认为，被告作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序。一审法院依照《中华人民共和国行政诉讼法》第七十条第（三）项之规定，判决：撤销被告作出的某市监罚〔2020〕1号行政处罚决定。
本院认为，上诉人在本院审理期间申请撤回上诉，不违反法律规定。
依照《中华人民共和国行政诉讼法》第一百零一条之规定，裁定如下：
{order}
二审案件受理费50元，减半收取25元，由上诉人负担。
本裁定为终审裁定。
审判长  李四
二〇二一年六月一日
书记员  王五
"""


@pytest.mark.parametrize(
    ("order", "lower", "want"),
    [
        ("准许上诉人某某市某某区市场监督管理局撤回上诉。", True, "agency_lost"),
        ("本案按上诉人某某市某某区市场监督管理局撤回上诉处理。", True, "agency_lost"),
        ("准许上诉人某某市某某区市场监督管理局撤回上诉。", False, "withdrawn"),
    ],
)
def test_withdrawn_appeal_takes_the_outcome_of_the_decision_below(order: str, lower: bool, want: str) -> None:
    """GIVEN an appeal withdrawn or deemed withdrawn THEN the first-instance decision takes effect: its
    outcome when the text states it, else `withdrawn` (TAXONOMY)."""
    from ingest.parse import parse_text

    text = APPEAL_WITHDRAWN.replace("{order}", order)
    if not lower:
        text = text.replace(
            "一审法院依照《中华人民共和国行政诉讼法》第七十条第（三）项之规定，判决：撤销被告作出的某市监罚〔2020〕1号行政处罚决定。",
            "",
        )
    assert decide_outcome(parse_text(text)).outcome.value == want


REVIEW = """中华人民共和国最高人民法院
行 政 裁 定 书
（2020）最高法行申1号
再审申请人（一审原告、二审上诉人）张三。
被申请人（一审被告、二审被上诉人）某某省人民政府。
再审申请人张三因诉某某省人民政府行政复议一案，不服某某省高级人民法院（2019）某行终2号{kind}，向本院申请再审。
张三申请再审称，{narrative}请求撤销原审判决，支持其诉讼请求。
本院认为，原审{kind}并无不当，再审申请人的申请再审理由不能成立。
依照《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第一百一十六条第二款之规定，裁定如下：
驳回张三的再审申请。
审判长  李四
二〇二〇年六月一日
书记员  王五
"""


@pytest.mark.parametrize(
    ("kind", "narrative", "want"),
    [
        # a ruling reviewed, although the applicant speaks of 判决
        ("行政裁定", "原审判决认定事实错误，", "dismissed"),
        # a judgment reviewed; 驳回起诉 appears only in the applicant's narrative
        ("行政判决", "其曾另案起诉被法院驳回起诉，", "agency_won"),
    ],
)
def test_retrial_review_reads_the_kind_of_decision_reviewed(kind: str, narrative: str, want: str) -> None:
    from ingest.parse import parse_text

    text = REVIEW.replace("{kind}", kind).replace("{narrative}", narrative)
    assert decide_outcome(parse_text(text)).outcome.value == want
