"""Scanned judgments: OCR of a real one-page scan (marked ``ocr``), and the page-cleaning steps."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from ingest.ocr import clean_page, fix_date_line, remove_red, skew_angle
from ingest.read import ReadLimits, read_document


def _compact(text: str) -> str:
    """Spaces out, full-width brackets folded: what field extraction does before matching."""
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans("（）〔〕［］﹝﹞", "()()[][]"))


@pytest.fixture(scope="module")
def one_page_scan(corpus_dir: Path, corpus_judgments: dict) -> tuple[dict, Path]:
    recs = [r for r in corpus_judgments.values() if r["files"].get("scan_pdf") and r["render"]["pages"] == 1]
    rec = sorted(recs, key=lambda r: r["id"])[0]
    return rec, corpus_dir / rec["files"]["scan_pdf"]


@pytest.mark.ocr
def test_one_page_scan_case_number_and_court_are_readable(one_page_scan) -> None:
    rec, path = one_page_scan
    doc = read_document(path, ReadLimits(ocr_threads=1))
    assert doc.kind == "scan_pdf"
    assert [p.source for p in doc.pages] == ["ocr"]
    assert 0.5 < doc.pages[0].quality <= 1.0
    lines = rec["document_text"].split("\n")
    court, case_no = lines[0], lines[2]
    text = _compact(doc.text)
    assert _compact(court) in text
    assert _compact(case_no) in text
    assert "第1页" not in text  # the footer is furniture on scans too


def _page_with_seal() -> np.ndarray:
    img = np.full((600, 800, 3), 235, np.uint8)  # grey paper
    for row in range(100, 500, 60):
        cv2.putText(img, "TEXT LINE " * 3, (40, row), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3)
    cv2.circle(img, (600, 400), 120, (200, 30, 30), 8)  # the red seal ring (RGB), over the text
    cv2.circle(img, (600, 400), 30, (210, 40, 40), -1)
    return img


def test_red_seal_is_removed_and_black_text_kept() -> None:
    img = _page_with_seal()
    out = remove_red(img)
    assert out.ndim == 2
    assert out[400, 600] == 255  # seal centre → white
    assert out[400, 480] > 200  # ring
    binary = clean_page(img)
    black_before = (cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) < 100).sum()
    black_after = (binary == 0).sum()
    assert 0.8 * black_before < black_after < 1.3 * black_before


def test_skew_is_measured_within_a_few_tenths_of_a_degree() -> None:
    img = _page_with_seal()
    h, w = img.shape[:2]
    rot = cv2.warpAffine(
        img, cv2.getRotationMatrix2D((w / 2, h / 2), 1.5, 1.0), (w, h), borderValue=(235, 235, 235)
    )
    gray = cv2.cvtColor(rot, cv2.COLOR_RGB2GRAY)
    angle = skew_angle((gray < 128).astype(np.uint8))
    assert abs(angle + 1.5) <= 0.3


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("二oO--六年六月二：二日", "二〇一六年六月二十二日"),  # 〇 read twice, 一 as dashes, 十 as a colon
        ("二〇〇一八年十月十一日", "二〇一八年十月十一日"),
        ("二人〇一七年十一月二十一日", "二〇一七年十一月二十一日"),
        ("二〇〇一年三月五日", "二〇〇一年三月五日"),  # a real 2001 stays
        ("二〇一八年十月小--日", "二〇一八年十月小--日"),  # an unreadable day is left as read
        ("本院于二〇一八年受理", "本院于二〇一八年受理"),  # not a date line
    ],
)
def test_seal_damaged_date_lines_are_repaired_only_when_unambiguous(read: str, fixed: str) -> None:
    assert fix_date_line(read) == fixed


@pytest.mark.ocr
def test_a_scan_read_on_two_cores_is_the_scan_read_on_one(corpus_dir: Path) -> None:
    """GIVEN a two-page scan WHEN its pages are OCR'd at once in two sandboxes (``anjian ingest --jobs 2``)
    THEN text, page spans, sources, qualities and warnings are exactly those of one page at a time."""
    from dataclasses import replace

    data = (corpus_dir / "pdf" / "scan" / "sea-021.pdf").read_bytes()
    from ingest.read import read_bytes

    one = read_bytes(data, "sea-021.pdf", ReadLimits())
    two = read_bytes(data, "sea-021.pdf", replace(ReadLimits(), ocr_parallel=2))
    assert one.kind.value == "scan_pdf" and len(one.pages) == 2
    assert (two.text, two.pages, two.warnings) == (one.text, one.pages, one.warnings)
