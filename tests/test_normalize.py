"""normalize(): width folding and spacing with an offset map back to the raw text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.normalize import normalize_case_no
from ingest.normalize import normalize, raw_span


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（2019）豫 0721 行初 15 号", "（2019）豫0721行初15号"),  # LibreOffice spaces between CJK and digits
        ("（２０１９）豫０７２１行初１５号", "（2019）豫0721行初15号"),  # full-width digits
        ("审　判　长　　吴宏丽", "审判长吴宏丽"),  # ideographic spaces in the signature block
        ("(2001)浙行再字第10号", "（2001）浙行再字第10号"),
        ("Panasonic  Corporation 商标", "Panasonic Corporation商标"),  # Latin words keep one space
        ("第一段\n 第二段", "第一段\n第二段"),  # newlines kept
    ],
)
def test_normalize_folds_width_and_spacing(raw: str, expected: str) -> None:
    norm, offsets = normalize(raw)
    assert norm == expected
    assert len(offsets) == len(norm)


def test_offsets_point_at_the_same_character_in_the_raw_text() -> None:
    raw = "原告　张 三诉被告（２０１９）号"
    norm, offsets = normalize(raw)
    start = norm.index("张三")
    a, b = raw_span(offsets, start, start + 2, len(raw))
    assert raw[a:b] == "张 三"
    for i, ch in enumerate(norm):
        if ch.isdigit():
            assert raw[offsets[i]] in "0123456789０１２３４５６７８９"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("〔2019〕豫0721行初15号", "（2019）豫0721行初15号"),
        ("[2019]豫0721行初15号", "（2019）豫0721行初15号"),
        ("［2019］豫 0721 行初 15 号", "（2019）豫0721行初15号"),
        ("(2014)南行非审字第35号", "（2014）南行非审字第35号"),
        ("（２０２０）皖02行终121号之一", "（2020）皖02行终121号之一"),
    ],
)
def test_normalize_case_no(raw: str, expected: str) -> None:
    assert normalize_case_no(raw) == expected


def _normalize_char_by_char(text: str) -> tuple[str, list[int]]:
    """The definition :func:`ingest.normalize.normalize` implements, one character at a time."""
    from core.normalize import SPACES, fold_char
    from ingest.normalize import _keeps_space

    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in SPACES:
            j = i
            while j < n and text[j] in SPACES:
                j += 1
            left = out[-1] if out else "\n"
            right = fold_char(text[j]) if j < n else "\n"
            if left != "\n" and right != "\n" and _keeps_space(left, right):
                out.append(" ")
                offsets.append(i)
            i = j
            continue
        out.append(fold_char(text[i]))
        offsets.append(i)
        i += 1
    return "".join(out), offsets


def test_the_fold_table_is_fold_char_for_every_character() -> None:
    from core.normalize import FOLD_TABLE, fold_char

    for code in range(0x10000):
        ch = chr(code)
        assert ch.translate(FOLD_TABLE) == fold_char(ch), hex(code)


_ALPHABET = "ab Z9０９ＡＺａｚ（）()﹙﹚．.\u3000\u00a0\u200b\ufeff\t\r\n　行初豫审判长 "


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_normalize_is_its_character_by_character_definition(text: str) -> None:
    assert normalize(text) == _normalize_char_by_char(text)


def _reflow_char_by_char(norm: str, offsets: list[int], min_wrapped: int = 18) -> tuple[str, list[int]]:
    """The definition :func:`ingest.normalize.reflow` implements, one character at a time."""
    from ingest.normalize import _HEADER_END, _NEW_PARTY_RE, _SPECKS, _TERMINAL, _is_cjk

    out: list[str] = []
    kept: list[int] = []
    line_start = 0
    for i, ch in enumerate(norm):
        if (
            ch in _SPECKS
            and (i == 0 or norm[i - 1] == "\n" or (out and out[-1] == "\n"))
            and _is_cjk(norm[i + 1 : i + 2])
        ):
            line_start = i + 1
            continue  # OCR dust before a line: ".委托代理人…", "”福建省高级人民法院"
        if ch == "\n":
            line = norm[line_start:i].strip()
            nxt = norm[i + 1 : i + 2]
            wrapped = (
                len(line) >= min_wrapped
                and line[-1] not in _TERMINAL
                and not line.endswith(_HEADER_END)
                and nxt not in ("", "\n")
                and not _NEW_PARTY_RE.match(norm, i + 1)
                and not (_NEW_PARTY_RE.match(line) and _NEW_PARTY_RE.match(norm, i + 1))
            )
            line_start = i + 1
            if wrapped:
                continue
        out.append(ch)
        kept.append(offsets[i])
    return "".join(out), kept


_PIECES = [
    "\n",
    "委托代理人",
    "原告",
    "被告",
    "。",
    "，",
    "：",
    ".",
    "”",
    "·",
    "本院认为",
    "法院",
    "判决书",
    "号",
    "行政",
    "审判长",
    "a",
    "1",
    "张",
    "三",
    "的",
    "（",
    "）",
    "  ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_reflow_is_its_character_by_character_definition(text: str) -> None:
    from ingest.normalize import reflow

    norm, offsets = normalize(text)
    assert reflow(norm, offsets) == _reflow_char_by_char(norm, offsets)
    assert reflow(norm, offsets, 4) == _reflow_char_by_char(norm, offsets, 4)
