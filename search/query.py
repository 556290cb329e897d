"""The query language, parsed by pure functions into a typed :class:`SearchQuery`.

Syntax (what bureau staff type):

- plain words, all must occur: ``强制拆除 催告``; each word must occur verbatim in the judgment
- ``OR`` between two terms: ``强制拆除 OR 限期拆除``; brackets group: ``(法院:郑州 OR 法院:洛阳) 拆除``
- ``-`` excludes: ``拆除 -征收``, ``-结果:胜诉``
- ``"exact phrase"`` (also “…”), punctuation included
- field filters ``字段:值`` (full-width ``：`` too), the value quoted when it has spaces:
  案号 法院 被告 原告 案由 审级 结果 原因 类型 领域 年份 日期; e.g. ``年份:2021..2023``,
  ``日期:2021-01-01..2021-06-30``, ``原因:违反法定程序`` = ``原因:procedure``.

Only ASCII brackets ``( )`` group; full-width ``（ ）`` are ordinary characters (case numbers use them).

Synonyms and abbreviations (``search/synonyms.txt``: 强拆 = 强制拆除, 人社局 = 人力资源和社会保障局) are expanded
here, for both engines: a plain word, or an unquoted 被告:/案由: value, becomes an ``Or`` of its variants;
a quoted phrase stays verbatim.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from core.normalize import normalize_case_no
from core.taxonomy import ActionType, DocKind, LossCause, Outcome, Procedure, ZhEnum
from core.taxonomy import Field as EnforcementField
from search.errors import QuerySyntaxError
from search.synonyms import variants


class QueryField(StrEnum):
    case_no = "case_no"
    court = "court"
    defendant = "defendant"
    plaintiff = "plaintiff"
    cause_of_action = "cause_of_action"
    procedure = "procedure"
    doc_kind = "doc_kind"  # 判决书, 裁定书 … 行政复议决定书
    outcome = "outcome"
    cause = "cause"
    action_type = "action_type"
    field = "field"
    year = "year"
    date = "date"
    party = "party"  # every party role: plaintiffs, defendants, third parties, applicants, respondents
    statute = "statute"  # a cited norm: 法条:行政诉讼法第七十条


FIELD_NAMES: dict[str, QueryField] = {
    "案号": QueryField.case_no,
    "法院": QueryField.court,
    "被告": QueryField.defendant,
    "原告": QueryField.plaintiff,
    "案由": QueryField.cause_of_action,
    "审级": QueryField.procedure,
    "程序": QueryField.procedure,
    "文书": QueryField.doc_kind,
    "文书种类": QueryField.doc_kind,
    "结果": QueryField.outcome,
    "原因": QueryField.cause,
    "败诉原因": QueryField.cause,
    "类型": QueryField.action_type,
    "行为类型": QueryField.action_type,
    "领域": QueryField.field,
    "年份": QueryField.year,
    "年度": QueryField.year,
    "日期": QueryField.date,
    "裁判日期": QueryField.date,
    "当事人": QueryField.party,
    "法条": QueryField.statute,
    "法律依据": QueryField.statute,
}
# English names are accepted too (the codes used in the API and the facets).
FIELD_NAMES.update({f.value: f for f in QueryField})

# Fields whose values are codes of a taxonomy enum (Chinese label or code accepted).
CODED: dict[QueryField, tuple[type[ZhEnum], str]] = {
    QueryField.procedure: (Procedure, "审级"),
    QueryField.doc_kind: (DocKind, "文书种类"),
    QueryField.outcome: (Outcome, "结果"),
    QueryField.cause: (LossCause, "败诉原因"),
    QueryField.action_type: (ActionType, "行政行为类型"),
    QueryField.field: (EnforcementField, "执法领域"),
}
# A few everyday words for coded values.
SYNONYMS: dict[QueryField, dict[str, str]] = {
    QueryField.outcome: {
        "行政机关败诉": "agency_lost",
        "机关败诉": "agency_lost",
        "输": "agency_lost",
        "行政机关胜诉": "agency_won",
        "机关胜诉": "agency_won",
        "赢": "agency_won",
        "驳回": "dismissed",
        "发回": "remanded",
    },
    QueryField.doc_kind: {
        "行政复议": "reconsideration_decision",
        "复议": "reconsideration_decision",
        "复议决定": "reconsideration_decision",
        "判决": "judgment",
        "裁定": "ruling",
    },
    QueryField.procedure: {
        "初审": "first",
        "第一审": "first",
        "第二审": "appeal",
        "上诉": "appeal",
        "终审": "appeal",
        "非诉执行": "enforcement_review",
        "再审申请": "retrial_review",
    },
    QueryField.cause: {
        "程序违法": "procedure",
        "证据不足": "insufficient_evidence",
        "不作为": "inaction",
        "适用法律法规错误": "law_application",
        "越权": "ultra_vires",
    },
}
# Text fields whose unquoted values are expanded with synonyms (agency names, causes of action).
SYNONYM_FIELDS = {QueryField.defendant, QueryField.cause_of_action}
TEXT_FIELDS = {
    QueryField.case_no,
    QueryField.court,
    QueryField.defendant,
    QueryField.plaintiff,
    QueryField.cause_of_action,
    QueryField.party,
}
# Operators, in any case; ``|`` is OR too.
OPERATORS = {"or": "OR", "and": "AND", "not": "NOT", "|": "OR", "||": "OR", "&&": "AND"}


# --------------------------------------------------------------------------------------------
# The typed query
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Text that must occur verbatim (a plain word, or a quoted phrase when ``quoted``)."""

    value: str
    quoted: bool = False


