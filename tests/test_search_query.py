"""The query language: what staff type becomes a typed query, or a helpful Chinese error. Pure, no I/O."""

from __future__ import annotations

import pytest

from core.normalize import normalize_case_no
from core.segment import fold, segment
from search.errors import QuerySyntaxError
from search.query import And, Match, Not, Or, QueryField, Range, Text, parse_query

F = QueryField

PARSES = [
    ("强制拆除 未催告", And((Or((Text("强制拆除"), Text("强拆"))), Text("未催告")))),
    ("限期拆除 OR 责令改正", Or((Text("限期拆除"), Text("责令改正")))),
    ("拆除 -征收", And((Text("拆除"), Not(Text("征收"))))),
    ('"本院认为，被告"', Text("本院认为，被告", quoted=True)),
    ("“未履行催告程序”", Text("未履行催告程序", quoted=True)),
    ('案号:"（2019）豫0721行初15号"', Match(F.case_no, "（2019）豫0721行初15号")),
    ("案号:(2019)豫0721行初15号", Match(F.case_no, "(2019)豫0721行初15号")),
    ("案号：（2019）豫0721行初15号", Match(F.case_no, "（2019）豫0721行初15号")),
    ("法院:中级人民法院", Match(F.court, "中级人民法院")),
    ('被告:"某某县 人民政府"', Match(F.defendant, "某某县 人民政府")),
    ("原告:张某", Match(F.plaintiff, "张某")),
    ("案由:工伤", Match(F.cause_of_action, "工伤")),
    ("原因:违反法定程序", Match(F.cause, "procedure")),
    ("原因:procedure", Match(F.cause, "procedure")),
    ("原因：程序违法", Match(F.cause, "procedure")),
    ("结果:败诉", Match(F.outcome, "agency_lost")),
    ("审级:二审", Match(F.procedure, "appeal")),
    ("文书:行政复议决定书", Match(F.doc_kind, "reconsideration_decision")),
    ("文书:复议", Match(F.doc_kind, "reconsideration_decision")),
    ("文书种类:判决书", Match(F.doc_kind, "judgment")),
    ("类型:行政处罚", Match(F.action_type, "penalty")),
    ("领域:公安", Match(F.field, "public_security")),
    ("类型:行政处罚,行政强制", Or((Match(F.action_type, "penalty"), Match(F.action_type, "coercion")))),
    ("年份:2021..2023", Range(F.year, 2021, 2023)),
    ("年份:2021", Range(F.year, 2021, 2021)),
    ("年份:2021..", Range(F.year, 2021, None)),
    ("日期:2021-01-01..2021-06-30", Range(F.date, "2021-01-01", "2021-06-30")),
    ("日期:2021年3月5日", Range(F.date, "2021-03-05", "2021-03-05")),
    (
        "(法院:郑州 OR 法院:洛阳) 拆除",
        And((Or((Match(F.court, "郑州"), Match(F.court, "洛阳"))), Text("拆除"))),
    ),
    ("-结果:胜诉", Not(Match(F.outcome, "agency_won"))),
    ("court:北京 outcome:agency_lost", And((Match(F.court, "北京"), Match(F.outcome, "agency_lost")))),
    ("", None),
    ("   ", None),
    ("未催告 ，", Text("未催告")),
]


@pytest.mark.parametrize(("text", "expected"), PARSES, ids=[p[0] or "empty" for p in PARSES])
def test_parses(text: str, expected: object) -> None:
    assert parse_query(text).root == expected


