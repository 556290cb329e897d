"""How much each phrase pattern is worth on a labelled corpus, and figures that do not flatter it.

- ``pattern_support``: for every pattern of ``classify.rules_table``, the labelled losses where it
  fires in the court's own voice (inside the rule scope) and names a labelled cause (support), and
  where it fires wrongly.
- ``honest_figures``: causes micro-F1 with the rules alone, and with every pattern removed from the
  one document that is its only support (a leave-one-out for the rule tables: a pattern written
  while reading one judgment cannot score on that judgment).
"""

from __future__ import annotations

from dataclasses import dataclass

from classify.causes import assessment_spans, rule_scope
from classify.decide import Thresholds, classify_record
from classify.outcome import decide_outcome
from classify.rules import pattern_ids, run_rules
from ingest.record import JudgmentRecord


@dataclass(frozen=True)
class Item:
    id: str
    record: JudgmentRecord
    label: dict


def _true_causes(label: dict) -> set[str]:
    return set(label.get("loss_causes") or []) if label.get("outcome") == "agency_lost" else set()


def pattern_support(items: list[Item]) -> list[dict]:
    """One row per pattern: id, rule, cause, regex, support (documents), wrong (documents)."""
    support: dict[str, set[str]] = {pid: set() for pid, _, _ in pattern_ids()}
    wrong: dict[str, set[str]] = {pid: set() for pid, _, _ in pattern_ids()}
    for it in items:
        decision = decide_outcome(it.record)
        own, lower = rule_scope(it.record, decision)
        spans = own + lower + assessment_spans(it.record, own)
        truth = _true_causes(it.label)
        for hit in run_rules(it.record.text, spans, every_pattern=True):
            (support if hit.cause in truth else wrong)[hit.pattern].add(it.id)
    return [
        {
            "id": pid,
            "rule": rule.id,
            "cause": rule.cause,
            "pattern": regex,
            "support": len(support[pid]),
            "wrong": len(wrong[pid]),
            "documents": sorted(support[pid]),
        }
        for pid, rule, regex in pattern_ids()
    ]


def honest_figures(items: list[Item], thresholds: Thresholds, score) -> dict:  # type: ignore[no-untyped-def]
    """{rules_only, single_support_removed}: causes micro-F1 (``score`` is ``classify.evaluate.score``)."""
    rows = pattern_support(items)
    only: dict[str, set[str]] = {}
    for row in rows:
        if row["support"] == 1:
            only.setdefault(row["documents"][0], set()).add(row["id"])
    rules_only = score([(it.label, classify_record(it.record, None, thresholds)) for it in items])
    removed = []
    for it in items:
        th = Thresholds(
            thresholds.cause_threshold,
            thresholds.rule_min_strength,
            frozenset(only.get(it.id, set())) | thresholds.disabled_patterns,
        )
        removed.append((it.label, classify_record(it.record, None, th)))
    return {
        "rules_only": rules_only["causes_micro_f1"],
        "single_support_removed": score(removed)["causes_micro_f1"],
        "patterns": len(rows),
        "patterns_support_below_2": sum(r["support"] < 2 for r in rows),
    }
