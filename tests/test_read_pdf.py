"""Text PDFs: furniture gone, wrapped lines re-joined, real paragraph breaks kept, page offsets right.

Fixtures are real corpus judgments: the first two text PDFs of each of the four page templates.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from ingest.layout import FULL_SPACE, Glyph, Line, Page, build_lines, join_paragraphs, remove_furniture
from ingest.read import ReadLimits, read_document
from ingest.record import ReadDocument

TEMPLATES = ("gbt9704", "uming_hei", "serif_wide", "webprint")


def _samples(corpus_judgments: dict, template: str, n: int = 2) -> list[dict]:
    recs = [r for r in corpus_judgments.values() if r["render"]["template"] == template]
    return sorted(recs, key=lambda r: r["id"])[:n]


@pytest.fixture(scope="module")
def read_samples(corpus_dir: Path, corpus_judgments: dict) -> list[tuple[dict, ReadDocument]]:
    out: list[tuple[dict, ReadDocument]] = []
    for template in TEMPLATES:
        for rec in _samples(corpus_judgments, template):
            out.append((rec, read_document(corpus_dir / rec["files"]["text_pdf"], ReadLimits(ocr=False))))
    return out


def test_text_matches_the_printed_document(read_samples) -> None:
    for rec, doc in read_samples:
        target = rec["document_text"]
        cer = Levenshtein.distance(doc.text, target) / len(target)
        assert cer < 0.02, f"{rec['id']} ({rec['render']['template']}): CER {cer:.3f}"
        assert doc.kind == "text_pdf"
        assert doc.warnings == []


def test_paragraphs_are_rejoined_and_kept(read_samples) -> None:
    for rec, doc in read_samples:
        got, want = Counter(doc.text.split("\n")), Counter(rec["document_text"].split("\n"))
        recall = sum((got & want).values()) / sum(want.values())
        assert recall >= 0.75, f"{rec['id']}: only {recall:.2f} of the paragraphs came out identical"
        # the long paragraphs (the ones that wrap over several lines) above all
        long_ones = [p for p in want if len(p) > 80]
        assert sum(1 for p in long_ones if p in got) >= 0.8 * len(long_ones), rec["id"]
        assert abs(len(doc.text.split("\n")) - len(rec["document_text"].split("\n"))) <= 1, rec["id"]


def test_page_furniture_is_gone(read_samples) -> None:
    furniture = re.compile(
        r"^(?:第\s*\d+\s*页\s*共\s*\d+\s*页|—\s*\d+\s*—|-\s*\d+\s*-|\d+\s*/\s*\d+)$|https?://|file:///|中国裁判文书网",
        re.M,
    )
    for rec, doc in read_samples:
        assert not furniture.search(doc.text), (rec["id"], furniture.search(doc.text))


def test_webprint_page_title_above_the_court_is_dropped(read_samples) -> None:
    for rec, doc in read_samples:
        if rec["render"]["template"] == "webprint":
            assert doc.text.split("\n")[0] == rec["document_text"].split("\n")[0]


def test_page_offsets_are_consistent(read_samples) -> None:
    for rec, doc in read_samples:
        pages = doc.pages
        assert [p.number for p in pages] == list(range(1, len(pages) + 1))
        assert len(pages) == rec["render"]["pages"]
        assert pages[0].start == 0 and pages[-1].end == len(doc.text)
        for a, b in zip(pages, pages[1:], strict=False):
            assert a.start <= a.end <= b.start <= b.end
            assert b.start - a.end <= 1  # at most the paragraph break between them
        for p in pages:
            assert p.source == "text_layer" and p.quality >= 0.5
            assert doc.text[p.start : p.end].strip(), f"{rec['id']} page {p.number} is empty"


def test_signature_block_lines_stay_separate(read_samples) -> None:
    for rec, doc in read_samples:
        lines = doc.text.split("\n")
        clerk = [ln for ln in lines if re.match(r"^代?书记员", ln.replace(FULL_SPACE, "").replace(" ", ""))]
        assert clerk, rec["id"]
        assert all(len(ln) < 20 for ln in clerk)


# ------------------------------------------------------------------------------- pure layout rules


def _glyphs(
    text: str, x: float, size: float = 16.0, top: float = 100.0, step: float | None = None
) -> list[Glyph]:
    step = step or size
    out = []
    for ch in text:
        if ch != "_":
            out.append(Glyph(ch, x, x + size, top, top + size, size))
        x += step
    return out


@pytest.mark.parametrize(
    ("pattern", "step", "expected"),
    [
        ("审_判_长__张三", 16.0, "审　判　长　　张三"),  # a blank of one character → one ideographic space
        ("行政判决书", 16.0 * 1.55, "行 政 判 决 书"),  # letter-spaced title → ASCII spaces
        ("原告诉称被告", 16.0, "原告诉称被告"),
    ],
)
def test_gaps_become_spaces(pattern: str, step: float, expected: str) -> None:
    lines = build_lines(_glyphs(pattern, 100.0, step=step))
    assert [ln.text for ln in lines] == [expected]


def test_justified_slack_is_not_a_space() -> None:
    glyphs = _glyphs("一二三四五六七八九十甲乙丙丁", 100.0, step=16.0 * 1.3)
    assert build_lines(glyphs)[0].text == "一二三四五六七八九十甲乙丙丁"


def _line(text: str, x0: float, size: float = 16.0, top: float = 0.0) -> Line:
    return Line(x0=x0, x1=x0 + size * len(text), top=top, bottom=top + size, size=size, text=text)


def test_wrapped_lines_join_and_indented_lines_start_paragraphs() -> None:
    full = "甲" * 25  # 100 → 500: runs to the right margin
    lines = [
        _line(full[:23], 132, top=100),  # indented first line (2 characters)
        _line(full, 100, top=130),  # continuation at the left margin
        _line("乙乙乙。", 100, top=160),  # last line of the paragraph, short
        _line("丙" * 23, 132, top=190),  # new paragraph
        _line("丁丁丁丁。", 100, top=220),
        _line("审　判　长　　某某", 320, top=260),  # signature block: own lines
        _line("书　记　员　　某某", 320, top=290),
    ]
    page = Page(1, 600, 842, lines)
    ((_, pieces),) = join_paragraphs([page])
    text = "".join(pieces)
    assert text.split("\n") == [
        full[:23] + full + "乙乙乙。",
        "丙" * 23 + "丁丁丁丁。",
        "审　判　长　　某某",
        "书　记　员　　某某",
    ]


def test_running_footer_and_page_number_are_furniture() -> None:
    pages = []
    for n in (1, 2, 3):
        body = [_line("正" * 25, 100, top=100 + 30 * i) for i in range(20)]
        body.append(_line(f"第 {n} 页 共 3 页", 250, size=10.5, top=790))
        pages.append(Page(n, 595, 842, body))
    cleaned = remove_furniture(pages)
    assert all(len(p.lines) == 20 for p in cleaned)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=900, allow_nan=False), max_size=60),
    st.floats(min_value=0, max_value=900, allow_nan=False),
    st.sampled_from([0.0, 0.35 * 10.5, 0.35 * 12.0, 3.5]),
)
def test_margin_support_counts_exactly_the_values_near_x(xs: list[float], x: float, win: float) -> None:
    """The bisected count is the plain count (values on the window's edge included)."""
    from ingest.layout import _support

    xs = sorted(xs + [x + win, x - win, x])
    assert _support(xs, x, win) == sum(1 for v in xs if abs(v - x) <= win)
