"""Every hostile file of the corpus ends as bad/MANIFEST.json says — at the reading stage.

``not_judgment`` is decided later (parse_text); here the read must succeed and return the notice's
text. The two garbled-text-layer files need OCR for the full check (marked ``ocr``); their detection
is checked in the default run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from core.taxonomy import RejectReason
from ingest.errors import Rejected
from ingest.pdf_text import extract_lines
from ingest.read import ReadLimits, read_bytes, read_document
from ingest.sandbox import SandboxMemoryError, SandboxTimeout, run_limited
from ingest.text_quality import text_plausibility

GARBLED = {"bad/garbled_textlayer.pdf", "bad/no_tounicode.pdf"}


def _manifest(corpus_dir: Path) -> list[dict]:
    return json.loads((corpus_dir / "bad" / "MANIFEST.json").read_text("utf-8"))


def _entry(corpus_dir: Path, name: str) -> dict:
    return next(e for e in _manifest(corpus_dir) if e["file"] == name)


def test_manifest_lists_ten_files(corpus_dir: Path) -> None:
    assert len(_manifest(corpus_dir)) == 10


@pytest.mark.parametrize(
    "name",
    [
        "bad/empty.pdf",
        "bad/truncated.pdf",
        "bad/encrypted.pdf",
        "bad/long_600_pages.pdf",
        "bad/blank_page.pdf",
    ],
)
def test_rejected_files_end_with_the_manifest_reason(corpus_dir: Path, name: str) -> None:
    entry = _entry(corpus_dir, name)
    assert entry["expected_status"] == "rejected"
    with pytest.raises(Rejected) as info:
        read_document(corpus_dir / name)
    assert info.value.reason == RejectReason.parse(entry["expected_reason"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message), "the user sees a Chinese message"


def test_encrypted_asks_for_the_password(corpus_dir: Path) -> None:
    with pytest.raises(Rejected) as info:
        read_document(corpus_dir / "bad/encrypted.pdf")
    assert "密码" in info.value.message


def test_600_pages_rejected_by_page_count_before_any_extraction(corpus_dir: Path) -> None:
    """GIVEN a valid 600-page text PDF WHEN read with the default 200-page limit THEN it is refused
    at once (pages counted from the page tree; pdfplumber would need about a minute)."""
    start = time.monotonic()
    with pytest.raises(Rejected) as info:
        read_document(corpus_dir / "bad/long_600_pages.pdf")
    assert time.monotonic() - start < 3.0
    assert info.value.reason is RejectReason.too_long
    assert "600" in info.value.message


def test_size_limit_is_checked_before_reading(corpus_dir: Path) -> None:
    with pytest.raises(Rejected) as info:
        read_document(corpus_dir / "bad/broken_xref.pdf", ReadLimits(max_bytes=1000))
    assert info.value.reason is RejectReason.too_long


def test_broken_xref_is_repaired_and_read(corpus_dir: Path, corpus_judgments: dict) -> None:
    entry = _entry(corpus_dir, "bad/broken_xref.pdf")
    doc = read_document(corpus_dir / "bad/broken_xref.pdf", ReadLimits(ocr=False))
    assert entry["expected_warning"] in doc.warnings
    original = corpus_judgments[entry["derived_from"]]["document_text"]
    assert doc.text.split("\n")[:3] == original.split("\n")[:3]
    assert len(doc.text) > 0.95 * len(original)


def test_html_named_pdf_is_read_as_html(corpus_dir: Path, corpus_judgments: dict) -> None:
    """The manifest allows reject(not_pdf) or reading the saved page; we read it (better for users)."""
    entry = _entry(corpus_dir, "bad/html_renamed.pdf")
    assert entry["also_acceptable"]["expected_status"] == "stored"
    doc = read_document(corpus_dir / "bad/html_renamed.pdf")
    assert doc.kind == "html"
    original = corpus_judgments[entry["derived_from"]]["document_text"]
    first_lines = original.split("\n")[:3]
    assert doc.text.split("\n")[:3] == first_lines  # the page-title box is not part of the document
    assert "<div" not in doc.text


def test_not_a_judgment_is_read_parse_decides(corpus_dir: Path) -> None:
    entry = _entry(corpus_dir, "bad/not_a_judgment.pdf")
    assert entry["expected_reason"] == "not_judgment"
    doc = read_document(corpus_dir / "bad/not_a_judgment.pdf")
    assert doc.kind == "text_pdf"
    assert "行政执法监督" in doc.text and "判决如下" not in doc.text


@pytest.mark.parametrize("name", sorted(GARBLED))
def test_garbled_text_layers_are_detected_on_every_page(corpus_dir: Path, name: str) -> None:
    pages = extract_lines((corpus_dir / name).read_bytes())
    assert pages
    for rp in pages:
        text = "\n".join(ln.text for ln in rp.page.lines)
        assert text_plausibility(text) < ReadLimits().min_text_quality, f"page {rp.page.number} looks real"


@pytest.mark.parametrize("name", sorted(GARBLED))
def test_garbled_text_is_never_returned_without_ocr(corpus_dir: Path, name: str) -> None:
    with pytest.raises(Rejected) as info:
        read_document(corpus_dir / name, ReadLimits(ocr=False))
    assert info.value.reason is RejectReason.ocr_failed


@pytest.mark.ocr
@pytest.mark.parametrize("name", sorted(GARBLED))
def test_garbled_text_layers_fall_back_to_ocr(corpus_dir: Path, corpus_judgments: dict, name: str) -> None:
    entry = _entry(corpus_dir, name)
    doc = read_document(corpus_dir / name)
    assert entry["expected_warning"] in doc.warnings
    assert doc.kind == "scan_pdf"
    assert all(p.source == "ocr" for p in doc.pages)
    compact = "".join(doc.text.split())
    original = corpus_judgments[entry["derived_from"]]["document_text"]
    court = original.split("\n")[0]
    assert court in compact
    assert "本院认为" in compact


def test_unknown_bytes_named_pdf_are_not_pdf() -> None:
    with pytest.raises(Rejected) as info:
        read_bytes(b"\x00\x01\x02\x03" * 100, "scan.pdf")
    assert info.value.reason is RejectReason.not_pdf


def test_unknown_bytes_are_unsupported() -> None:
    with pytest.raises(Rejected) as info:
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "photo.png")
    assert info.value.reason is RejectReason.unsupported


def test_a_stuck_parse_is_killed_and_reported_as_timeout(corpus_dir: Path) -> None:
    """GIVEN a parse that cannot finish in time WHEN reading THEN Rejected(timeout), promptly."""
    start = time.monotonic()
    with pytest.raises(Rejected) as info:
        read_document(corpus_dir / "bad/broken_xref.pdf", ReadLimits(parse_timeout_s=0.001, ocr=False))
    assert info.value.reason is RejectReason.timeout
    assert time.monotonic() - start < 10


def test_sandbox_kills_a_hanging_child() -> None:
    start = time.monotonic()
    with pytest.raises(SandboxTimeout):
        run_limited(time.sleep, (60,), timeout_s=1.0, memory_mb=0)
    assert time.monotonic() - start < 10


def test_sandbox_caps_memory() -> None:
    with pytest.raises(SandboxMemoryError):
        run_limited(bytearray, (3 * 1024**3,), timeout_s=30, memory_mb=512)


def test_the_batch_goes_on_after_a_killed_parse(corpus_dir: Path) -> None:
    """GIVEN a parse that was killed WHEN the next file is read THEN a fresh worker reads it."""
    with pytest.raises(Rejected):
        read_document(corpus_dir / "bad/broken_xref.pdf", ReadLimits(parse_timeout_s=0.001, ocr=False))
    doc = read_document(corpus_dir / "bad/broken_xref.pdf", ReadLimits(ocr=False))
    assert doc.text
    with pytest.raises(SandboxMemoryError):
        run_limited(bytearray, (3 * 1024**3,), timeout_s=30, memory_mb=512)
    assert read_document(corpus_dir / "bad/broken_xref.pdf", ReadLimits(ocr=False)).text == doc.text
