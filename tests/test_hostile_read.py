"""Hostile files at the reading stage: each ends with its expected reason and a Chinese message, and the
caps are mechanisms — the parent never parses the file, the sandbox is killed at its limit.

The files come from ``tests/hostile_files.py`` (built in memory, never committed).
"""

from __future__ import annotations

import os
import resource

import hostile_files as hf
import pytest

from core.taxonomy import RejectReason
from ingest.errors import Rejected
from ingest.parse import parse_text
from ingest.read import read_bytes
from ingest.record import ReadLimits


def _rejected(data: bytes, name: str, limits: ReadLimits | None = None) -> Rejected:
    with pytest.raises(Rejected) as info:
        read_bytes(data, name, limits or ReadLimits())
    return info.value


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        line = next(ln for ln in fh if ln.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def test_a_real_docx_still_reads_and_parses() -> None:
    record = parse_text(read_bytes(hf.docx_bytes(), "判决.docx").text)
    assert record.case_no == "（2024）冀0101行初12号"


def test_docx_bomb_is_named_a_bomb_and_the_parent_stays_small() -> None:
    """GIVEN a 470 KB Word file whose document.xml inflates to 150 MB (2.8 GB when parsed in-process)
    WHEN it is read THEN it is refused as a bomb, in Chinese, and the calling process never inflated it."""
    data = hf.docx_bomb(150)
    assert len(data) < 1024 * 1024
    before = _rss_mb()
    exc = _rejected(data, "判决书.docx")
    assert exc.reason is RejectReason.bomb
    assert "解压炸弹" in exc.message and "64 MB" in exc.message
    assert _rss_mb() - before < 100  # the parent held only the 470 KB file


def test_docx_whose_zip_headers_lie_about_the_size_is_refused() -> None:
    exc = _rejected(hf.docx_lying_sizes(100), "判决书.docx")
    assert exc.reason in (RejectReason.bomb, RejectReason.corrupt)
    assert "Word" in exc.message


def test_docx_with_thousands_of_parts_is_a_bomb() -> None:
    exc = _rejected(hf.docx_many_members(6000), "x.docx")
    assert exc.reason is RejectReason.bomb and "部件" in exc.message


def test_docx_under_the_cap_but_too_big_to_parse_is_killed_at_the_memory_limit() -> None:
    """GIVEN a bomb under the size cap and a sandbox allowed only 600 MB WHEN read THEN the sandbox dies at
    its limit and the file is refused (too_long), naming the limit; the next file reads normally."""
    limits = ReadLimits(max_memory_mb=600, max_unzipped_bytes=200 * 1024 * 1024)
    exc = _rejected(hf.docx_bomb(120), "x.docx", limits)
    assert exc.reason in (RejectReason.too_long, RejectReason.corrupt)
    assert "600 MB" in exc.message or "损坏" in exc.message
    assert read_bytes(hf.docx_bytes(), "ok.docx", limits).kind == "docx"


def test_the_cap_is_a_setting() -> None:
    exc = _rejected(hf.docx_bomb(20), "x.docx", ReadLimits(max_unzipped_bytes=10 * 1024 * 1024))
    assert exc.reason is RejectReason.bomb and "10 MB" in exc.message
    assert read_bytes(hf.docx_bomb(20), "x.docx", ReadLimits()).kind == "docx"


def test_password_protected_docx_asks_for_the_password() -> None:
    exc = _rejected(hf.encrypted_docx(), "判决书.docx")
    assert exc.reason is RejectReason.encrypted
    assert "密码" in exc.message


def test_old_binary_doc_says_to_save_as_docx() -> None:
    exc = _rejected(hf.old_doc(), "判决书.doc")
    assert exc.reason is RejectReason.unsupported
    assert ".docx" in exc.message and "另存为" in exc.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "gb18030", "gbk", "utf-8-sig"])
def test_text_files_in_the_encodings_clerks_save_are_read(encoding: str) -> None:
    data = hf.JUDGMENT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    doc = read_bytes(data, "判决.txt")
    assert doc.kind == "text"
    assert parse_text(doc.text).case_no == "（2024）冀0101行初12号"


def test_binary_junk_is_not_mistaken_for_gb18030_text() -> None:
    junk = bytes((i * 7919 + 13) % 256 for i in range(20000))
    assert _rejected(junk, "x.bin").reason is RejectReason.unsupported


def test_deeply_nested_html_is_refused_or_read_never_crashes_the_caller() -> None:
    try:
        doc = read_bytes(hf.html_deep(100_000), "x.html")
    except Rejected as exc:
        assert exc.message and exc.reason in (RejectReason.corrupt, RejectReason.too_long)
    else:
        assert "判决如下" in doc.text


def test_html_is_parsed_in_the_sandbox_not_the_caller() -> None:
    """A 600 MB sandbox and a huge page: refused at the sandbox's limit, the caller untouched."""
    big = hf.html_bytes(hf.JUDGMENT * 40_000)  # ~30 MB of HTML
    limits = ReadLimits(max_memory_mb=600)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        read_bytes(big, "x.html", limits)
    except Rejected as exc:
        assert "600 MB" in exc.message
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200  # lxml's tree of 30 MB of HTML alone is larger


