"""Search like a lawyer (issue 18), with sentences written here: statutes as queries (the one citation
parser reads both the judgment and the typed query), phrases that rank by themselves, operators in any case,
case numbers typed bare, 当事人:, filter-only snippets from the evidence sentence, "did you mean"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.citations import find_citations, parse_typed_citation
from ingest.normalize import normalize
from search.embedded import EmbeddedBackend
from search.errors import QuerySyntaxError
from search.query import And, CaseNo, Cite, Not, Or, QueryField, Text, canonical_case_no, parse_query
from search.snippet import make_snippet
from search.statutes import cn_numeral, doc_keys, law_key, query_key
from search.suggest import within_one_edit

F = QueryField


def cites(text: str) -> list[Any]:
    """The citations ingestion reads (ingest.citations, as parse_text calls it)."""
    norm, offsets = normalize(text)
    return find_citations(text, norm, offsets)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("行政诉讼法第七十条", "行政诉讼法|70"),
        ("《中华人民共和国行政诉讼法》第七十条", "行政诉讼法|70"),
        ("行政诉讼法第70条", "行政诉讼法|70"),
        ("行政诉讼法第七十条第一项", "行政诉讼法|70|i1"),
        ("行政诉讼法第七十条第（一）项", "行政诉讼法|70|i1"),
        ("行政诉讼法第七十条第一款第二项", "行政诉讼法|70|p1|i2"),
        ("第70条", "~|70"),
        ("工伤保险条例第十四条", "工伤保险条例|14"),
    ],
)
def test_a_typed_citation_is_read_by_the_one_parser(typed: str, key: str) -> None:
    (c,) = parse_typed_citation(typed)
    assert query_key(c) == key
    assert parse_query(typed).root == Cite(key, parse_query(typed).root.marks)  # type: ignore[union-attr]
    assert parse_query(f'"{typed}"').root == parse_query(typed).root  # quoted or not


def test_words_that_merely_contain_第_stay_words() -> None:
    for word in ("第三人", "第一审", "违法", "行政诉讼法"):
        assert isinstance(parse_query(word).root, Text | Or), word
    assert parse_query("法条:行政诉讼法").root == Cite("行政诉讼法", ("行政诉讼法",))
    with pytest.raises(QuerySyntaxError, match="法条"):
        parse_query("法条:强制拆除")


def test_a_judgment_citation_gives_every_token_a_query_can_ask_for() -> None:
    text = (
        "行政判决书\n本院认为，被告未履行告知义务。依照《中华人民共和国行政诉讼法》第七十条第（一）项、"
        "第（三）项之规定，判决如下：撤销被诉决定。"
    )
    keys = doc_keys(cites(text))
    for asked in (
        "行政诉讼法第七十条",
        "行政诉讼法第七十条第一项",
        "行政诉讼法第70条第（三）项",
        "第70条",
        "法条:行政诉讼法",
    ):
        node = parse_query(asked).root
        assert isinstance(node, Cite) and node.key in keys, asked
    assert query_key(parse_typed_citation("行政诉讼法第七十条第二项")[0]) not in keys
    assert law_key("《中华人民共和国 行政诉讼法》") == "行政诉讼法"
    assert [cn_numeral(n) for n in (7, 10, 14, 70, 101, 110)] == [
        "七",
        "十",
        "十四",
        "七十",
        "一百零一",
        "一百一十",
    ]


def test_operators_in_any_case_and_the_pipe() -> None:
    a, b = Text("催告"), Text("听证")
    for q in ("催告 OR 听证", "催告 or 听证", "催告 Or 听证", "催告|听证", "催告 | 听证", "催告 || 听证"):
        assert parse_query(q).root == Or((a, b)), q
    for q in ("催告 AND 听证", "催告 and 听证", "催告 && 听证"):
        assert parse_query(q).root == And((a, b)), q
    for q in ("催告 NOT 听证", "催告 not 听证", "催告 -听证"):
        assert parse_query(q).root == And((a, Not(b))), q
    assert parse_query("类型:行政处罚|行政强制").root == Or(
        (parse_query("类型:行政处罚").root, parse_query("类型:行政强制").root)  # type: ignore[arg-type]
    )
    with pytest.raises(QuerySyntaxError, match="后面缺少检索词"):
        parse_query("催告 or")
    with pytest.raises(QuerySyntaxError, match="排除"):
        parse_query("催告 NOT")


@pytest.mark.parametrize(
    "typed",
    [
        "2019豫0721行初15号",
        "〔2019〕豫0721行初15号",
        "[2019]豫0721行初15号",
        "(2019)豫0721行初15号",
        "（2019）豫0721行初15号",
    ],
)
def test_case_numbers_are_recognised_in_any_bracket_style_or_none(typed: str) -> None:
    assert canonical_case_no(typed) == "（2019）豫0721行初15号"
    root = parse_query(typed).root
    assert isinstance(root, Or) and root.nodes[0] == CaseNo("（2019）豫0721行初15号")


def test_old_case_numbers_match_without_字第_and_ordinary_words_are_not_case_numbers() -> None:
    assert (
        canonical_case_no("（2014）郑行初字第15号")
        == canonical_case_no("2014郑行初15号")
        == "（2014）郑行初15号"
    )
    for word in ("2019年第15号", "强制拆除", "2019", "第15号"):
        assert canonical_case_no(word) is None, word
    assert parse_query("当事人:张某").root.field is F.party  # type: ignore[union-attr]


def _doc(jid: int, text: str, **kw: Any) -> dict[str, Any]:
    at = text.find("本院认为")
    reasoning = [(at, len(text))] if at >= 0 else []
    return {
        "id": jid,
        "case_no": kw.get("case_no"),
        "text": text,
        "reasoning_spans": reasoning,
        "citations": [c.model_dump() for c in cites(text)],
        "loss_causes": kw.get("causes", []),
        "evidence": kw.get("evidence", {}),
        "plaintiffs": kw.get("plaintiffs", []),
        "defendants": kw.get("defendants", []),
        "respondents": kw.get("respondents", []),
        "outcome": kw.get("outcome"),
    }


@pytest.fixture
def small_index(tmp_path: Path) -> EmbeddedBackend:
    many = "本院认为，被告作出的处罚决定未履行催告程序。" * 10
    docs = [
        # The phrase ten times, but few of the words a mid-word fragment would produce.
        _doc(1, "行政判决书\n" + many, case_no="（2019）豫0721行初15号"),
        # The words of the phrase everywhere, the phrase itself once.
        _doc(
            2,
            "行政判决书\n本院认为，履行 催告 程序 未履行 催告程序 处罚 决定。" * 8 + "未履行催告程序。",
            case_no="（2020）豫0721行初16号",
        ),
        _doc(
            3,
            "行政判决书\n本院认为，被告作出拆除决定前未听取陈述申辩，依照《中华人民共和国行政诉讼法》第七十条第（三）项之规定，"
            "判决撤销。原审案号（2019）豫0721行初15号。",
            case_no="（2020）豫07行终9号",
            causes=["procedure"],
            evidence={"procedure": [17, 33]},
            plaintiffs=["张某甲"],
            defendants=["某县自然资源局"],
        ),
        _doc(4, "行政裁定书\n本院认为，被执行人应当履行义务。准予强制执行。", respondents=["李某乙"]),
    ]
    backend = EmbeddedBackend(tmp_path / "index", workers=1)
    backend.rebuild(docs)
    return backend


def test_a_quoted_phrase_ranks_by_the_phrase_itself(small_index: EmbeddedBackend) -> None:
    hits = small_index.search('"未履行催告程序"', size=5, facets=False).hits
    assert [h.id for h in hits][:2] == [1, 2]


def test_statutes_bare_case_numbers_parties_and_evidence_snippets_on_an_index(
    small_index: EmbeddedBackend,
) -> None:
    def ids(q: str) -> list[int]:
        return [h.id for h in small_index.search(q, size=10, facets=False).hits]

    assert ids("行政诉讼法第七十条") == [3] == ids("第70条第三项") == ids("法条:行政诉讼法第七十条第（三）项")
    assert ids("行政诉讼法第七十条第一项") == []
    assert ids("2019豫0721行初15号")[0] == 1  # its own judgment before the one citing it
    assert ids("当事人:李某乙") == [4] and ids("当事人:张某甲") == [3] and ids("当事人:自然资源局") == [3]
    snippet = small_index.search("原因:违反法定程序", size=1).hits[0].snippet
    text = small_index.search("原因:违反法定程序", size=1).hits[0]
    assert "<mark>" in snippet and text.id == 3
    marked = small_index.search("行政诉讼法第七十条", size=1).hits[0].snippet
    assert "<mark>第七十条</mark>" in marked and "<mark>行政诉讼法</mark>" in marked


def test_zero_results_suggest_the_word_the_index_knows(small_index: EmbeddedBackend) -> None:
    res = small_index.search("未履行催高程序", size=5)
    assert res.total == 0
    assert within_one_edit("违返法定程序", "违反法定程序") and not within_one_edit(
        "违反法定程序", "违反法定程序"
    )
    assert within_one_edit("行政处伐", "行政处罚") and within_one_edit("处罚", "行政处罚") is False
    res = small_index.search("陈述申辨", size=5)
    assert res.total == 0 and res.suggestions == ["陈述申辩"]


def test_filter_only_snippet_starts_at_and_marks_the_evidence_sentence() -> None:
    text = (
        "原告诉称，请求撤销。"
        + "被告辩称，程序合法。" * 20
        + "本院认为，被告未告知听证权利，违反法定程序。其余从略。"
    )
    start = text.index("被告未告知")
    end = text.index("。其余") + 1
    snippet = make_snippet(text, [], (text.index("本院认为"), len(text)), focus=(start, end))
    assert "<mark>被告未告知听证权利，违反法定程序。</mark>" in snippet
