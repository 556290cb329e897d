"""From positioned characters to the text of a page: lines, page furniture, paragraphs.

Pure functions over plain data, shared by the text-layer path (pdfplumber characters) and the OCR path
(tesseract word boxes). Nothing here knows a template: margins, indent and body size are inferred from
the page (or the document) itself.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

FULL_SPACE = "\u3000"
_TERMINAL = "。：；！？:;!?"


class Glyph(NamedTuple):
    """One positioned character (a tuple: a page has thousands, and a frozen dataclass costs three times
    as much to build)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class Line:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the body size of the line's glyphs (median)
    text: str


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- lines


def build_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Group glyphs into lines (by baseline), left to right, with gaps turned into spaces.

    A gap of about one character or more (a signature block's ``审　判　长``) becomes that many
    ideographic spaces; a smaller visible gap (a letter-spaced title) one ASCII space. Justified
    lines carry only small extra spacing and get none.
    """
    items = sorted([g for g in glyphs if g.text], key=_BOTTOM_X0)
    rows: list[list[Glyph]] = []
    for g in items:
        # a glyph joins the first of the last three rows (newest first) whose first glyph shares its
        # baseline, or overlaps it vertically by more than 60 %
        for k in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            row = rows[k]
            ref = row[0]
            if abs(g.bottom - ref.bottom) <= 0.45 * min(g.size, ref.size) or (
                g.top < ref.bottom and g.bottom > ref.top and _overlap(g, ref) > 0.6
            ):
                row.append(g)
                break
        else:
            rows.append([g])
    lines = [_line_of(sorted(row, key=_X0)) for row in rows if not all(g.text.isspace() for g in row)]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


# sort keys over Glyph's tuple fields (an itemgetter is cheaper than a lambda reading attributes)
_BOTTOM_X0 = itemgetter(Glyph._fields.index("bottom"), Glyph._fields.index("x0"))
_X0 = itemgetter(Glyph._fields.index("x0"))


def _overlap(a: Glyph, b: Glyph) -> float:
    inter = min(a.bottom, b.bottom) - max(a.top, b.top)
    return inter / max(1e-6, min(a.bottom - a.top, b.bottom - b.top))


def _line_of(row: Sequence[Glyph]) -> Line:
    """The text of one line. A space glyph the PDF itself contains is kept as one space (also at the
    end of a line, where it may separate two words across the wrap; paragraph ends are trimmed)."""
    ink = [g for g in row if not g.text.isspace()]
    sizes = sorted([g.size for g in ink])
    size = sizes[len(sizes) // 2]
    # A justified body line spreads its slack evenly over every gap: that is not a space.
    if len(ink) >= 11:
        gaps = sorted([b.x0 - a.x1 for a, b in zip(ink, ink[1:], strict=False)])
        spread = max(0.0, gaps[len(gaps) // 2])
    else:
        spread = 0.0
    parts: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    for g in row:
        text = g.text
        if text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            if text == prev.text and abs(g.x0 - prev.x0) < 0.2 * size:
                continue  # duplicated glyph (fake bold drawn twice)
            gap = g.x0 - prev.x1 - spread
            em = max(g.size, prev.size, 1.0)
            if gap >= 0.75 * em:
                parts.append(FULL_SPACE * max(1, round(gap / em)))
            elif gap >= 0.2 * em or pending_space:
                parts.append(" ")
        parts.append(text)
        prev = g
        pending_space = False
    if pending_space:
        parts.append(" ")
    return Line(
        x0=ink[0].x0,
        x1=max([g.x1 for g in ink]),
        top=min([g.top for g in ink]),
        bottom=max([g.bottom for g in ink]),
        size=size,
        text="".join(parts),
    )


# ----------------------------------------------------------------------------------------- furniture

_PAGE_NO = re.compile(
    r"^\s*(?:第\s*\d+\s*页\s*(?:[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|"
    r"[-－—–一~·\s]*\d{1,4}[-－—–一~·\s]*|\d{1,4}\s*/\s*\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?)\s*$",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?|file)://|www\.", re.IGNORECASE)
_DATETIME = re.compile(r"\d{2,4}[/-]\d{1,2}[/-]\d{1,2}\s+\d{1,2}:\d{2}")
_PUBLISHED = re.compile(r"^\s*(?:发布日期|发布时间|浏览次数|来源)\s*[:：]")


def body_size(pages: Sequence[Page]) -> float:
    """The most common glyph size of the document, weighted by characters."""
    counts: Counter[float] = Counter()
    for page in pages:
        for ln in page.lines:
            counts[round(ln.size * 2) / 2] += len(ln.text)
    return counts.most_common(1)[0][0] if counts else 12.0


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def remove_furniture(pages: Sequence[Page]) -> list[Page]:
    """Drop running headers, footers and page numbers.

    Candidates are the lines at the very top or bottom of a page that stand apart from the body
    (a larger gap than the body's line pitch, or a smaller font). A candidate is furniture when it is
    a page number, a URL or a print date-time, or when its text (digits masked) repeats at the same
    edge on other pages. A web print-out's page title and publication date, printed on page 1 between
    the print header and the document itself, go with the header.
    """
    size = body_size(pages)
    edge_texts: Counter[tuple[str, str]] = Counter()
    candidates: list[list[tuple[str, int]]] = []
    for page in pages:
        cands = _edge_candidates(page, size)
        candidates.append(cands)
        for edge, i in cands:
            edge_texts[(edge, _mask(page.lines[i].text))] += 1
    multi = len(pages) > 1
    out: list[Page] = []
    had_print_header = False
    for page, cands in zip(pages, candidates, strict=True):
        drop: set[int] = set()
        for edge, i in cands:
            ln = page.lines[i]
            repeated = multi and edge_texts[(edge, _mask(ln.text))] >= 2
            if (
                repeated
                or _PAGE_NO.match(ln.text)
                or _URL.search(ln.text)
                or _DATETIME.search(ln.text)
                or ln.size < 0.75 * size
            ):
                drop.add(i)
                if edge == "top" and (
                    _DATETIME.search(ln.text) or _URL.search(ln.text) or ln.size < 0.75 * size
                ):
                    had_print_header = True
        kept = [ln for i, ln in enumerate(page.lines) if i not in drop]
        out.append(Page(page.number, page.width, page.height, kept))
    if had_print_header and out:
        out[0].lines = _drop_print_title(out[0].lines)
    return out


def removed_lines(before: Sequence[Page], after: Sequence[Page]) -> list[str]:
    """The text of the lines ``remove_furniture`` dropped, page by page, in reading order."""
    out: list[str] = []
    for page, kept in zip(before, after, strict=True):
        kept_ids = {id(ln) for ln in kept.lines}
        out.extend(ln.text for ln in page.lines if id(ln) not in kept_ids)
    return out


def _edge_candidates(page: Page, size: float) -> list[tuple[str, int]]:
    lines = page.lines
    if not lines:
        return []
    pitch = _line_pitch(lines, size)
    cands: list[tuple[str, int]] = []
    # top: up to two lines, each separated from what follows by more than a body line pitch
    for i in range(min(2, len(lines) - 1)):
        ln, nxt = lines[i], lines[i + 1]
        if ln.top > 0.15 * page.height:
            break
        if nxt.top - ln.top > 1.25 * pitch or ln.size < 0.75 * size:
            cands.extend(("top", j) for j in range(i + 1) if ("top", j) not in cands)
    if len(lines) == 1:
        cands.append(("bottom" if lines[0].top > page.height / 2 else "top", 0))
        return cands
    for k in range(1, min(2, len(lines) - 1) + 1):
        i = len(lines) - k
        ln, prv = lines[i], lines[i - 1]
        if ln.bottom < 0.85 * page.height:
            break
        if ln.top - prv.top > 1.25 * pitch or ln.size < 0.75 * size:
            cands.extend(("bottom", j) for j in range(i, len(lines)) if ("bottom", j) not in cands)
    return cands


def _line_pitch(lines: Sequence[Line], size: float) -> float:
    steps = Counter(
        round(b.top - a.top)
        for a, b in zip(lines, lines[1:], strict=False)
        if abs(a.size - size) < 0.5 and abs(b.size - size) < 0.5 and b.top > a.top
    )
    return float(steps.most_common(1)[0][0]) if steps else 1.8 * size


def _drop_print_title(lines: list[Line]) -> list[Line]:
    """Page 1 of a browser print-out: the page title and 发布日期 lines above the court's name."""
    for i, ln in enumerate(lines[:4]):
        if re.search(r"法院\s*$", ln.text):
            head = [h for h in lines[:i] if not _PUBLISHED.match(h.text)]
            if head and len(head[0].text) >= 6:
                return lines[i:]
            break
    return [ln for ln in lines if not _PUBLISHED.match(ln.text)]


# ---------------------------------------------------------------------------------------- paragraphs


@dataclass
class Margins:
    left: float
    right: float
    indent: float  # x of an indented first line
    size: float
    pitch: float = 0.0  # baseline-to-baseline distance of body lines (0: unknown)


def infer_margins(pages: Sequence[Page]) -> Margins:
    """Left/right text edges and the first-line indent, from the body lines of the whole document.

    The left edge is the outermost position several lines share (within a third of a character), so
    a stray line does not move it; the right edge is the one most lines share (justified lines end
    there; hanging punctuation sticks out beyond it).
    """
    size = body_size(pages)
    body = [ln for p in pages for ln in p.lines if abs(ln.size - size) < 0.75]
    if not body:
        body = [ln for p in pages for ln in p.lines]
    if not body:
        return Margins(0.0, 0.0, 0.0, size, 0.0)
    win = 0.35 * size
    xs0 = sorted(ln.x0 for ln in body)
    xs1 = sorted(ln.x1 for ln in body)
    # left: the leftmost position a good share of lines start at (continuation lines) ...
    need = max(2, round(0.15 * len(body))) if len(body) >= 4 else 1
    left = next((x for x in xs0 if _support(xs0, x, win) >= need), xs0[0])
    # ... unless that is the indent of a page of short paragraphs: a few lines two characters left of it
    few = [x for x in xs0 if abs(x - (left - 2 * size)) <= 0.5 * size]
    if len(body) >= 4 and len(few) >= max(2, 0.03 * len(body)):
        left = few[len(few) // 2]
    left = _centre(xs0, left, win)
    near_indent = [x for x in xs0 if 1.5 * size < x - left < 2.5 * size]
    indent = (
        _centre(near_indent, sorted(near_indent)[len(near_indent) // 2], win)
        if near_indent
        else left + 2 * size
    )
    # right: the edge most body lines (starting at the margin or the indent) share. The outermost
    # would be hanging punctuation; a signature block's common edge must not count either.
    edge_tol = 0.6 * size
    xs1 = (
        sorted(ln.x1 for ln in body if abs(ln.x0 - left) <= edge_tol or abs(ln.x0 - indent) <= edge_tol)
        or xs1
    )
    right = _centre(xs1, max(xs1, key=lambda x: (_support(xs1, x, win), x)), win)
    steps = sorted(
        b.top - a.top
        for p in pages
        for a, b in zip(p.lines, p.lines[1:], strict=False)
        if abs(a.size - size) < 0.75 and abs(b.size - size) < 0.75 and b.top > a.top
    )
    pitch = steps[len(steps) // 2] if steps else 0.0
    return Margins(left, right, indent, size, pitch)


def _support(xs: Sequence[float], x: float, win: float) -> int:
    """How many of ``xs`` (sorted) lie within ``win`` of ``x``: only the values near it are looked at
    (bisected, with a margin, then the exact test), not the whole document's lines for every line."""
    margin = 1e-6 * (1.0 + abs(x) + win)
    lo, hi = bisect_left(xs, x - win - margin), bisect_right(xs, x + win + margin)
    return sum(1 for i in range(lo, hi) if abs(xs[i] - x) <= win)


def _centre(xs: Sequence[float], x: float, win: float) -> float:
    near = [v for v in xs if abs(v - x) <= win]
    return sorted(near)[len(near) // 2] if near else x


def join_paragraphs(pages: Sequence[Page], margins: Margins | None = None) -> list[tuple[int, list[str]]]:
    """Each page's paragraphs as text pieces: ``[(page_number, [piece, ...]), ...]``.

    A piece that starts a new paragraph begins with ``\\n`` (except the very first); pieces that
    continue the previous page's last paragraph do not. A line joins the one above when it starts at
    the left margin (not at the indent) and the one above is a body line that ran to (or near) the
    right margin, or did not end a sentence.
    """
    doc_m = margins or infer_margins(pages)
    tol = 0.6 * doc_m.size  # OCR boxes hug the ink: a bracket or quote starts right of its cell
    flat: list[tuple[int, str]] = []
    prev: Line | None = None
    prev_m = doc_m
    for page in pages:
        m = _page_margins(page, doc_m)
        for ln in page.lines:
            text = ln.text.lstrip(" ")
            if not text.strip():
                continue
            if prev is not None and _continues(prev, prev_m, ln, m, tol):
                flat.append((page.number, text))
            else:
                if flat:  # the previous paragraph ends: no trailing space
                    flat[-1] = (flat[-1][0], flat[-1][1].rstrip(" "))
                flat.append((page.number, "\n" + text if flat else text))
            prev, prev_m = ln, m
    if flat:
        flat[-1] = (flat[-1][0], flat[-1][1].rstrip(" "))
    by_page: dict[int, list[str]] = {p.number: [] for p in pages}
    for number, piece in flat:
        by_page[number].append(piece)
    return [(p.number, by_page[p.number]) for p in pages]


def _page_margins(page: Page, doc: Margins) -> Margins:
    """A scanned page may sit shifted on the glass: use its own edges when it has enough body lines
    and they are close to the document's (a small shift), else the document's."""
    body = [ln for ln in page.lines if abs(ln.size - doc.size) < 0.75]
    if len(body) < 8:
        return doc
    own = infer_margins([Page(page.number, page.width, page.height, body)])
    if abs(own.left - doc.left) > 1.5 * doc.size or abs(own.right - doc.right) > 1.5 * doc.size:
        return doc
    return Margins(own.left, own.right, own.left + (doc.indent - doc.left), doc.size, doc.pitch)


_OPENING = "（(《“‘〔［[【〈「"


def _starts_at_margin(ln: Line, m: Margins, tol: float) -> bool:
    """Does the line start at the left margin (not at the indent)? A speck read in front of the
    first character may pull an OCR line up to a character further left; an opening bracket's ink
    sits in the right half of its cell, so its box starts up to a character later."""
    dx = ln.x0 - m.left
    late = max(tol, 1.0 * m.size) if ln.text[:1] in _OPENING else tol
    return -max(tol, 1.0 * m.size) <= dx <= late


def _continues(prev: Line, prev_m: Margins, ln: Line, m: Margins, tol: float) -> bool:
    if not _starts_at_margin(ln, m, tol):
        return False
    if abs(ln.size - m.size) > 0.75 or abs(prev.size - m.size) > 0.75:
        return False
    # the line above is body text: it starts at the margin or the indent (or, read by OCR, a little
    # off), not centred or right-aligned like a title, a case number or a signature line
    if prev.x0 > prev_m.indent + 1.0 * m.size:
        return False
    if m.pitch and ln.top > prev.top and ln.top - prev.top > 1.6 * m.pitch:
        return False  # a blank line between: block paragraphs without indent
    if prev.x1 >= prev_m.right - 1.2 * m.size:
        return True
    return prev.x1 >= prev_m.right - 5 * m.size and prev.text.rstrip()[-1:] not in _TERMINAL


def assemble(pages: list[Page]) -> tuple[str, list[tuple[int, int]], list[str]]:
    """Furniture removed, paragraphs joined: the text, each page's (start, end) offsets, and the
    furniture lines that were removed."""
    cleaned = remove_furniture(pages)
    furniture = removed_lines(pages, cleaned)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for _number, pieces in join_paragraphs(cleaned):
        start = None
        for piece in pieces:
            if start is None:
                start = offset + (1 if piece.startswith("\n") else 0)
            parts.append(piece)
            offset += len(piece)
        spans.append((start if start is not None else offset, offset))
    return "".join(parts), spans, furniture