def test_a_text_far_longer_than_any_judgment_is_refused_in_the_sandbox() -> None:
    """GIVEN 30 MB of HTML (15 million characters; parsing that text in the caller took 3 GB) WHEN read THEN
    too_long, saying how long it is; the text never reaches the caller."""
    exc = _rejected(hf.html_bytes(hf.JUDGMENT * 40_000), "x.html")
    assert exc.reason is RejectReason.too_long and "万字" in exc.message


def test_an_oversized_page_is_rendered_for_ocr_at_a_lower_resolution() -> None:
    from ingest.ocr import MAX_OCR_PIXELS, ocr_dpi

    assert ocr_dpi(595, 842, 300) == 300  # A4 as configured
    dpi = ocr_dpi(14400, 14400, 300)  # the largest page the PDF spec allows
    assert (14400 / 72 * dpi) ** 2 <= MAX_OCR_PIXELS and dpi >= 20


def test_control_characters_are_stripped_at_reading() -> None:
    pad = "原告诉称，被告作出的不予认定工伤决定认定事实不清，请求撤销。\n" * 60
    text = hf.JUDGMENT.replace("原告张三，", "原告张\x01三\x1b，", 1).replace("被告辩称", pad + "被告辩称")
    doc = read_bytes(text.encode(), "a.txt")
    assert "\x01" not in doc.text and "\x1b" not in doc.text
    assert "张三" in parse_text(doc.text).plaintiffs


def test_real_characters_in_shuffled_order_are_not_plausible_text() -> None:
    """GIVEN a junk text layer made of a real judgment's characters in shuffled order (1.0 before) WHEN it
    is judged THEN it is implausible (the page is OCR'd), while the same text in order stays plausible."""
    import random

    from ingest.text_quality import text_plausibility

    text = hf.JUDGMENT * 2
    chars = list(text)
    random.Random(7).shuffle(chars)
    assert text_plausibility(text) >= 0.9
    assert text_plausibility("".join(chars)) < 0.5


def test_a_font_map_onto_sequential_han_characters_is_not_plausible() -> None:
    """A ToUnicode map that sends glyph k to the k-th Han character of a run (0.546 before)."""
    from ingest.text_quality import text_plausibility

    base = ord("一")
    codes = {c: chr(base + i) for i, c in enumerate(dict.fromkeys(hf.JUDGMENT)) if not c.isspace()}
    mapped = "".join(codes.get(c, c) for c in hf.JUDGMENT * 2)
    assert text_plausibility(mapped) < 0.5


def _corpus_pdf(kind: str, name: str) -> str:
    from conftest import CORPUS_DIR

    path = CORPUS_DIR / "pdf" / kind / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"corpus file {path} missing")
    return str(path)


@pytest.mark.parametrize("how", ["invisible", "white"])
def test_a_text_layer_the_page_does_not_show_never_becomes_the_record(how: str) -> None:
    """GIVEN a real judgment whose text is drawn invisibly (render mode 3) or in white WHEN read THEN the
    page is recognised for what it shows — nothing — and the file is refused blank, warning hidden_text."""
    exc = _rejected(hf.hide_text(_corpus_pdf("text", "sea-022"), how), "x.pdf")
    assert exc.reason is RejectReason.blank and "hidden_text" in exc.warnings


@pytest.mark.ocr
def test_another_judgments_text_hidden_over_a_scan_yields_what_the_scan_shows() -> None:
    """GIVEN a scan of (2018)京行终766号 with the invisible text layer of another judgment on top WHEN read
    THEN the record is what the image shows (OCR), with the warning hidden_text."""
    data = hf.text_over_scan(_corpus_pdf("text", "sea-022"), _corpus_pdf("scan", "cao-010"))
    doc = read_bytes(data, "x.pdf")
    assert "hidden_text" in doc.warnings and doc.pages[0].source == "ocr"
    assert "京行终766号" in doc.text[:300]


@pytest.mark.ocr
def test_a_searchable_scan_whose_hidden_text_matches_the_image_keeps_its_text_layer() -> None:
    data = hf.text_over_scan(_corpus_pdf("text", "cao-010"), _corpus_pdf("scan", "cao-010"))
    doc = read_bytes(data, "x.pdf")
    assert doc.warnings == [] and doc.pages[0].source == "text_layer"
    assert doc.text.startswith("北京市高级人民法院")


def test_a_pdf_whose_stream_inflates_to_a_gigabyte_is_named_a_bomb() -> None:
    """GIVEN a 1 MB PDF whose content stream inflates to 1 GB (the upload that froze the server for 19 s)
    WHEN read THEN it is refused as a bomb, in Chinese, by a capped check in the sandbox."""
    data = hf.pdf_stream_bomb(1024)
    assert len(data) < 2 * 1024 * 1024
    exc = _rejected(data, "判决.pdf")
    assert exc.reason is RejectReason.bomb and "解压炸弹" in exc.message
