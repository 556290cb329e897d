"""Search quality on a labelled corpus: queries written from the labels, the judgments each must find,
recall and precision per query. Used by tests (both engines run the same table) and by
``anjian eval search``.

Queries come from the labels (``原因:违反法定程序`` must find every judgment labelled ``procedure``),
from the label's case numbers, courts and agencies, and from phrases of the labelled evidence
sentences. The expected set of a text query is every judgment whose text contains it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.taxonomy import ActionType, LossCause, Outcome, Procedure
from core.taxonomy import Field as EnforcementField


@dataclass
class QualityCase:
    query: str
    expected: set[str]  # corpus ids
    kind: str  # label | case_no | court | defendant | phrase | word | combined
    min_recall: float = 1.0  # what the test demands (lower where the parser's reading of the text matters)
    min_precision: float = 1.0
    first: str | None = None  # this judgment must be the first hit (a case number typed bare)


@dataclass
class QualityRow:
    case: QualityCase
    found: set[str] = field(default_factory=set)
    top: str | None = None  # corpus id of the first hit

    @property
    def first_ok(self) -> bool:
        return self.case.first is None or self.top == self.case.first

    @property
    def recall(self) -> float:
        return len(self.found & self.case.expected) / len(self.case.expected) if self.case.expected else 1.0

    @property
    def precision(self) -> float:
        return len(self.found & self.case.expected) / len(self.found) if self.found else 1.0


def load_corpus(corpus_dir: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    def read(name: str) -> dict[str, dict]:
        rows = (
            json.loads(line) for line in (corpus_dir / name).read_text("utf-8").splitlines() if line.strip()
        )
        return {r["id"]: r for r in rows}

    return read("judgments.jsonl"), read("labels.jsonl")


def judgment_rows(judgments: dict[str, dict], labels: dict[str, dict]) -> list[dict[str, Any]]:
    """Column values of a ``core.models.Judgment`` per corpus document: the record as ingestion reads it
    (``ingest.parse.parse_text``), the labels' outcome/causes/action/field as if classified."""
    from ingest.parse import parse_text

    rows = []
    for cid, j in judgments.items():
        rec = parse_text(j["document_text"])
        lab = labels[cid]
        # The labelled evidence sentence of each cause, located in the text, as a classifier would quote it.
        tags = []
        for cause in lab["loss_causes"]:
            quote = (lab.get("cause_evidence") or {}).get(cause) or ""
            at = rec.text.find(quote) if quote else -1
            evidence = [{"text": quote, "start": at, "end": at + len(quote)}] if at >= 0 else []
            tags.append({"cause": cause, "evidence": evidence})
        rows.append(
            {
                "corpus_id": cid,
                "case_no": rec.case_no,
                "doc_kind": rec.doc_kind,
                "procedure": rec.procedure,
                "title": rec.title or j.get("title"),
                "court": rec.court,
                "judgment_date": dt.date.fromisoformat(rec.judgment_date) if rec.judgment_date else None,
                "outcome": lab["outcome"],
                "action_type": lab["action_type"],
                "field": lab["field"],
                "loss_causes": list(lab["loss_causes"]),
                "defendants": list(rec.defendants),
                "plaintiffs": list(rec.plaintiffs),
                "record": rec.model_dump(mode="json"),
                "classification": {
                    "outcome": lab["outcome"],
                    "loss_causes": tags,
                    "action_type": lab["action_type"],
                    "action_type_probability": lab.get("action_type_probability"),
                },
            }
        )
    return rows


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _containing(judgments: dict[str, dict], phrase: str) -> set[str]:
    p = _compact(phrase)
    return {cid for cid, j in judgments.items() if p in _compact(j["document_text"])}


def _containing_word(judgments: dict[str, dict], word: str) -> set[str]:
    """What a plain (unquoted) word must find: the judgments containing it or one of its synonyms."""
    from search.synonyms import variants

    return set().union(*(_containing(judgments, v) for v in variants(word)))


def _by(labels: dict[str, dict], pred: Any) -> set[str]:
    return {cid for cid, lab in labels.items() if pred(lab)}


