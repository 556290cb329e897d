"""The fast text-layer reader: pdfium's text page (pypdfium2), fed into the same line building as pdfplumber.

pdfplumber (pdfminer's character objects in Python) stays the reference reader. This one reads the same
characters through pdfium, which pdfplumber already ships beneath it for rendering, about ten times faster.
It hands a page back to the reference reader only for what pdfium itself can see it does not read the way
pdfplumber would: a character without a Unicode value (pdfplumber prints ``(cid:N)``, which the plausibility
check needs to see), a code in the private-use area (a font without a usable ToUnicode map), rotated, skewed
or mirrored text. The decision is made while reading, so no file is read twice just to decide.

Boxes are pdfium's "loose" character boxes (the font's ascent and descent, the glyph's advance), which is
what pdfminer computes; characters pdfium generates itself (spaces and line breaks it infers) are skipped,
spaces the PDF contains are kept, exactly as pdfplumber gives them.
"""

from __future__ import annotations

import ctypes
import re
from typing import TYPE_CHECKING, Any

from ingest.layout import Glyph, Page, build_lines

if TYPE_CHECKING:
    from ingest.visible import PageObjects

# Unicode values that mean "no mapping": pdfium answers 0 or U+FFFE/U+FFFF for a character code its font
# cannot map; the private-use area is what a font with a broken ToUnicode map produces.
_NO_UNICODE = (0, 0xFFFE, 0xFFFF)
_PRIVATE_USE = (0xE000, 0xF8FF)


class NeedsReferenceReader(Exception):
    """pdfium saw something on a page that only the reference reader (pdfplumber) reads faithfully."""


def _upright(matrix: Any) -> bool:
    """A text object drawn without rotation, skew or mirroring (a, d > 0; b = c = 0)."""
    return abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6 and matrix.a > 0 and matrix.d > 0


def _check_objects(objects: PageObjects, raw: Any) -> bool:
    """Whether the page holds an image, from the one walk over its objects; raises
    ``NeedsReferenceReader`` for rotated or skewed text (pdfplumber reads that faithfully)."""
    matrix = raw.FS_MATRIX()
    ref, get_matrix = ctypes.byref(matrix), raw.FPDFPageObj_GetMatrix
    for obj, _ in objects.texts:
        if get_matrix(obj, ref) and not _upright(matrix):
            raise NeedsReferenceReader("rotated or skewed text")
    return objects.has_image


# a code pdfium could not map (0, U+FFFE/U+FFFF) or one in the private-use area: looked for once per page
_UNMAPPED = re.compile(
    "[" + "".join(map(chr, _NO_UNICODE)) + chr(_PRIVATE_USE[0]) + "-" + chr(_PRIVATE_USE[1]) + "]"
)


def _glyphs(textpage: Any, height: float, raw: Any) -> list[Glyph]:
    tp = textpage.raw
    text = textpage.get_text_range()
    count = raw.FPDFText_CountChars(tp)
    if (
        len(text) != count
    ):  # surrogate pairs or a text page pdfium could not lay out: let the reference read it
        raise NeedsReferenceReader("characters outside the basic plane")
    if _UNMAPPED.search(text):
        raise NeedsReferenceReader("a character without a Unicode value")
    rect = raw.FS_RECTF()
    box = ctypes.byref(rect)
    loose_box, font_size, generated = (
        raw.FPDFText_GetLooseCharBox,
        raw.FPDFText_GetFontSize,
        raw.FPDFText_IsGenerated,
    )
    out: list[Glyph] = []
    append = out.append
    for i, ch in enumerate(text):
        if ch == "\n" or ch == "\r" or (ch == " " and generated(tp, i)):
            continue
        loose_box(tp, i, box)
        append(Glyph(ch, rect.left, rect.right, height - rect.top, height - rect.bottom, font_size(tp, i)))
    return out


def read_pages(data: bytes) -> list[tuple[Page, int, bool, bool]]:
    """Every page's lines, its glyph count, whether it holds an image and whether its text is hidden
    (``ingest.visible``, judged while the page is open), read through pdfium.

    Raises :class:`NeedsReferenceReader` when a page needs pdfplumber (the caller reads the file that way)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from ingest.visible import hides_text, survey

    out: list[tuple[Page, int, bool, bool]] = []
    doc = pdfium.PdfDocument(data)
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                if raw.FPDFPage_GetRotation(page.raw):
                    raise NeedsReferenceReader("a rotated page")
                width, height = page.get_size()
                objects = survey(page, raw)
                has_image = _check_objects(objects, raw)
                textpage = page.get_textpage()
                try:
                    glyphs = _glyphs(textpage, height, raw)
                finally:
                    textpage.close()
                out.append(
                    (
                        Page(index + 1, float(width), float(height), build_lines(glyphs)),
                        len(glyphs),
                        has_image,
                        hides_text(objects, raw),
                    )
                )
            finally:
                page.close()
    finally:
        doc.close()
    return out
