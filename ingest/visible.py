"""Which pages carry text the reader does not see: invisible (render mode 3 or 7), drawn in white, or
covered by an image drawn after it. Runs in the sandbox (pdfium page objects, no text extraction).

A scanner's searchable PDF draws its OCR text invisibly over the image, so hidden text is not in itself
an attack; it only means the text layer must be checked against what the page shows (ingest.pdf_read
OCRs such pages and keeps the text layer only when both agree).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MIN_HIDDEN_OBJECTS = 3  # a stray invisible space or two is no text layer
MIN_HIDDEN_SHARE = 0.1
_WHITE = 245


def hidden_text_pages(data: bytes) -> list[int]:
    """1-based numbers of the pages whose text layer is (largely) invisible on the rendered page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: list[int] = []
    doc = pdfium.PdfDocument(data)
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                if hides_text(survey(page, raw), raw):
                    out.append(index + 1)
            finally:
                page.close()
    finally:
        doc.close()
    return out


@dataclass
class PageObjects:
    """What one walk over a page's objects found: its text objects (raw object, nesting level) in drawing
    order, its top-level images (how many text objects were drawn before each one, raw object), and
    whether it holds an image at any level."""

    texts: list[tuple[Any, int]]
    images: list[tuple[int, Any]]
    has_image: bool


def survey(page: Any, raw: Any, max_depth: int = 4) -> PageObjects:
    """One walk over the page's objects (form XObjects entered up to ``max_depth``), shared by the
    reader's checks and :func:`hides_text`, so a page's objects are walked once."""
    text_kind, image_kind = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE
    texts: list[tuple[Any, int]] = []
    images: list[tuple[int, Any]] = []
    has_image = False
    for obj, kind, level in page_objects(page, raw, max_depth):
        if kind == text_kind:
            texts.append((obj, level))
        elif kind == image_kind:
            has_image = True
            if level == 0:
                images.append((len(texts), obj))  # covers the text objects drawn before it
    return PageObjects(texts, images, has_image)


def hides_text(objects: PageObjects, raw: Any) -> bool:
    """Whether a (loaded, still open) pdfium page, from its :func:`survey`, draws its text invisibly: render
    mode 3/7, white, or under an image drawn after it — for at least MIN_HIDDEN_OBJECTS objects and
    MIN_HIDDEN_SHARE of them. A text object's bounds are only asked for when an image is drawn after it."""
    texts = objects.texts
    if not texts:
        return False
    images: list[tuple[int, tuple[float, float, float, float]]] = []
    for before, obj in objects.images:
        box = _bounds(obj, raw)
        if box is not None:
            images.append((before, box))
    last_cover = max((before for before, _ in images), default=0)  # text objects drawn before the last image
    color = _Color()
    hidden = 0
    for i, (obj, level) in enumerate(texts):
        if _invisible(obj, raw, color):
            hidden += 1
        elif level == 0 and i < last_cover:
            box = _bounds(obj, raw)
            if box is not None and any(after > i and _inside(box, img) for after, img in images):
                hidden += 1
    return hidden >= MIN_HIDDEN_OBJECTS and hidden >= MIN_HIDDEN_SHARE * len(texts)


def page_objects(page: Any, raw: Any, max_depth: int = 4) -> Iterator[tuple[Any, int, int]]:
    """(raw object, its type, its nesting level) of every object on the page, form XObjects entered up to
    ``max_depth`` — through pdfium's raw API, without a Python wrapper per object (a page has hundreds)."""
    count, get, kind_of = raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType
    form = raw.FPDF_PAGEOBJ_FORM

    def walk(parent: Any, n: int, child: Any, level: int) -> Iterator[tuple[Any, int, int]]:
        for i in range(n):
            obj = child(parent, i)
            kind = kind_of(obj)
            yield obj, kind, level
            if kind == form and level + 1 < max_depth:
                yield from walk(obj, raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, level + 1)

    yield from walk(page.raw, count(page.raw), get, 0)


_FILLS = (0, 2, 4, 6)  # render modes that paint the glyph's inside
_STROKES = (1, 2, 5, 6)  # … and its outline; 3 and 7 paint nothing


class _Color:
    """Four reusable out-parameters for pdfium's colour getters (one set per page, not per object)."""

    def __init__(self) -> None:
        self.r, self.g, self.b, self.a = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
        self.refs = tuple(ctypes.byref(v) for v in (self.r, self.g, self.b, self.a))


def _invisible(obj: Any, raw: Any, color: _Color) -> bool:
    """Nothing of the glyphs shows: render mode 3/7, or every part painted is white or transparent."""
    mode = raw.FPDFTextObj_GetTextRenderMode(obj)
    if mode not in _FILLS and mode not in _STROKES:
        return mode in (raw.FPDF_TEXTRENDERMODE_INVISIBLE, raw.FPDF_TEXTRENDERMODE_CLIP)
    parts = []
    if mode in _FILLS:
        parts.append(raw.FPDFPageObj_GetFillColor)
    if mode in _STROKES:
        parts.append(raw.FPDFPageObj_GetStrokeColor)
    for get in parts:
        if not get(obj, *color.refs):
            return False
        if color.a.value != 0 and min(color.r.value, color.g.value, color.b.value) < _WHITE:
            return False
    return True


def _bounds(obj: Any, raw: Any) -> tuple[float, float, float, float] | None:
    left, bottom, right, top = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    return left.value, bottom.value, right.value, top.value


def _inside(box: tuple[float, float, float, float], cover: tuple[float, float, float, float]) -> bool:
    tol = 2.0
    return (
        box[0] >= cover[0] - tol
        and box[1] >= cover[1] - tol
        and box[2] <= cover[2] + tol
        and box[3] <= cover[3] + tol
    )