def quality_table(judgments: dict[str, dict], labels: dict[str, dict]) -> list[QualityCase]:
    cases: list[QualityCase] = []
    add = cases.append
    # Coded labels: every value that occurs, by its Chinese name (and one by its code).
    for enum, key, name in (
        (LossCause, "loss_causes", "原因"),
        (Outcome, "outcome", "结果"),
        (ActionType, "action_type", "类型"),
        (EnforcementField, "field", "领域"),
    ):
        for member in enum:
            if key == "loss_causes":
                exp = _by(labels, lambda lab, m=member: m.value in lab["loss_causes"])
            else:
                exp = _by(labels, lambda lab, m=member, k=key: lab[k] == m.value)
            if exp:
                add(QualityCase(f"{name}:{member.zh}", exp, "label"))
    add(QualityCase("原因:procedure", _by(labels, lambda lab: "procedure" in lab["loss_causes"]), "label"))
    # Procedure is read from the text by ingestion (the case number says it): measured, not a given.
    for procedure in Procedure:
        exp = _by(labels, lambda lab, m=procedure: lab["procedure"] == m.value)
        if len(exp) >= 3:
            add(QualityCase(f"审级:{procedure.zh}", exp, "procedure", 0.9, 0.9))
    # Combinations, OR, exclusion.
    lost = _by(labels, lambda lab: lab["outcome"] == "agency_lost")
    proc = _by(labels, lambda lab: "procedure" in lab["loss_causes"])
    evid = _by(labels, lambda lab: "insufficient_evidence" in lab["loss_causes"])
    add(QualityCase("原因:违反法定程序 OR 原因:主要证据不足", proc | evid, "combined"))
    add(QualityCase("结果:败诉 -原因:违反法定程序", lost - proc, "combined"))
    coercion_lost = _by(
        labels, lambda lab: lab["action_type"] == "coercion" and lab["outcome"] == "agency_lost"
    )
    add(QualityCase("类型:行政强制 结果：败诉", coercion_lost, "combined"))
    # Years: 年份 is the judgment year, else the case-number year (dates are often masked ××××年××月××日).
    years: dict[str, int] = {}
    for cid, lab in labels.items():
        m = re.match(r"^[（(](\d{4})[）)]", lab.get("case_no") or "")
        if lab.get("judgment_date"):
            years[cid] = int(lab["judgment_date"][:4])
        elif m:
            years[cid] = int(m.group(1))
    add(QualityCase("年份:2016..2018", {c for c, y in years.items() if 2016 <= y <= 2018}, "year", 0.9, 0.9))
    # Masked dates: a judgment of early 2024 filed in 2023 counts as 2023 here (measured, not hidden).
    add(QualityCase("年份:2023", {c for c, y in years.items() if y == 2023}, "year", 0.9, 0.7))
    dates = {cid: lab["judgment_date"] for cid, lab in labels.items() if lab.get("judgment_date")}
    add(
        QualityCase(
            "日期:2016-01-01..2017-06-30",
            {c for c, d in dates.items() if "2016-01-01" <= d <= "2017-06-30"},
            "date",
            0.9,
            0.9,
        )
    )
    # Case numbers: every 12th judgment, quoted and unquoted.
    for i, (_cid, lab) in enumerate(sorted(labels.items())):
        if lab.get("case_no") and i % 12 == 0:
            exp = _by(labels, lambda lab2, c=lab["case_no"]: lab2.get("case_no") == c)
            q = f'案号:"{lab["case_no"]}"' if i % 24 == 0 else f"案号:{lab['case_no']}"
            add(QualityCase(q, exp, "case_no", 1.0, 1.0))
    # Courts and agencies named in the labels (every 20th judgment).
    for i, (_cid, lab) in enumerate(sorted(labels.items())):
        if i % 20 == 5 and lab.get("court") and "×" not in lab["court"]:
            exp = _by(labels, lambda lab2, c=lab["court"]: c in (lab2.get("court") or ""))
            add(QualityCase(f'法院:"{lab["court"]}"', exp, "court", 1.0, 0.5))
        if i % 20 == 9 and lab.get("defendants"):
            name = lab["defendants"][0]
            exp = _by(labels, lambda lab2, n=name: any(n in d for d in lab2.get("defendants") or []))
            add(QualityCase(f'被告:"{name}"', exp, "defendant", 0.5, 0.5))
    # Phrases of the courts' reasoning (the labelled evidence sentences): the first 16 characters.
    phrases = 0
    for _cid, lab in sorted(labels.items()):
        for quote in (lab.get("cause_evidence") or {}).values():
            phrase = _compact(quote)[:16]
            if phrases < 10 and len(phrase) >= 10:
                add(QualityCase(f'"{phrase}"', _containing(judgments, phrase), "phrase"))
                phrases += 1
    # Plain words a lawyer types; "民政府" and "定程" cut across jieba words (人民政府, 法定程序):
    # a word matches verbatim whatever the segmenter did.
    for words in (
        "强制拆除",
        "催告",
        "工伤认定",
        "政府信息公开",
        "听证",
        "行政处罚 陈述申辩",
        "民政府",
        "定程",
        "强制拆除 OR 限期拆除",
        "工伤 -工伤认定",
        "罚",
        "诉",
    ):
        if " OR " in words:
            a, b = words.split(" OR ")
            exp = _containing_word(judgments, a) | _containing_word(judgments, b)
        else:
            exp = set(judgments)
            for w in words.split():
                exp = (
                    exp - _containing_word(judgments, w[1:])
                    if w.startswith("-")
                    else exp & _containing_word(judgments, w)
                )
        add(QualityCase(words, exp, "word"))
    # Synonyms and abbreviations (search/synonyms.txt): a plain word finds its synonyms too, a quoted one only
    # itself. Expected sets from the text: every judgment containing the word or one of its synonyms.
    for word in ("强拆", "认定工伤", "信息公开", "人社局", "国土局", "自然资源局", "镇政府", "被告:人社局"):
        if word.startswith("被告:"):
            exp = _by(
                labels,
                lambda lab: any(
                    v in d
                    for d in lab["defendants"]
                    for v in ("人社局", "人力资源和社会保障局", "人力资源社会保障局")
                ),
            )
            add(QualityCase(word, exp, "synonym", 0.8, 0.8))  # agency names as the parser reads them
        else:
            add(QualityCase(word, _containing_word(judgments, word), "synonym"))
    add(QualityCase('"强拆"', _containing(judgments, "强拆"), "synonym"))
    add(QualityCase('"国土局"', _containing(judgments, "国土局"), "synonym"))
    cases += statute_cases(judgments)
    cases += operator_cases(judgments)
    cases += case_number_cases(labels)
    cases += party_cases(judgments, labels)
    return cases