@dataclass(frozen=True)
class Cite:
    """A cited norm (:func:`ingest.citations.parse_typed_citation`): ``key`` is the token of the ``statutes``
    field (:func:`search.statutes.query_key`); ``marks`` are the texts a snippet marks (law name, article as
    written in Chinese or Arabic numerals)."""

    key: str
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseNo:
    """A case number typed in free text, in any bracket style or none: ranks its own judgment first."""

    value: str  # canonical: （2019）豫0721行初15号


@dataclass(frozen=True)
class Match:
    """``field:value``: a text field must contain ``value``; a coded field must equal the code."""

    field: QueryField
    value: str


@dataclass(frozen=True)
class Range:
    """``年份:2021..2023`` (ints) or ``日期:2021-01-01..2021-06-30`` (ISO dates); None = open end."""

    field: QueryField
    lower: int | str | None
    upper: int | str | None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Text | Cite | CaseNo | Match | Range | Not | And | Or


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query. ``root`` is None for the empty query (everything)."""

    text: str
    root: Node | None

    def highlight_terms(self) -> list[str]:
        """Texts to mark in snippets: every positive text term and text-field value."""
        out: list[str] = []

        def walk(node: Node | None, negated: bool) -> None:
            match node:
                case Text(value=v) if not negated:
                    out.append(v)
                case Cite(marks=ms) if not negated:
                    out.extend(ms)
                case CaseNo(value=v) if not negated:
                    out.append(v)
                case Not(node=n):
                    walk(n, not negated)
                case And(nodes=ns) | Or(nodes=ns):
                    for n in ns:
                        walk(n, negated)

        walk(self.root, False)
        return out

    def mark_terms(self) -> list[str]:
        """What a snippet marks: the text terms, the cited norms as written, and the values of text fields
        (被告:… marks the agency's name)."""
        out: list[str] = []

        def walk(node: Node | None, negated: bool) -> None:
            match node:
                case Text(value=v) if not negated:
                    out.append(v)
                case Cite(marks=ms) if not negated:
                    out.extend(ms)
                case CaseNo(value=v) if not negated:
                    out.append(v)
                case Match(field=f, value=v) if not negated and f in TEXT_FIELDS:
                    out.append(v)
                case Not(node=n):
                    walk(n, not negated)
                case And(nodes=ns) | Or(nodes=ns):
                    for n in ns:
                        walk(n, negated)

        walk(self.root, False)
        return list(dict.fromkeys(out))

    def filtered_causes(self) -> list[str]:
        """Loss causes asked for (原因:…), positive only: a filter-only snippet shows their evidence."""
        out: list[str] = []

        def walk(node: Node | None, negated: bool) -> None:
            match node:
                case Match(field=QueryField.cause, value=v) if not negated:
                    out.append(v)
                case Not(node=n):
                    walk(n, not negated)
                case And(nodes=ns) | Or(nodes=ns):
                    for n in ns:
                        walk(n, negated)

        walk(self.root, False)
        return out

    def is_empty(self) -> bool:
        return self.root is None


# --------------------------------------------------------------------------------------------
# Lexer
# --------------------------------------------------------------------------------------------

QUOTES = {'"': '"', "“": "”", "”": "”", "「": "」", "『": "』"}
_MINUS = "-－"
_COLON = ":："


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN OR NOT
    value: str
    pos: int
    quoted: bool = False  # for FIELD: the value was quoted


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    """``text[i]`` is an opening quote; return (content, index after the closing quote)."""
    close = QUOTES[text[i]]
    j = text.find(close, i + 1)
    if close == '"' and j < 0:
        j = -1
    if j < 0:
        raise QuerySyntaxError(
            f"第{i + 1}个字符处的引号没有配对：请补上结尾的引号 {close}，或去掉开头的引号。", i
        )
    return text[i + 1 : j], j + 1


def _read_bare(text: str, i: int, pipe_ends: bool = True) -> tuple[str, int]:
    """A bare run of non-space characters; an unmatched ')' ends it (it closes a group), and so does ``|``
    (OR) except in a field value, where it separates alternatives (类型:行政处罚|行政强制)."""
    depth = 0
    j = i
    while j < len(text) and not text[j].isspace():
        c = text[j]
        if c in QUOTES or (c == "|" and depth == 0 and pipe_ends):
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return text[i:j], j


_FIELD_RE = re.compile(r"([\w]+)\s*[:：]")
# (2019)豫0721行初15号 typed with ASCII brackets is a case number, not a group.
_CASE_PAREN = re.compile(r"\((?:19|20)\d{2}\)[^\s()]")


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(" and not _CASE_PAREN.match(text, i):
            toks.append(_Tok("LPAREN", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("RPAREN", c, i))
            i += 1
        elif c == "|":
            j = i
            while j < n and text[j] == "|":
                j += 1
            toks.append(_Tok("OR", text[i:j], i))
            i = j
        elif c in _MINUS and i + 1 < n and not text[i + 1].isspace():
            toks.append(_Tok("NOT", c, i))
            i += 1
        elif c in QUOTES:
            value, i2 = _read_quoted(text, i)
            toks.append(_Tok("PHRASE", value, i))
            i = i2
        else:
            m = _FIELD_RE.match(text, i)
            if m and m.end() - i > len(m.group(1)):
                i = _lex_field(text, m, toks)
                continue
            word, i2 = _read_bare(text, i)
            toks.append(_Tok(OPERATORS.get(word.lower(), "WORD"), word, i))
            i = i2
    return toks


def _lex_field(text: str, m: re.Match[str], toks: list[_Tok]) -> int:
    name, start, i = m.group(1), m.start(), m.end()
    if name not in FIELD_NAMES:
        known = "、".join(k for k in FIELD_NAMES if not k.isascii())
        raise QuerySyntaxError(
            f"不认识的检索字段“{name}”。可用字段：{known}。"
            f'如果要检索含冒号的原文，请把它放在引号里，例如 "{name}：…"。',
            start,
        )
    if i < len(text) and text[i] in QUOTES:
        value, i = _read_quoted(text, i)
        toks.append(_Tok("FIELD", f"{name}\x00{value}", start, quoted=True))
        return i
    value, i = _read_bare(text, i, pipe_ends=False)
    if not value:
        raise QuerySyntaxError(
            f"字段“{name}”后面缺少要检索的内容，例如 {name}:{_example(FIELD_NAMES[name])}。", start
        )
    toks.append(_Tok("FIELD", f"{name}\x00{value}", start))
    return i


def _example(field: QueryField) -> str:
    examples = {
        QueryField.case_no: '"（2019）豫0721行初15号"',
        QueryField.court: "中级人民法院",
        QueryField.defendant: "自然资源局",
        QueryField.plaintiff: "张某",
        QueryField.cause_of_action: "行政处罚",
        QueryField.procedure: "二审",
        QueryField.doc_kind: "行政复议决定书",
        QueryField.outcome: "败诉",
        QueryField.cause: "违反法定程序",
        QueryField.action_type: "行政处罚",
        QueryField.field: "公安",
        QueryField.year: "2021..2023",
        QueryField.date: "2021-01-01..2021-06-30",
    }
    return examples[field]


# --------------------------------------------------------------------------------------------
# Parser:  query := or_expr* ;  or_expr := unary (OR unary)* ;  unary := NOT? atom ;
#          atom := WORD | PHRASE | FIELD | '(' query ')'
# --------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, toks: list[_Tok]):
        self.text = text
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.sequence(top=True)
        return node

    def sequence(self, top: bool) -> Node | None:
        nodes: list[Node] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "RPAREN":
                if top:
                    raise QuerySyntaxError(
                        f"第{tok.pos + 1}个字符处多了一个右括号“)”：请删去它，或在前面补上左括号“(”。",
                        tok.pos,
                    )
                break
            if tok.kind == "AND":  # the default between terms
                self.take()
                continue
            nodes.append(self.or_expr())
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def or_expr(self) -> Node:
        first = self.peek()
        if first is not None and first.kind == "OR":
            raise QuerySyntaxError(f"“{first.value}”前面缺少检索词，例如：强制拆除 OR 限期拆除。", first.pos)
        nodes = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            while (nxt := self.peek()) is not None and nxt.kind == "AND":
                self.take()
            if nxt is None or nxt.kind in ("OR", "RPAREN"):
                raise QuerySyntaxError(f"“{tok.value}”后面缺少检索词，例如：强制拆除 OR 限期拆除。", tok.pos)
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind == "NOT":
            nxt = self.peek()
            if (
                nxt is None
                or nxt.kind in ("OR", "RPAREN", "AND")
                or (nxt.kind == "NOT" and tok.value in _MINUS)
            ):
                what = "减号“-”" if tok.value in _MINUS else f"“{tok.value}”（排除）"
                raise QuerySyntaxError(f"第{tok.pos + 1}个字符处的{what}后面缺少要排除的词。", tok.pos)
            return Not(self.unary())
        return self.atom(tok)

    def atom(self, tok: _Tok) -> Node:
        if tok.kind == "LPAREN":
            inner = self.sequence(top=False)
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QuerySyntaxError(
                    f"第{tok.pos + 1}个字符处的左括号“(”没有配对：请补上右括号“)”。", tok.pos
                )
            self.take()
            if inner is None:
                raise QuerySyntaxError(f"第{tok.pos + 1}个字符处的括号里是空的。", tok.pos)
            return inner
        if tok.kind == "WORD":
            return _text_node(tok.value, quoted=False, pos=tok.pos)
        if tok.kind == "PHRASE":
            return _text_node(tok.value, quoted=True, pos=tok.pos)
        if tok.kind == "FIELD":
            name, value = tok.value.split("\x00", 1)
            return _field_node(FIELD_NAMES[name], name, value, tok.pos, quoted=tok.quoted)
        raise QuerySyntaxError(f"第{tok.pos + 1}个字符处无法理解“{tok.value}”。", tok.pos)  # pragma: no cover


def _text_node(value: str, quoted: bool, pos: int) -> Node:
    if not any(c.isalnum() for c in value):
        if quoted:
            raise QuerySyntaxError(f"第{pos + 1}个字符处的引号里没有可检索的文字。", pos)
        # A lone punctuation mark: ignore it (e.g. a stray "，").
        return And(())
    cited = _citation_node(value, law_alone=False)
    if cited is not None:  # 行政诉讼法第七十条, quoted or not: the judgments that cite it
        return cited
    text: Node = Text(value.strip(), quoted) if quoted else _any_of([Text(v) for v in variants(value)])
    case_no = canonical_case_no(value)
    if case_no is not None:  # a case number in any bracket style or none: its judgment first
        return Or((CaseNo(case_no), text))
    return text


def _citation_node(value: str, law_alone: bool) -> Node | None:
    """A typed citation read by the one citation parser (ingest.citations), or None."""
    from ingest.citations import parse_typed_citation
    from search.statutes import marks, query_key

    if "第" not in value and not law_alone:
        return None
    found = parse_typed_citation(value)
    if not found or (not law_alone and any(c.article is None for c in found)):
        return None
    nodes = tuple(dict.fromkeys(Cite(query_key(c), marks(c)) for c in found))
    return nodes[0] if len(nodes) == 1 else And(nodes)


_BARE_CASE_NO = re.compile(
    r"^[（(〔\[［【﹝]?((?:19|20)\d{2})[）)〕\]］】﹞]?"
    r"([\u4e00-\u9fff]{0,4}\d{0,6}[\u4e00-\u9fff]{0,4}?[行执][\u4e00-\u9fff]{0,3}?)(?:字第|字|第)?(\d{1,6})号?$"
)


def canonical_case_no(text: str) -> str | None:
    """A case number typed in any bracket style or none (2019豫0721行初15号, 〔2019〕…, [2019]…, with or
    without 字第 and 号) → the key :func:`case_no_key` gives the indexed one; None when it is not one."""
    m = _BARE_CASE_NO.match(normalize_case_no(text.strip()))
    if not m:
        return None
    return f"（{m.group(1)}）{m.group(2)}{m.group(3)}号"


def case_no_key(case_no: str) -> str:
    """What case-number matching compares: normalised, 字第 dropped (（2014）郑行初字第15号 = （2014）郑行初15号)."""
    return normalize_case_no(case_no).replace("字第", "")


def _any_of(nodes: list[Text] | list[Match]) -> Node:
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))


_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _field_node(field: QueryField, name: str, value: str, pos: int, quoted: bool = False) -> Node:
    value = value.strip()
    if not value:
        raise QuerySyntaxError(f"字段“{name}”后面缺少要检索的内容，例如 {name}:{_example(field)}。", pos)
    if field in CODED:
        enum, label = CODED[field]
        alternatives = [v for v in re.split(r"[,，、|]", value) if v.strip()]
        codes = [_parse_code(field, enum, label, name, v.strip(), pos) for v in alternatives]
        nodes = tuple(Match(field, c) for c in dict.fromkeys(codes))
        return nodes[0] if len(nodes) == 1 else Or(nodes)
    if field is QueryField.year:
        return _range(field, name, value, pos, _parse_year)
    if field is QueryField.date:
        return _range(field, name, value, pos, _parse_date)
    if field is QueryField.statute:
        cited = _citation_node(value, law_alone=True)
        if cited is None:
            raise QuerySyntaxError(
                f"法条“{value}”无法识别，请写成 法律名称加条款，例如 法条:行政诉讼法第七十条第一项"
                "（也可只写法律名称，或只写第70条）。",
                pos,
            )
        return cited
    if not any(c.isalnum() for c in value):
        raise QuerySyntaxError(f"字段“{name}”的值“{value}”里没有可检索的文字。", pos)
    if field in SYNONYM_FIELDS and not quoted:
        return _any_of([Match(field, v) for v in variants(value)])
    return Match(field, value)


def _parse_code(field: QueryField, enum: type[ZhEnum], label: str, name: str, value: str, pos: int) -> str:
    member = enum.parse(value) or enum.parse(value.lower())
    if member is not None:
        return member.value
    code = SYNONYMS.get(field, {}).get(value)
    if code is not None:
        return code
    choices = "、".join(m.zh for m in enum)
    raise QuerySyntaxError(f"{label}“{value}”无法识别。{name}可选：{choices}（也可用英文代码）。", pos)


def _parse_year(text: str, name: str, pos: int) -> int:
    t = text.strip().rstrip("年")
    if not _YEAR.match(t):
        raise QuerySyntaxError(
            f"{name}“{text}”不是四位数的年份，例如 {name}:2021 或 {name}:2021..2023。", pos
        )
    return int(t)


def _parse_date(text: str, name: str, pos: int) -> str:
    m = _DATE.match(text.strip())
    if not m:
        raise QuerySyntaxError(
            f"{name}“{text}”不是日期，请写成 2021-01-01，范围写成 {name}:2021-01-01..2021-06-30。", pos
        )
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise QuerySyntaxError(f"{name}“{text}”不是一个存在的日期。", pos) from None


def _range(field: QueryField, name: str, value: str, pos: int, parse) -> Node:  # type: ignore[no-untyped-def]
    sep = next((s for s in ("..", "至", "到", "~", "～") if s in value), None)
    if sep is None:
        if field is QueryField.date and re.match(r"^\d{4}[-/.年]\d{1,2}$", value.strip()):
            raise QuerySyntaxError(f"{name}“{value}”缺少日，请写成 2021-01-01。", pos)
        v = parse(value, name, pos)
        return Range(field, v, v)
    lo_text, hi_text = value.split(sep, 1)
    lo = parse(lo_text, name, pos) if lo_text.strip() else None
    hi = parse(hi_text, name, pos) if hi_text.strip() else None
    if lo is None and hi is None:
        raise QuerySyntaxError(f"{name}范围“{value}”两端都是空的，例如 {name}:{_example(field)}。", pos)
    if lo is not None and hi is not None and lo > hi:
        raise QuerySyntaxError(f"{name}范围“{value}”的起点晚于终点，请写成 {name}:{hi}..{lo}。", pos)
    return Range(field, lo, hi)


def _simplify(node: Node | None) -> Node | None:
    """Drop empty groups left by ignored punctuation; flatten single-child groups."""
    if node is None:
        return None
    if isinstance(node, And | Or):
        kids = tuple(k for k in (_simplify(n) for n in node.nodes) if k is not None)
        if not kids:
            return None
        if len(kids) == 1:
            return kids[0]
        return type(node)(kids)
    if isinstance(node, Not):
        inner = _simplify(node.node)
        return None if inner is None else Not(inner)
    return node


def parse_query(text: str) -> SearchQuery:
    """Parse what the user typed. Raises :class:`QuerySyntaxError` with a Chinese message."""
    text = text or ""
    if len(text) > 1000:
        raise QuerySyntaxError("检索式太长（超过1000个字符），请缩短。")
    toks = _lex(text)
    _check_depth(toks)
    root = _simplify(_Parser(text, toks).parse())
    return SearchQuery(text=text, root=root)


MAX_DEPTH = 32  # brackets (and 排除/NOT) nested deeper than this are no search anyone means to type


def _check_depth(toks: list[_Tok]) -> None:
    depth = nots = 0
    for tok in toks:
        depth += tok.kind == "LPAREN"
        depth -= tok.kind == "RPAREN"
        nots = nots + 1 if tok.kind == "NOT" else 0
        if depth > MAX_DEPTH or nots > MAX_DEPTH:
            raise QuerySyntaxError(f"检索式的括号或排除嵌套超过 {MAX_DEPTH} 层，请简化后再检索。", tok.pos)


def as_query(query: SearchQuery | str) -> SearchQuery:
    return query if isinstance(query, SearchQuery) else parse_query(query)