ERRORS = [
    ('"强制拆除', "引号没有配对"),
    ("“强制拆除", "引号没有配对"),
    ("(强制拆除 OR 限期拆除", "左括号"),
    ("强制拆除)", "右括号"),
    ("作者:张三", "不认识的检索字段“作者”"),
    ("本院认为：被告", "放在引号里"),
    ("年份:二〇二一", "四位数的年份"),
    ("年份:2023..2021", "起点晚于终点"),
    ("年份:..", "两端都是空的"),
    ("日期:2021-13-01", "不是一个存在的日期"),
    ("日期:2021-06", "缺少日"),
    ("日期:昨天", "不是日期"),
    ("原因:太慢", "违反法定程序"),  # lists the valid choices
    ("结果:", "缺少要检索的内容"),
    ("强制拆除 OR", "“OR”后面缺少检索词"),
    ("OR 强制拆除", "“OR”前面缺少检索词"),
    ("()", "括号里是空的"),
    ('""', "引号里没有可检索的文字"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_malformed_queries_get_a_chinese_message(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert message in info.value.message_zh


def test_highlight_terms_are_the_positive_words() -> None:
    q = parse_query('强制拆除 "未履行催告程序" -征收 原因:procedure (听证 OR 申辩)')
    assert q.highlight_terms() == ["强制拆除", "强拆", "未履行催告程序", "听证", "申辩"]


def test_segmentation_uses_the_legal_dictionary_and_drops_punctuation() -> None:
    words = segment("被告未履行催告程序即强制拆除，违反法定程序。依照《中华人民共和国行政诉讼法》")
    assert "催告程序" in words and "违反法定程序" in words and "行政诉讼法" in words
    assert "，" not in words and "《" not in words


def test_fold_keeps_length_so_offsets_stay_valid() -> None:
    text = "（２０１９）豫０７２１行初１５号ＡＢＣ　x"
    assert len(fold(text)) == len(text)
    assert fold("ＡＢＣ１２") == "abc12"


@pytest.mark.parametrize(
    "raw",
    [
        "(2019)豫0721行初15号",
        "（2019）豫0721行初15号",
        "〔2019〕豫0721行初15号",
        "（２０１９）豫０７２１行初１５号",
        "( 2019 )豫0721行初15号",
    ],
)
def test_case_numbers_normalise_to_one_form(raw: str) -> None:
    assert normalize_case_no(raw) == "（2019）豫0721行初15号"


def test_elasticsearch_query_is_built_by_pure_functions() -> None:
    """The ES query DSL for a typed query (checked here without a server; the live table is in test_search_es)."""
    from search.compile_es import compile_query

    q = compile_query(parse_query('"强制拆除" -征收 原因:违反法定程序 年份:2021..2023'), ["某县自然资源局"])
    inner, allowed = q["bool"]["must"][0]["bool"], q["bool"]["filter"][0]
    assert allowed == {"terms": {"parties": ["某县自然资源局"]}}
    phrase = inner["must"][0]["match_phrase"]["body_chars"]  # a quoted phrase is scored by the phrase alone
    assert phrase["query"] == "强制 制拆 拆除" and phrase["slop"] == 0 and phrase["boost"] == 3.0
    assert {"bool": {"filter": [{"term": {"loss_causes": "procedure"}}]}} in inner["must"]
    assert {"bool": {"filter": [{"range": {"year": {"gte": 2021, "lte": 2023}}}]}} in inner["must"]
    assert inner["must_not"][0]["bool"]["must"][0]["match_phrase"]["body_chars"]["query"] == "征收"
    only_not = compile_query(parse_query("-结果:胜诉"))
    assert only_not["bool"]["must"] == [{"match_all": {}}]
    assert compile_query(parse_query("罚"))["bool"]["must"][0] == {
        "prefix": {"body_chars": {"value": "罚", "boost": 0.2}}
    }
    assert compile_query(parse_query(""), []) == {
        "bool": {"must": [{"match_all": {}}], "filter": [{"match_none": {}}]}
    }


# Synonyms and abbreviations (search/synonyms.txt), expanded by the shared query builder for both engines.
SYNONYM_PARSES = [
    ("强拆", Or((Text("强拆"), Text("强制拆除")))),
    ("强制拆除", Or((Text("强制拆除"), Text("强拆")))),
    ("认定工伤", Or((Text("认定工伤"), Text("工伤认定")))),
    ("信息公开", Or((Text("信息公开"), Text("政府信息公开")))),
    ("人社局", Or((Text("人社局"), Text("人力资源和社会保障局"), Text("人力资源社会保障局")))),
    ("国土局", Or((Text("国土局"), Text("国土资源局"), Text("自然资源局"), Text("自然资源和规划局")))),
    # inside a longer word, a term of three or more characters is replaced
    (
        "承德市人社局",
        Or((Text("承德市人社局"), Text("承德市人力资源和社会保障局"), Text("承德市人力资源社会保障局"))),
    ),
    (
        "被告:人社局",
        Or(
            (
                Match(F.defendant, "人社局"),
                Match(F.defendant, "人力资源和社会保障局"),
                Match(F.defendant, "人力资源社会保障局"),
            )
        ),
    ),
    ("-强拆", Not(Or((Text("强拆"), Text("强制拆除"))))),
    # quoted phrases and quoted values stay verbatim
    ('"强拆"', Text("强拆", quoted=True)),
    ("“人社局”", Text("人社局", quoted=True)),
    ('被告:"人社局"', Match(F.defendant, "人社局")),
    # a short term inside a longer word is left alone; words without synonyms too
    ("强拆队", Text("强拆队")),
    ("催告", Text("催告")),
    ("法院:人社局", Match(F.court, "人社局")),
]


@pytest.mark.parametrize(("text", "expected"), SYNONYM_PARSES, ids=[p[0] for p in SYNONYM_PARSES])
def test_synonyms_expand_plain_words_not_quoted_phrases(text: str, expected: object) -> None:
    assert parse_query(text).root == expected


def test_synonym_data_is_a_small_list_of_groups_and_highlights_every_variant() -> None:
    from search.synonyms import groups, parse_groups

    data = groups()
    assert 20 <= len(data) <= 45 and all(len(g) >= 2 for g in data)
    assert ("强拆", "强制拆除") in data
    assert parse_groups("# 注释\n甲 乙，丙 # 说明\n孤词\n") == [("甲", "乙", "丙")]
    assert parse_query("人社局 工伤").highlight_terms() == [
        "人社局",
        "人力资源和社会保障局",
        "人力资源社会保障局",
        "工伤",
    ]


def test_both_compilers_search_every_synonym_and_a_quoted_phrase_alone() -> None:
    """The expansion happens once, in the shared builder: the ES query DSL (and tantivy's query, built from the
    same typed query) holds one verbatim branch per variant, and only one for the quoted phrase."""
    import json

    from search.compile_es import compile_query

    plain = json.dumps(compile_query(parse_query("强拆")), ensure_ascii=False)
    assert '"强拆"' in plain and '"强制 制拆 拆除"' in plain
    quoted = json.dumps(compile_query(parse_query('"强拆"')), ensure_ascii=False)
    assert "强制" not in quoted
