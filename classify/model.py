"""The learned part: TF-IDF over jieba words + logistic regression, stored as plain JSON.

Three heads:
- ``causes``: one binary logistic regression per loss cause, trained on the losses only (a cause is
  asked for only once the outcome is a loss), over the words of the court's reasoning;
- ``action_type`` and ``field``: multinomial logistic regression over the "meta" text (title, cause
  of action, the sued action, defendants, the 一案 phrase and the start of the history and reasoning).

Probabilities are logistic regression's own (L2-regularised LR is reasonably calibrated; no
CalibratedClassifierCV: too few examples per cause to hold out a calibration fold).

Nothing is pickled. Inference is numpy only (the artefact holds vocabulary, idf, coefficients,
intercepts and classes), so loading never runs code from the file. scikit-learn is needed to train.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from classify.errors import ModelFormatError, UntrustedModelPath

FORMAT_VERSION = 2  # 2: + the sentence classifier (classify.sentence_model); 1 is still read
READABLE_VERSIONS = (1, 2)
SHIPPED_MODEL = Path(__file__).parent / "model" / "anjian-model.json"
MIN_POSITIVES = 3  # a cause head is trained only with at least this many positive examples


@dataclass(frozen=True)
class TrainingExample:
    """One labelled judgment, reduced to what the model reads (canonical: hashable, JSON-able)."""

    id: str
    reasoning: str  # the court's reasoning (+ endorsed lower-court reasoning)
    meta: str  # title, cause of action, sued action, defendants, 一案 phrase, openings
    outcome: str
    loss_causes: tuple[str, ...] = ()
    action_type: str | None = None
    field: str | None = None
    # (cause, the sentence that states it): labelled evidence, or a reviewer's named sentence
    evidence: tuple[tuple[str, str], ...] = ()

    def canonical(self) -> dict:
        d = asdict(self)
        d["loss_causes"] = sorted(self.loss_causes)
        d["evidence"] = sorted([list(e) for e in self.evidence])
        if not self.evidence:
            del d["evidence"]  # the hash of a format-1 training set is unchanged
        return d


def training_hash(examples: list[TrainingExample]) -> str:
    payload = json.dumps(
        sorted((e.canonical() for e in examples), key=lambda d: d["id"]), ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Vectorizer:
    """Sublinear TF × smoothed IDF, L2-normalised (as scikit-learn's TfidfVectorizer)."""

    vocabulary: list[str]
    idf: np.ndarray
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {w: i for i, w in enumerate(self.vocabulary)}

    def transform(self, words: list[str]) -> np.ndarray:
        vec = np.zeros(len(self.vocabulary))
        for w, n in Counter(words).items():
            i = self._index.get(w)
            if i is not None:
                vec[i] = (1.0 + math.log(n)) * self.idf[i]
        norm = np.linalg.norm(vec)
        return vec / norm if norm > 0 else vec

    def index(self, word: str) -> int | None:
        return self._index.get(word)

    def sparse(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(indices, L2-normalised values) of ``transform`` without the dense vector."""
        idx, vals = [], []
        for w, n in Counter(words).items():
            i = self._index.get(w)
            if i is not None:
                idx.append(i)
                vals.append((1.0 + math.log(n)) * self.idf[i])
        v = np.array(vals)
        norm = np.linalg.norm(v) if len(v) else 0.0
        return np.array(idx, dtype=int), (v / norm if norm > 0 else v)


@dataclass
class LinearHead:
    """Logistic regression weights. ``binary``: one sigmoid over coef[0] for classes[1]."""

    classes: list[str]
    coef: np.ndarray  # (n_rows, n_features)
    intercept: np.ndarray  # (n_rows,)

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.coef @ x + self.intercept
        if len(self.classes) == 2 and self.coef.shape[0] == 1:
            p = 1.0 / (1.0 + math.exp(-float(z[0])))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        z = z - z.max()
        e = np.exp(z)
        p = e / e.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


@dataclass
class CauseModel:
    cause_vectorizer: Vectorizer
    cause_heads: dict[str, LinearHead]  # cause → binary head (classes ["0", "1"])
    meta_vectorizer: Vectorizer
    action_head: LinearHead | None
    field_head: LinearHead | None
    training_hash: str
    n_examples: int
    created: str
    library_versions: dict[str, str]
    format_version: int = FORMAT_VERSION
    sentence_vectorizer: Vectorizer | None = None
    sentence_heads: dict[str, LinearHead] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"v{self.format_version}-{self.training_hash[:12]}"

    def cause_probabilities(self, reasoning_words: list[str]) -> dict[str, float]:
        x = self.cause_vectorizer.transform(reasoning_words)
        return {c: h.probabilities(x)["1"] for c, h in self.cause_heads.items()}

    def sentence_probabilities(self, sentence: str) -> dict[str, float]:
        """cause → probability that ``sentence`` states it (empty without a sentence classifier)."""
        if self.sentence_vectorizer is None or not self.sentence_heads:
            return {}
        from classify.sentence_model import char_ngrams

        idx, vals = self.sentence_vectorizer.sparse(char_ngrams(sentence))
        out = {}
        for cause, h in self.sentence_heads.items():
            z = float(h.coef[0, idx] @ vals + h.intercept[0]) if len(idx) else float(h.intercept[0])
            out[cause] = 1.0 / (1.0 + math.exp(-z))
        return out

    def cause_term_weights(self, cause: str) -> dict[str, float]:
        """Positive weights of the words that speak for ``cause`` (to pick an evidence sentence)."""
        head = self.cause_heads.get(cause)
        if head is None:
            return {}
        vocab = self.cause_vectorizer.vocabulary
        return {vocab[i]: float(w) for i, w in enumerate(head.coef[0]) if w > 0}

    def action_type(self, meta_words: list[str]) -> tuple[str, float] | None:
        return (
            _top(self.action_head, self.meta_vectorizer.transform(meta_words)) if self.action_head else None
        )

    def field(self, meta_words: list[str]) -> tuple[str, float] | None:
        return _top(self.field_head, self.meta_vectorizer.transform(meta_words)) if self.field_head else None


def _top(head: LinearHead, x: np.ndarray) -> tuple[str, float]:
    probs = head.probabilities(x)
    best = max(probs, key=lambda c: probs[c])
    return best, probs[best]


# --- training ----------------------------------------------------------------------------------


def train(examples: list[TrainingExample], tokenize) -> CauseModel:  # type: ignore[no-untyped-def]
    """Fit the three heads. ``tokenize``: text → words (the same function inference uses)."""
    import jieba
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def vectorizer(docs: list[list[str]], min_df: int, max_features: int) -> tuple[TfidfVectorizer, object]:
        v = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=min_df, max_features=max_features)
        return v, v.fit_transform(docs)

    losses = [e for e in examples if e.outcome == "agency_lost"]
    loss_words = [tokenize(e.reasoning) for e in losses] or [[]]
    cv, X = vectorizer(loss_words, min_df=2 if len(losses) > 20 else 1, max_features=3000)
    cause_heads: dict[str, LinearHead] = {}
    for cause in sorted({c for e in losses for c in e.loss_causes}):
        y = np.array([1 if cause in e.loss_causes else 0 for e in losses])
        if y.sum() < MIN_POSITIVES or (len(y) - y.sum()) < MIN_POSITIVES:
            continue
        lr = LogisticRegression(C=4.0, solver="saga", max_iter=3000, tol=1e-4, random_state=0).fit(X, y)
        cause_heads[cause] = LinearHead(["0", "1"], lr.coef_.copy(), lr.intercept_.copy())

    from classify.sentence_model import labelled_sentences, train_heads

    rows = [r for e in losses for r in labelled_sentences(e.reasoning, e.evidence)]
    s_vocab, s_idf, s_heads = train_heads(rows)
    sentence_heads = {c: LinearHead(["0", "1"], coef, icpt) for c, (coef, icpt) in s_heads.items()}

    meta_words = [tokenize(e.meta) for e in examples]
    mv, M = vectorizer(meta_words, min_df=2 if len(examples) > 40 else 1, max_features=2000)
    action_head = _multiclass(M, [e.action_type for e in examples], LogisticRegression)
    field_head = _multiclass(M, [e.field for e in examples], LogisticRegression)
    return CauseModel(
        cause_vectorizer=Vectorizer(list(cv.get_feature_names_out()), cv.idf_.copy()),
        cause_heads=cause_heads,
        meta_vectorizer=Vectorizer(list(mv.get_feature_names_out()), mv.idf_.copy()),
        action_head=action_head,
        field_head=field_head,
        sentence_vectorizer=Vectorizer(s_vocab, s_idf) if s_vocab else None,
        sentence_heads=sentence_heads,
        training_hash=training_hash(examples),
        n_examples=len(examples),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        library_versions={
            "sklearn": sklearn.__version__,
            "jieba": jieba.__version__,
            "numpy": np.__version__,
        },
    )


def _multiclass(X, labels: list[str | None], LogisticRegression) -> LinearHead | None:  # type: ignore[no-untyped-def]
    rows = [i for i, y in enumerate(labels) if y]
    ys = [labels[i] for i in rows]
    if len(set(ys)) < 2:
        return None
    lr = LogisticRegression(C=10.0, solver="saga", max_iter=3000, tol=1e-4, random_state=0).fit(X[rows], ys)
    classes = [str(c) for c in lr.classes_]
    if len(classes) == 2:  # scikit-learn stores one row for two classes
        return LinearHead(classes, lr.coef_.copy(), lr.intercept_.copy())
    return LinearHead(classes, lr.coef_.copy(), lr.intercept_.copy())


# --- the artefact ------------------------------------------------------------------------------


def _round(a: np.ndarray) -> list:
    return np.round(a, 6).tolist()


def to_json(model: CauseModel) -> dict:
    def head(h: LinearHead | None) -> dict | None:
        return (
            None
            if h is None
            else {"classes": h.classes, "coef": _round(h.coef), "intercept": _round(h.intercept)}
        )

    return {
        "format": "anjian-cause-model",
        "format_version": model.format_version,
        "created": model.created,
        "library_versions": model.library_versions,
        "training_hash": model.training_hash,
        "n_examples": model.n_examples,
        "cause_vectorizer": {
            "vocabulary": model.cause_vectorizer.vocabulary,
            "idf": _round(model.cause_vectorizer.idf),
        },
        "cause_heads": {c: head(h) for c, h in model.cause_heads.items()},
        "meta_vectorizer": {
            "vocabulary": model.meta_vectorizer.vocabulary,
            "idf": _round(model.meta_vectorizer.idf),
        },
        "action_head": head(model.action_head),
        "field_head": head(model.field_head),
        "sentence_vectorizer": None
        if model.sentence_vectorizer is None
        else {
            "vocabulary": model.sentence_vectorizer.vocabulary,
            "idf": _round(model.sentence_vectorizer.idf),
        },
        "sentence_heads": {c: head(h) for c, h in model.sentence_heads.items()},
    }


def from_json(data: dict) -> CauseModel:
    if data.get("format") != "anjian-cause-model" or data.get("format_version") not in READABLE_VERSIONS:
        raise ModelFormatError(
            f"unknown model format {data.get('format')!r} version {data.get('format_version')!r}; "
            f"this program reads version {FORMAT_VERSION}: retrain with `anjian train`"
        )

    def head(d: dict | None) -> LinearHead | None:
        if d is None:
            return None
        return LinearHead(
            list(d["classes"]), np.array(d["coef"], dtype=float), np.array(d["intercept"], dtype=float)
        )

    def vec(d: dict) -> Vectorizer:
        return Vectorizer(list(d["vocabulary"]), np.array(d["idf"], dtype=float))

    try:
        return CauseModel(
            cause_vectorizer=vec(data["cause_vectorizer"]),
            cause_heads={c: h for c, d in data["cause_heads"].items() if (h := head(d)) is not None},
            meta_vectorizer=vec(data["meta_vectorizer"]),
            action_head=head(data["action_head"]),
            field_head=head(data["field_head"]),
            training_hash=str(data["training_hash"]),
            n_examples=int(data["n_examples"]),
            created=str(data["created"]),
            library_versions=dict(data["library_versions"]),
            format_version=int(data["format_version"]),
            sentence_vectorizer=vec(data["sentence_vectorizer"]) if data.get("sentence_vectorizer") else None,
            sentence_heads={
                c: h for c, d in (data.get("sentence_heads") or {}).items() if (h := head(d)) is not None
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFormatError(f"malformed model artefact: {exc}") from exc


def save(model: CauseModel, path: Path) -> None:
    """Write atomically: a temp file in the same directory, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".anjian-model-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(to_json(model), fh, ensure_ascii=False, separators=(",", ":"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_trusted(target: Path, trusted_dirs: tuple[Path, ...] | None) -> bool:
    """The shipped artefact; a file inside ``trusted_dirs`` (settings.models_dir) when given;
    when not given, a file of ours that no one else can write (nor its directory)."""
    target = target.resolve()
    if target.is_relative_to(SHIPPED_MODEL.parent.resolve()):
        return True
    if trusted_dirs:
        return any(target.is_relative_to(d.resolve()) for d in trusted_dirs)
    try:
        for p in (target, target.parent):
            st = p.stat()
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def load(path: Path | None = None, trusted_dirs: tuple[Path, ...] | None = None) -> CauseModel:
    """Read an artefact: the shipped one, or a trusted file (see :func:`is_trusted`)."""
    target = (path or SHIPPED_MODEL).resolve()
    if not is_trusted(target, trusted_dirs):
        raise UntrustedModelPath(
            f"refusing to load a model from {target}: only the shipped model or the models directory is trusted"
        )
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"cannot read model {target}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelFormatError(f"cannot read model {target}: not a JSON object")
    return from_json(data)
