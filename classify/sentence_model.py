"""The sentence classifier: which reasoning sentence states which loss cause.

Trained on the labelled evidence sentences (``cause_evidence``; a reviewer's correction that names
its sentence) against the other sentences of the court's reasoning in the same judgments. Features
are character 2- and 3-grams (digits folded to 0, blanks dropped): nothing downloaded, and the
courts' fixed phrases (主要证据不足, 违反法定程序) are what such n-grams see. One binary logistic
regression per cause, class-weighted (a few dozen positives among thousands of sentences); inference
is numpy only, through the same ``Vectorizer`` / ``LinearHead`` as the document model.
"""

from __future__ import annotations

import re

import numpy as np

from classify.text import sentences

MIN_SENTENCES = 3  # a cause head needs this many labelled sentences
_BLANK = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def char_ngrams(sentence: str) -> list[str]:
    s = _DIGITS.sub("0", _BLANK.sub("", sentence))
    return [s[i : i + n] for n in (2, 3) for i in range(len(s) - n + 1)]


def overlaps(a: str, b: str, n: int = 12) -> bool:
    """The two sentences share a stretch of ``n`` characters (or one holds the other)."""
    a, b = a.strip().rstrip("。"), b.strip().rstrip("。")
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    n = min(n, len(a), len(b))
    return any(b[i : i + n] in a for i in range(0, len(b) - n + 1))


def labelled_sentences(reasoning: str, evidence: tuple[tuple[str, str], ...]) -> list[tuple[str, set[str]]]:
    """The reasoning's sentences with the causes each one is evidence for; a quote that is not in
    the reasoning (the court's assessment of the evidence) is added as its own sentence."""
    out: list[tuple[str, set[str]]] = []
    for sp in sentences(reasoning):
        s = reasoning[sp.start : sp.end]
        if len(s) >= 6:
            out.append((s, {c for c, q in evidence if overlaps(s, q)}))
    for cause, quote in evidence:
        if not any(cause in causes for _, causes in out):
            out.append((quote, {cause}))
    return out


def train_heads(rows: list[tuple[str, set[str]]]):  # type: ignore[no-untyped-def]
    """(vocabulary, idf, {cause: (coef, intercept)}) for the causes with enough labelled sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if not rows:
        return [], np.zeros(0), {}
    docs = [char_ngrams(s) for s, _ in rows]
    v = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=2, max_features=20000)
    X = v.fit_transform(docs)
    heads = {}
    for cause in sorted({c for _, cs in rows for c in cs}):
        y = np.array([1 if cause in cs else 0 for _, cs in rows])
        if y.sum() < MIN_SENTENCES:
            continue
        lr = LogisticRegression(C=2.0, class_weight="balanced", max_iter=2000, random_state=0).fit(X, y)
        heads[cause] = (lr.coef_.copy(), lr.intercept_.copy())
    return list(v.get_feature_names_out()), v.idf_.copy(), heads
