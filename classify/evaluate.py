"""Scores of a classifier against labels, and K-fold cross-validation on a labelled corpus.

The JSON shape is the one issue 3 fixes (``anjian eval classify``). Causes are counted over all
judgments: a cause predicted on a judgment that is not a loss is a false positive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from classify.decide import Thresholds, classify_record
from classify.model import CauseModel
from classify.sentences import is_bare_citation
from classify.training import example_from_record
from classify.types import Classification
from core.taxonomy import LossCause
from ingest.record import JudgmentRecord

MACRO_MIN_SUPPORT = 3
# the court's own reasoning, and the lower court's an upheld appeal endorses
_REASONING = {"reasoning", "endorsed"}
DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Labelled:
    id: str
    record: JudgmentRecord
    label: dict


def score(pairs: list[tuple[dict, Classification]]) -> dict:
    n = len(pairs)
    confusion: dict[str, Counter] = {}
    outcome_ok = 0
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    support: Counter = Counter()
    act_n = act_ok = field_n = field_ok = 0
    predicted_causes = in_reasoning = quotes = bare = rightly = agree = 0
    for label, c in pairs:
        true_outcome = label.get("outcome")
        confusion.setdefault(str(true_outcome), Counter())[c.outcome.value] += 1
        outcome_ok += c.outcome.value == true_outcome
        true_causes = set(label.get("loss_causes") or []) if true_outcome == "agency_lost" else set()
        pred = set(c.cause_codes())
        support.update(true_causes)
        tp.update(pred & true_causes)
        fp.update(pred - true_causes)
        fn.update(true_causes - pred)
        quoted = label.get("cause_evidence") or {}
        for tag in c.loss_causes:
            predicted_causes += 1
            in_reasoning += bool(tag.evidence) and tag.evidence[0].section in _REASONING
            quotes += len(tag.evidence)
            bare += sum(is_bare_citation(e.text) for e in tag.evidence)
            gold = quoted.get(tag.cause.value) if tag.cause.value in true_causes else None
            if gold:
                golds = gold if isinstance(gold, list) else [gold]
                rightly += 1
                agree += any(_overlaps(e.text, g) for e in tag.evidence for g in golds)
        if label.get("action_type"):
            act_n += 1
            act_ok += c.action_type is not None and c.action_type.value == label["action_type"]
        if label.get("field"):
            field_n += 1
            field_ok += c.field is not None and c.field.value == label["field"]
    causes = {}
    for cause in LossCause:
        k = cause.value
        if not (support[k] or fp[k]):
            continue
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 0.0
        r = tp[k] / support[k] if support[k] else 0.0
        causes[k] = {"precision": _r(p), "recall": _r(r), "f1": _r(_f1(p, r)), "support": support[k]}
    T, P, S = sum(tp.values()), sum(tp.values()) + sum(fp.values()), sum(support.values())
    micro = _f1(T / P if P else 0.0, T / S if S else 0.0)
    macro_over = sorted(k for k in causes if support[k] >= MACRO_MIN_SUPPORT)
    macro = sum(causes[k]["f1"] for k in macro_over) / len(macro_over) if macro_over else 0.0
    return {
        "n": n,
        "outcome_accuracy": _r(outcome_ok / n if n else 0.0),
        "outcome_confusion": {t: dict(sorted(p.items())) for t, p in sorted(confusion.items())},
        "causes": causes,
        "causes_micro_f1": _r(micro),
        "causes_macro_f1": _r(macro),
        "macro_over": macro_over,
        "action_type_accuracy": _r(act_ok / act_n if act_n else 0.0),
        "field_accuracy": _r(field_ok / field_n if field_n else 0.0),
        "evidence_in_reasoning": _r(in_reasoning / predicted_causes if predicted_causes else 1.0),
        # share of quoted sentences that are only the ruling basis (依照…之规定，判决如下); target 0
        "evidence_bare_citation": _r(bare / quotes if quotes else 0.0),
        # rightly found causes whose quote is (or overlaps) the labelled decisive sentence
        "evidence_matches_label": _r(agree / rightly if rightly else 1.0),
    }


def _overlaps(quote: str, gold: str) -> bool:
    """The quote and the labelled sentence share a stretch of ≥ 12 characters (or one holds the other)."""
    a, b = quote.strip(), gold.strip().rstrip("。")
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    n = min(12, len(a), len(b))
    return any(b[i : i + n] in a for i in range(0, len(b) - n + 1))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _r(x: float) -> float:
    return round(x, 4)


def evaluate(
    items: list[Labelled], model: CauseModel | None, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict:
    return score([(it.label, classify_record(it.record, model, thresholds)) for it in items])


def cross_validate(
    items: list[Labelled],
    k: int,
    train: Callable[[list], CauseModel],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    seed: int = 0,
) -> dict:
    """Train on K-1 folds (stratified by outcome), classify the held-out fold, score all together."""
    held_out = held_out_classifications(items, k, train, thresholds, seed)
    return score([(it.label, c) for it, c in zip(items, held_out, strict=True)])


def held_out_classifications(
    items: list[Labelled],
    k: int,
    train: Callable[[list], CauseModel],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    seed: int = 0,
    groups: list[str] | None = None,
) -> list[Classification]:
    """Each item classified by a model that never saw it: K folds stratified by outcome, or, with ``groups``
    (e.g. the source collection of each judgment), one fold per group (leave one group out)."""
    from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

    examples = [example_from_record(it.id, it.record, it.label) for it in items]
    if groups is not None:
        splits = LeaveOneGroupOut().split(items, groups=groups)
    else:
        outcomes = [str(it.label.get("outcome")) for it in items]
        counts = Counter(outcomes)
        strata = [o if counts[o] >= k else "rare" for o in outcomes]
        splits = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(items, strata)
    out: list[Classification | None] = [None] * len(items)
    for train_idx, test_idx in splits:
        model = train([examples[i] for i in train_idx])
        for i in test_idx:
            out[i] = classify_record(items[i].record, model, thresholds)
    return [c for c in out if c is not None]
