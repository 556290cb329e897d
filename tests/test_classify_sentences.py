"""The sentence classifier: trained on labelled evidence sentences (small fixture written here),
it ranks a finding above the other reasoning sentences, round-trips in the artefact, and learns
from the sentence a reviewer names."""

from __future__ import annotations

from pathlib import Path

from classify import load_model, save_model, train_model
from classify.model import TrainingExample
from classify.sentence_model import labelled_sentences
from classify.training import corrected_label, example_from_record, label_evidence

OTHER = [
    "本院认为，本案的争议焦点是被诉决定是否合法。",
    "原告于二〇一九年三月向被告提出申请。",
    "被告于同年五月作出被诉决定，并送达原告。",
    "原告不服，提起本案诉讼。",
]
PROCEDURE = [
    "被告在作出决定前未告知原告陈述申辩的权利，违反法定程序。",
    "被告未听取原告的陈述和申辩即作出处罚，程序违法。",
    "被告作出处罚决定前未举行听证，违反法定程序。",
    "被告未依法送达即强制执行，程序违法。",
]
EVIDENCE = [
    "被告认定原告占用土地的主要证据不足。",
    "被告认定事实不清，证据不足。",
    "被告提交的证据不能证明原告实施了违法行为，主要证据不足。",
    "被诉决定认定的基本事实缺乏证据支持，主要证据不足。",
]


def _example(i: int, cause: str, finding: str) -> TrainingExample:
    reasoning = "".join(OTHER) + finding + "依照《中华人民共和国行政诉讼法》第七十条之规定，判决如下："
    return TrainingExample(
        id=f"w{i}",
        reasoning=reasoning,
        meta="某某市某某局 行政处罚 一案",
        action_type="penalty" if i % 2 else "licensing",
        field="market_regulation" if i % 2 else "transport",
        outcome="agency_lost",
        loss_causes=(cause,),
        evidence=((cause, finding),),
    )


def _examples() -> list[TrainingExample]:
    out = [_example(i, "procedure", s) for i, s in enumerate(PROCEDURE)]
    return out + [_example(10 + i, "insufficient_evidence", s) for i, s in enumerate(EVIDENCE)]


def test_finding_outranks_the_other_sentences_and_round_trips(tmp_path: Path) -> None:
    model = train_model(_examples())
    assert set(model.sentence_heads) == {"procedure", "insufficient_evidence"}
    finding = "被告在作出决定前未告知原告享有听证的权利，违反法定程序。"
    p_finding = model.sentence_probabilities(finding)["procedure"]
    p_other = max(model.sentence_probabilities(s)["procedure"] for s in OTHER)
    assert p_finding > 0.5 > p_other
    path = tmp_path / "m.json"
    save_model(model, path)
    again = load_model(path, trusted_dirs=(tmp_path,))
    before, after = model.sentence_probabilities(finding), again.sentence_probabilities(finding)
    assert before.keys() == after.keys()
    assert all(abs(before[c] - after[c]) < 1e-4 for c in before)  # weights stored to 6 decimals


def test_labelled_sentences_mark_the_quote_and_keep_the_rest_negative() -> None:
    ex = _example(0, "procedure", PROCEDURE[0])
    rows = labelled_sentences(ex.reasoning, ex.evidence)
    assert [s for s, causes in rows if causes] == [PROCEDURE[0]]
    assert sum(1 for _, causes in rows if not causes) >= len(OTHER)


def test_a_reviewer_named_sentence_becomes_a_sentence_label() -> None:
    """GIVEN a reviewer adding a cause with the sentence that proves it THEN retraining sees the pair."""
    label = {"outcome": "agency_lost", "loss_causes": []}
    sentence = "被告未在法定期限内作出答复。"
    corrected = corrected_label(
        label, [{"field": "loss_causes", "value": [{"cause": "inaction", "evidence": [{"text": sentence}]}]}]
    )
    assert corrected["loss_causes"] == ["inaction"]
    assert label_evidence(corrected) == (("inaction", sentence),)


def test_corpus_label_evidence_reaches_the_training_example() -> None:
    from ingest.parse import parse_text
    from tests.test_classify_anchors import JUDGMENT

    quote = "本院认为，被告作出处罚决定前未告知原告陈述、申辩的权利，违反法定程序，依法应予撤销。"
    label = {"outcome": "agency_lost", "loss_causes": ["procedure"], "cause_evidence": {"procedure": quote}}
    ex = example_from_record("x", parse_text(JUDGMENT), label)
    assert ex.evidence == (("procedure", quote),)


def test_a_cause_evidence_correction_is_a_sentence_label_and_wins_on_the_tag() -> None:
    from classify import apply_corrections
    from classify.types import CauseTag, Classification, Evidence
    from core.taxonomy import LossCause, Outcome

    named = {"cause": "procedure", "text": "被告未告知原告听证权利。", "start": 5, "end": 17}
    label = corrected_label(
        {"outcome": "agency_lost", "loss_causes": ["procedure"]},
        [{"field": "cause_evidence", "value": named}],
    )
    assert label_evidence(label) == (("procedure", "被告未告知原告听证权利。"),)
    machine = Classification(
        outcome=Outcome.agency_lost,
        loss_causes=[
            CauseTag(cause=LossCause.procedure, evidence=[Evidence(text="依照…判决如下：", start=20, end=28)])
        ],
    )
    c = apply_corrections(machine, [{"field": "cause_evidence", "value": named}])
    assert c.loss_causes[0].evidence[0].text == "被告未告知原告听证权利。"
