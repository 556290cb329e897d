"""The pdfium text-layer reader against the reference reader (pdfplumber) on every dev text PDF.

GIVEN each text PDF of the corpus, read once by pdfium and once by pdfplumber
THEN the documents are the same: the same characters in the same order, the same paragraph breaks and the
same page offsets. What may differ is white space inside a line, where pdfium places a glyph by its own
advance and pdfminer sometimes does not (a letter-spaced ``审　判　长`` whose last glyph pdfminer puts one
em too far left reads ``审　判长``): ``ingest.normalize`` folds such spaces away, so records are the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.layout import assemble, remove_furniture
from ingest.pdf_text import extract_lines, extract_lines_pdfplumber
from ingest.pdfium_text import NeedsReferenceReader, read_pages

_INLINE_SPACE = re.compile(r"[ \u3000]+")


def _document(pages: list) -> str:
    text, _spans, _furniture = assemble(pages)
    return text


def test_pdfium_reads_the_dev_corpus_like_pdfplumber(corpus_dir: Path) -> None:
    files = sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))
    assert len(files) > 100
    spacing_only = 0
    for path in files:
        data = path.read_bytes()
        fast = [page for page, _n, _img, _hidden in read_pages(data)]
        reference = [rp.page for rp in extract_lines_pdfplumber(data)]
        assert [len(p.lines) for p in fast] == [len(p.lines) for p in reference], path.name
        a, b = _document(remove_furniture(fast)), _document(remove_furniture(reference))
        assert _INLINE_SPACE.sub("", a) == _INLINE_SPACE.sub("", b), path.name
        assert [m.start() for m in re.finditer("\n", _INLINE_SPACE.sub("", a))] == [
            m.start() for m in re.finditer("\n", _INLINE_SPACE.sub("", b))
        ], path.name
        spacing_only += a != b
    # the documents that differ differ in inline spacing only (letter-spaced signature lines, page footers)
    assert spacing_only < len(files)


def _pdf_with(text_ops: bytes) -> bytes:
    """A one-page PDF whose content stream is ``text_ops`` (Helvetica, no ToUnicode needed for ASCII)."""
    stream = b"BT /F1 12 Tf " + text_ops + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_upright_text_is_read_by_pdfium() -> None:
    pages = read_pages(_pdf_with(b"1 0 0 1 50 200 Tm (Case 15) Tj"))
    assert [ln.text for ln in pages[0][0].lines] == ["Case 15"]


@pytest.mark.parametrize("matrix", [b"0 1 -1 0 150 50 Tm", b"1 0 0.5 1 50 200 Tm", b"-1 0 0 1 250 200 Tm"])
def test_rotated_skewed_or_mirrored_text_goes_to_the_reference_reader(matrix: bytes) -> None:
    data = _pdf_with(matrix + b" (Case 15) Tj")
    with pytest.raises(NeedsReferenceReader):
        read_pages(data)
    # the reader the pipeline calls falls back by itself: the page is read as the reference reads it
    fallback = [ln.text for ln in extract_lines(data)[0].page.lines]
    assert fallback == [ln.text for ln in extract_lines_pdfplumber(data)[0].page.lines] and fallback
