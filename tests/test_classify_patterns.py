"""Every phrase pattern is justified: ≥ 2 supporting dev documents, or a sentence written here.

``classify/pattern_support.json`` is what ``anjian eval classify ../shared/corpus --patterns --json``
measured on the dev corpus; regenerate it when a pattern changes (the first test fails until then).
Each sentence below was written for this test, in the court's voice, to show the phrasing the
pattern exists for; the test checks that the pattern fires on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classify.rules import pattern_ids, run_rules
from classify.text import Span

SUPPORT = json.loads((Path(__file__).parent.parent / "classify" / "pattern_support.json").read_text("utf-8"))

EXAMPLES: dict[str, str] = {
    "pd.deemed_no_evidence#1": "被告逾期未提交证据，应视为被诉行为无相应证据。",
    "pd.late_evidence#0": "被告未在法定举证期限内向本院提交作出被诉行为的证据和依据。",
    "pd.late_evidence#1": "被告收到起诉状副本后，未提交答辩状，亦未提交任何证据。",
    "pd.burden_failed#0": "被告应当承担举证不能的法律后果。",
    "pd.no_proof_of_legality#0": "被告未提交证据证明其作出的决定合法。",
    "pd.absent#0": "被告经本院合法传唤，拒不到庭参加诉讼。",
    "pd.absent#1": "被告的委托代理人未经法庭许可中途退庭。",
    "pd.absent#2": "被告经本院传票传唤，无正当理由拒不到庭。",
    "in.nonperformance#1": "被告对原告的申请拖延履行，本院予以纠正。",
    "in.nonperformance#2": "被告在接到举报后怠于履行查处职责。",
    "in.nonperformance#4": "被告拒绝履行颁发证照的职责，缺乏依据。",
    "in.overdue#0": "被告收到申请后逾期未作出处理决定。",
    "in.overdue#1": "被告没有在法定期限内作出答复。",
    "in.overdue#2": "被告收到申请后超过法定答复期限才作出回复。",
    "in.overdue#3": "被告收到原告的申请后，至今未予答复。",
    "in.overdue#4": "被告对原告的申请不予答复，显属不当。",
    "in.overdue#5": "被告在收到申请后长达两年时间内均未作出任何处理。",
    "in.overdue#6": "被告对原告的投诉没有作出任何处理。",
    "pr.time_limit#1": "被告超期作出处罚决定，程序违法。",
    "pr.unlawful_procedure#2": "被告作出处罚的程序违反了法律的规定。",
    "pr.unlawful_procedure#3": "被告作出决定的程序存在明显瑕疵，应确认违法。",
    "pr.unlawful_procedure#5": "被告作出决定的程序不合法，应予撤销。",
    "pr.unlawful_procedure#6": "被告未依法遵循听证程序即作出吊销决定。",
    "pr.no_hearing#1": "被告的做法剥夺了原告陈述和申辩的权利。",
    "pr.no_hearing#2": "被告在作出处罚前未履行告知义务。",
    "pr.no_hearing#3": "被告未提供证据证明其履行了法定的告知程序。",
    "pr.no_service#2": "被告在强制拆除前未进行书面催告。",
    "pr.no_service#3": "被告没有在现场张贴公告，即实施了拆除。",
    "pr.no_service#4": "被告提交的证据不能证明其已向原告送达处罚决定书。",
    "pr.no_decision_before_force#1": "被告未取得人民法院准予强制执行的裁定，即自行拆除。",
    "la.wrong_law#1": "被诉决定法律适用错误，依法应予撤销。",
    "la.wrong_law#2": "被诉决定适用依据错误。",
    "la.wrong_law#3": "被告错误适用了已废止的规章。",
    "ie.main_evidence#2": "被告认定原告未取得许可的证据不充分。",
    "ie.main_evidence#3": "被告认定原告存在违法行为，缺乏证据证明。",
    "ie.facts_unclear#1": "被诉决定事实认定不清，应予撤销。",
    "ie.facts_unclear#2": "被诉决定认定事实错误。",
    "ie.facts_unclear#3": "被告认定原告占地面积的事实有误。",
    "ie.facts_unclear#4": "被告疏于调查核实即作出决定。",
    "ie.facts_unclear#5": "被告未全面调查即作出认定。",
    "ie.own_evidence_fails#0": "被告提交的询问笔录等证据不能证明原告实施了该行为。",
    "ie.own_evidence_fails#1": "被告未能证明其作出的处罚决定具有事实依据。",
    "uv.beyond_power#0": "被告作出的处罚决定超越法定职权。",
    "uv.beyond_power#1": "被告的行为属于越权行政。",
    "uv.beyond_power#2": "被告的决定超出其法定职权范围。",
    "uv.beyond_power#3": "被告无权作出撤销该登记的决定。",
    "uv.beyond_power#4": "作出被诉决定的执法主体不适格。",
    "uv.beyond_power#5": "被告不具备作出该决定的法定职权。",
    "ab.abuse#0": "被告的行为构成滥用职权。",
    "mi.improper#0": "被告作出的处罚明显不当。",
    "mi.improper#1": "被告对原告作出的处罚显失公正。",
    "mi.improper#2": "被告确定的补偿数额显失公平。",
    "mi.improper#3": "被告对原告的罚款畸重。",
    "mi.improper#4": "被告对原告的处罚过罚不相当。",
    "mi.improper#5": "被告对原告的处罚明显过重。",
    "ot.breach#0": "被告未按期支付补偿款，构成违约。",
    "ot.breach#1": "被告违反了补偿协议的约定。",
    "ot.breach#2": "被告未按协议约定支付安置补偿款。",
}


def test_support_file_lists_the_current_patterns() -> None:
    """The measured support is for exactly these patterns (regenerate the file after a change)."""
    have = {r["id"]: r["pattern"] for r in SUPPORT["patterns"]}
    want = {pid: regex for pid, _, regex in pattern_ids()}
    assert have == want, "classify/pattern_support.json is stale: run anjian eval classify --patterns --json"


def test_every_pattern_has_two_dev_documents_or_a_written_sentence() -> None:
    weak = [r["id"] for r in SUPPORT["patterns"] if r["support"] < 2 and r["id"] not in EXAMPLES]
    assert weak == [], f"patterns with dev support < 2 and no sentence in EXAMPLES: {weak}"


@pytest.mark.parametrize(("pid", "sentence"), sorted(EXAMPLES.items()))
def test_written_sentence_fires_its_pattern(pid: str, sentence: str) -> None:
    hits = run_rules(sentence, [Span(0, len(sentence), "reasoning")], every_pattern=True)
    assert pid in {h.pattern for h in hits}