def _cited(judgments: dict[str, dict]) -> dict[str, list[tuple[str, int | None, int | None, int | None]]]:
    """Corpus id → its citations (law key, article, paragraph, item) as ingestion reads them (#10's parser)."""
    from ingest.parse import parse_text
    from search.statutes import law_key

    return {
        cid: [
            (law_key(c.law), c.article, c.paragraph, c.item) for c in parse_text(j["document_text"]).citations
        ]
        for cid, j in judgments.items()
    }


def statute_cases(judgments: dict[str, dict]) -> list[QualityCase]:
    """Statute queries typed as lawyers type them — law name with or without 中华人民共和国 and 《》, Chinese or
    Arabic numerals, 项 with or without brackets, quoted or not, 法条: or free text — for the most cited norms
    of the corpus. Expected: every judgment whose citations (read at ingestion) include that norm."""
    from search.statutes import cn_numeral

    cited = _cited(judgments)
    articles: dict[tuple[str, int], int] = {}
    items: dict[tuple[str, int, int], int] = {}
    for cits in cited.values():
        for law, art, _para, item in set(cits):
            if art is not None and law:
                articles[(law, art)] = articles.get((law, art), 0) + 1
                if item is not None:
                    items[(law, art, item)] = items.get((law, art, item), 0) + 1
    out: list[QualityCase] = []
    styles = (
        lambda law, a: f"{law}第{cn_numeral(a)}条",
        lambda law, a: f'"{law}第{cn_numeral(a)}条"',
        lambda law, a: f"法条:{law}第{a}条",
        lambda law, a: f"《中华人民共和国{law}》第{cn_numeral(a)}条",
    )
    top = sorted(articles.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    for k, ((law, art), _n) in enumerate(top):
        exp = {cid for cid, cits in cited.items() if any(c[0] == law and c[1] == art for c in cits)}
        out.append(QualityCase(styles[k % len(styles)](law, art), exp, "statute"))
    for (law, art, item), _n in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
        exp = {
            cid
            for cid, cits in cited.items()
            if any(c[0] == law and c[1] == art and c[3] == item for c in cits)
        }
        out.append(QualityCase(f"{law}第{cn_numeral(art)}条第{cn_numeral(item)}项", exp, "statute"))
    if top:
        (law, art), _n = top[0]
        any_law = {cid for cid, cits in cited.items() if any(c[1] == art for c in cits)}
        out.append(QualityCase(f"第{art}条", any_law, "statute"))
        with_law = {cid for cid, cits in cited.items() if any(c[0] == law for c in cits)}
        out.append(QualityCase(f"法条:{law}", with_law, "statute"))
    return out


def operator_cases(judgments: dict[str, dict]) -> list[QualityCase]:
    """Operators in any case and ``|``: the same sets as their upper-case forms."""

    def has(w: str) -> set[str]:
        return _containing_word(judgments, w)

    return [
        QualityCase("强制拆除 or 限期拆除", has("强制拆除") | has("限期拆除"), "operator"),
        QualityCase("催告|听证", has("催告") | has("听证"), "operator"),
        QualityCase("催告 | 听证", has("催告") | has("听证"), "operator"),
        QualityCase("行政处罚 and 听证", has("行政处罚") & has("听证"), "operator"),
        QualityCase("行政处罚 AND 听证", has("行政处罚") & has("听证"), "operator"),
        QualityCase("工伤 not 工伤认定", has("工伤") - has("工伤认定"), "operator"),
        QualityCase("工伤 NOT 工伤认定", has("工伤") - has("工伤认定"), "operator"),
        QualityCase("(催告 Or 听证) 拆除", (has("催告") | has("听证")) & has("拆除"), "operator"),
    ]


def case_number_cases(labels: dict[str, dict]) -> list[QualityCase]:
    """Case numbers typed bare in free text — no 案号:, brackets 〔〕, [] or none — must find their judgment
    first; 案号: without the old 字第 finds the old number."""
    out: list[QualityCase] = []
    styles = (
        lambda y, rest: f"{y}{rest}",
        lambda y, rest: f"〔{y}〕{rest}",
        lambda y, rest: f"({y}){rest}",
        lambda y, rest: f"[{y}]{rest}",
    )
    numbered = [(cid, lab["case_no"]) for cid, lab in sorted(labels.items()) if lab.get("case_no")]
    k = 0
    for i, (cid, case_no) in enumerate(numbered):
        m = re.match(r"^（(\d{4})）(.+)$", case_no)
        if not m or i % 6:
            continue
        exp = {c for c, lab in labels.items() if lab.get("case_no") == case_no}
        query = styles[k % len(styles)](m.group(1), m.group(2))
        k += 1
        out.append(QualityCase(query, exp, "case_no_bare", 1.0, 0.0, first=cid))
    old = [(cid, case_no) for cid, case_no in numbered if "字第" in case_no]
    for cid, case_no in old[:4]:
        exp = {c for c, lab in labels.items() if lab.get("case_no") == case_no}
        out.append(QualityCase(f"案号:{case_no.replace('字第', '')}", exp, "case_no", first=cid))
    return out


def party_cases(judgments: dict[str, dict], labels: dict[str, dict]) -> list[QualityCase]:
    """当事人: over every party role — plaintiff, defendant, third party, the applying agency and the 被执行人
    of an enforcement review."""
    from ingest.parse import parse_text

    out: list[QualityCase] = []

    def roles(lab: dict) -> list[str]:
        return [
            *lab["plaintiffs"],
            *lab["defendants"],
            *lab["third_parties"],
            *([lab["applicant"]] if lab.get("applicant") else []),
        ]

    picked: list[str] = []
    for _cid, lab in sorted(labels.items()):
        for role in ("plaintiffs", "third_parties", "applicant"):
            value = lab.get(role)
            name = value if isinstance(value, str) else (value[0] if value else None)
            if name and len(name) >= 3 and "×" not in name and "某" not in name and name not in picked:
                picked.append(name)
                break
        if len(picked) >= 6:
            break
    for name in picked:
        exp = {cid for cid, lab in labels.items() if any(name in p for p in roles(lab))}
        out.append(QualityCase(f'当事人:"{name}"', exp, "party", 0.8, 0.8))
    # The 被执行人 of enforcement reviews (not in the labels): the respondents ingestion reads, found by name.
    respondents = 0
    for _cid, j in sorted(judgments.items()):
        if respondents >= 3 or labels[_cid]["procedure"] != "enforcement_review":
            continue
        rec = parse_text(j["document_text"])
        for name in rec.respondents[:1]:
            if len(name) >= 2 and "×" not in name:
                out.append(QualityCase(f"当事人:{name}", _containing(judgments, name), "party", 1.0, 0.5))
                respondents += 1
    return out


def run_table(backend: Any, cases: Iterable[QualityCase], corpus_of: dict[int, str]) -> list[QualityRow]:
    """Run every query; ``corpus_of`` maps judgment ids to corpus ids."""
    rows = []
    for case in cases:
        res = (
            backend.search(case.query, size=200, facets=False)
            if _takes_facets(backend)
            else backend.search(case.query, size=200)
        )
        top = corpus_of.get(res.hits[0].id) if res.hits else None
        rows.append(QualityRow(case, {corpus_of[h.id] for h in res.hits if h.id in corpus_of}, top))
    return rows


def _takes_facets(backend: Any) -> bool:
    import inspect

    return "facets" in inspect.signature(backend.search).parameters


def summary(rows: list[QualityRow]) -> dict[str, Any]:
    by_kind: dict[str, list[QualityRow]] = {}
    for r in rows:
        by_kind.setdefault(r.case.kind, []).append(r)

    def avg(rs: list[QualityRow], attr: str) -> float:
        return round(sum(getattr(r, attr) for r in rs) / len(rs), 3) if rs else 0.0

    firsts = [r for r in rows if r.case.first is not None]
    return {
        "queries": len(rows),
        "recall": avg(rows, "recall"),
        "precision": avg(rows, "precision"),
        "found_first": round(sum(r.first_ok for r in firsts) / len(firsts), 3) if firsts else None,
        "by_kind": {
            k: {"queries": len(v), "recall": avg(v, "recall"), "precision": avg(v, "precision")}
            for k, v in sorted(by_kind.items())
        },
    }


# --- behaviour both engines must share (beyond matching) ---------------------------------------------


def conformance_failures(
    backend: Any, corpus_of: dict[int, str], judgments: dict[str, dict], labels: dict[str, dict]
) -> list[str]:
    """Run the shared table and the behaviour checks; return what failed (empty: all good)."""
    import html

    from search.errors import QuerySyntaxError

    fails: list[str] = []
    ids_of = {cid: jid for jid, cid in corpus_of.items()}
    for row in run_table(backend, quality_table(judgments, labels), corpus_of):
        # statistics over a search result (anjian stats --query) take every match, not a page of hits
        every = {corpus_of[i] for i in backend.matching_ids(row.case.query) if i in corpus_of}
        if every != row.found:
            fails.append(
                f"{row.case.query}: matching_ids gives {len(every)} judgments, the search {len(row.found)}"
            )
        if not row.first_ok:
            fails.append(f"{row.case.query}: first hit {row.top}, not {row.case.first}")
        if row.recall < row.case.min_recall or row.precision < row.case.min_precision:
            fails.append(
                f"{row.case.query}: recall {row.recall:.2f} precision {row.precision:.2f} "
                f"(missing {sorted(row.case.expected - row.found)[:5]}, extra {sorted(row.found - row.case.expected)[:5]})"
            )
    # Snippets: original text, the word (or its synonym: 强拆) marked, never segmented text.
    res = backend.search("强制拆除", size=20)
    for h in res.hits:
        original = _compact(judgments[corpus_of[h.id]]["document_text"])
        plain = _compact(html.unescape(re.sub(r"</?mark>", "", h.snippet)).strip("…"))
        marked = "<mark>强制拆除</mark>" in h.snippet or "<mark>强拆</mark>" in h.snippet
        if not marked or "\u200b" in h.snippet or plain not in original:
            fails.append(f"snippet of {h.id} not an original excerpt with the hit marked: {h.snippet[:80]}")
    # Pagination: pages of 10 cover the whole result once.
    full = backend.search("结果:胜诉", size=200)
    seen: list[int] = []
    for page in range(1, full.total // 10 + 2):
        seen += [h.id for h in backend.search("结果:胜诉", page=page, size=10).hits]
    if sorted(seen) != sorted(h.id for h in full.hits) or len(seen) != full.total:
        fails.append(f"pagination: {len(seen)} ids over pages, {full.total} in total")
    # Date sort: newest first, undated last.
    dated = [h.judgment_date for h in backend.search("类型:行政处罚", size=200, sort="date").hits]
    known = [d for d in dated if d]
    if known != sorted(known, reverse=True) or (None in dated and any(dated[dated.index(None) :])):
        fails.append(f"date sort not newest-first: {dated[:10]}")
    # Facets: counts of the whole result, coded values with their Chinese name.
    res = backend.search("类型:行政处罚", size=1)
    facet = {f.value: f for f in res.facets.get("action_type", [])}
    if (
        set(facet) != {"penalty"}
        or facet["penalty"].count != res.total
        or facet["penalty"].label != "行政处罚"
    ):
        fails.append(f"action_type facet of 类型:行政处罚: {res.facets.get('action_type')}")
    if sum(f.count for f in res.facets.get("outcome", [])) != res.total:
        fails.append("outcome facet counts do not add up to the total")
    if not res.facets.get("year") or not res.facets.get("court") or not res.facets.get("defendant"):
        fails.append(f"facets missing: {sorted(k for k, v in res.facets.items() if v)}")

    # Agency users see only cases in which their agency is a party: as defendant, as the applying agency of
    # an enforcement review, or as a third party — and nobody else's.
    def parties(lab: dict) -> set[str]:
        return {
            *lab["defendants"],
            *([lab["applicant"]] if lab.get("applicant") else []),
            *lab["third_parties"],
        }

    some = next(h for h in backend.search("", size=50).hits)
    names = [
        next(iter(labels[corpus_of[some.id]]["defendants"]), None),
        next((lab["applicant"] for lab in labels.values() if lab.get("applicant")), None),
        next((p for lab in labels.values() for p in lab["third_parties"] if p.endswith("局")), None),
    ]
    for role, agency in zip(("defendant", "applicant", "third party"), names, strict=True):
        if not agency:
            continue
        scoped = backend.search("", size=200, restrict_parties=[agency])
        allowed = {ids_of[c] for c, lab in labels.items() if agency in parties(lab)}
        if (
            not scoped.hits
            or any(h.id not in allowed for h in scoped.hits)
            or {h.id for h in scoped.hits} != allowed
        ):
            fails.append(
                f"restrict_parties=[{agency!r}] ({role}): {sorted(h.id for h in scoped.hits)[:5]} "
                f"instead of {sorted(allowed)[:5]}"
            )
        if backend.matching_ids("", restrict_parties=[agency]) != allowed:
            fails.append(f"matching_ids restricted to {agency!r} ({role}) is not that agency's cases")
        others = [n for n in names if n and n != agency]
        if others and any(
            h.id in allowed - {ids_of[c] for c, lab in labels.items() if parties(lab) & set(others)}
            for h in backend.search("", size=200, restrict_parties=others).hits
        ):
            fails.append(f"another agency sees the cases of {agency!r}")
    if backend.search("", size=5, restrict_parties=[]).total != 0:
        fails.append("restrict_parties=[] must show nothing")
    # Exclusion alone means "all but".
    won = len([c for c, lab in labels.items() if lab["outcome"] == "agency_won"])
    if backend.search("-结果:胜诉", size=1).total != len(judgments) - won:
        fails.append("-结果:胜诉 alone is not 'everything except wins'")
    # Similar cases: never the case itself; the same kind of action ranks first.
    lost = sorted(ids_of[c] for c, lab in labels.items() if "procedure" in lab["loss_causes"])
    sim = backend.similar(lost[0], size=5)
    if not sim.hits or any(h.id == lost[0] for h in sim.hits):
        fails.append(f"similar({lost[0]}) empty or contains itself")
    else:
        top = labels[corpus_of[sim.hits[0].id]]
        base = labels[corpus_of[lost[0]]]
        if top["action_type"] != base["action_type"] and top["field"] != base["field"]:
            fails.append(f"similar({lost[0]}): top hit shares neither action type nor field")
    for bad in ({"query": '"未闭合', "size": 1}, {"query": "", "page": 600, "size": 20}):
        try:
            backend.search(**bad)
            fails.append(f"{bad} did not raise QuerySyntaxError")
        except QuerySyntaxError:
            pass
    if backend.count() != len(judgments) or backend.ids() != set(corpus_of):
        fails.append(f"count/ids: {backend.count()} vs {len(judgments)}")
    return fails


# --- similar cases (类案) ------------------------------------------------------------------------------

MERITS = {"agency_lost", "agency_won"}


def similar_relevance(query: dict, hit: dict) -> tuple[bool, int]:
    """Binary and graded relevance of a 类案 hit, from the labels: relevant when the labelled action type is the
    query's and a procedural ruling (dismissed, withdrawn, enforcement review…) is not offered for a merits
    judgment; grade 1 + same field + (both lost) a shared loss cause."""
    if query["action_type"] != hit["action_type"]:
        return False, 0
    if query["outcome"] in MERITS and hit["outcome"] not in MERITS:
        return False, 0
    grade = 1 + int(query["field"] == hit["field"])
    if query["outcome"] == "agency_lost" and set(query["loss_causes"]) & set(hit["loss_causes"]):
        grade += 1
    return True, grade


def _dcg(grades: list[int]) -> float:
    import math

    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def similar_table(
    backend: Any, corpus_of: dict[int, str], labels: dict[str, dict], k_precision: int = 5, k_ndcg: int = 10
) -> list[dict[str, Any]]:
    """For every labelled judgment: its 类案 (``backend.similar``), precision@5 (binary) and nDCG@10 (graded;
    the ideal ranking is taken over every other labelled judgment)."""
    ids_of = {cid: jid for jid, cid in corpus_of.items()}
    rows = []
    for cid, lab in sorted(labels.items()):
        if cid not in ids_of:
            continue
        res = backend.similar(ids_of[cid], size=k_ndcg)
        hits = [corpus_of[h.id] for h in res.hits if h.id in corpus_of]
        judged = [similar_relevance(lab, labels[h]) for h in hits]
        ideal = sorted(
            (similar_relevance(lab, other)[1] for o, other in labels.items() if o != cid), reverse=True
        )[:k_ndcg]
        best = _dcg(ideal)
        top = judged[:k_precision]
        rows.append(
            {
                "query": cid,
                "outcome": lab["outcome"],
                "precision_at_5": sum(r for r, _ in top) / k_precision,
                "ndcg_at_10": _dcg([g for _, g in judged[:k_ndcg]]) / best if best else None,
                "hits": hits,
            }
        )
    return rows


def similar_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def avg(rs: list[dict[str, Any]], key: str) -> float | None:
        values = [r[key] for r in rs if r[key] is not None]
        return round(sum(values) / len(values), 3) if values else None

    groups = {
        "all": rows,
        "lost": [r for r in rows if r["outcome"] == "agency_lost"],
        "merits": [r for r in rows if r["outcome"] in MERITS],
        "procedural": [r for r in rows if r["outcome"] not in MERITS],
    }
    return {
        name: {
            "queries": len(rs),
            "precision_at_5": avg(rs, "precision_at_5"),
            "ndcg_at_10": avg(rs, "ndcg_at_10"),
        }
        for name, rs in groups.items()
    }


# --- snippets of filter-only queries and "did you mean" --------------------------------------------------


def snippet_evidence(backend: Any, corpus_of: dict[int, str], labels: dict[str, dict]) -> dict[str, Any]:
    """For every lost case with a labelled evidence sentence: does the snippet of ``原因:<its cause>`` show (and
    mark) that sentence? Measures the mechanism (the stored evidence is the label's here)."""
    import html

    shown = total = 0
    for cid, lab in sorted(labels.items()):
        for cause, quote in (lab.get("cause_evidence") or {}).items():
            member = LossCause.parse(cause)
            if member is None or not quote:
                continue
            res = backend.search(f"原因:{member.zh}", size=200)
            hit = next((h for h in res.hits if corpus_of.get(h.id) == cid), None)
            if hit is None:
                continue
            total += 1
            marked = re.findall(r"<mark>(.*?)</mark>", hit.snippet)
            head = _compact(quote)[:12]
            shown += any(head in _compact(html.unescape(m)) for m in marked)
            break  # one cause per case
    return {"cases": total, "evidence_marked": shown, "rate": round(shown / total, 3) if total else None}


TYPOS = {
    # Typed with one wrong character (homophones a pinyin IME gives): the right word must be suggested.
    "违返法定程序": "违反法定程序",
    "行政处伐": "行政处罚",
    "强制拆楚": "强制拆除",
    "工伤认锭": "工伤认定",
    "信息工开": "信息公开",
}


def typo_suggestions(backend: Any) -> dict[str, Any]:
    """Zero-result queries with a typo: is the corrected query among the suggestions?"""
    rows = []
    for typo, right in TYPOS.items():
        res = backend.search(typo, size=1)
        rows.append(
            {
                "query": typo,
                "total": res.total,
                "suggestions": res.suggestions,
                "ok": right in res.suggestions,
            }
        )
    return {"queries": len(rows), "corrected": sum(r["ok"] for r in rows), "rows": rows}
