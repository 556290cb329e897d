"""DOCX, HTML and plain text: detected by content, read paragraph by paragraph."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from core.taxonomy import RejectReason
from ingest.detect import Format, detect_format
from ingest.errors import Rejected
from ingest.read import read_bytes, read_document


def _docx_records(corpus_judgments: dict) -> list[dict]:
    return [r for r in corpus_judgments.values() if r["files"].get("docx")]


def test_every_corpus_docx_reads_as_the_printed_text(corpus_dir: Path, corpus_judgments: dict) -> None:
    recs = _docx_records(corpus_judgments)
    assert len(recs) == 10
    for rec in recs:
        doc = read_document(corpus_dir / rec["files"]["docx"])
        assert doc.kind == "docx"
        want = rec["document_text"].split("\n")
        got = doc.text.split("\n")
        same = sum(1 for a, b in zip(got, want, strict=False) if a == b)
        assert same >= len(want) - 1, rec["id"]
        assert len(doc.pages) == 1 and doc.pages[0].start == 0 and doc.pages[0].end == len(doc.text)


def test_docx_footer_page_fields_are_not_text(corpus_dir: Path, corpus_judgments: dict) -> None:
    rec = _docx_records(corpus_judgments)[0]
    path = corpus_dir / rec["files"]["docx"]
    footer = " ".join(p.text for s in docx.Document(str(path)).sections for p in s.footer.paragraphs)
    assert footer.strip()  # the file has a page-number footer ("— X —", "第 X 页 共 Y 页") ...
    doc = read_document(path)
    assert doc.text.split("\n")[-1] == rec["document_text"].split("\n")[-1]  # ... which is not text
    assert footer.strip() not in doc.text


def test_docx_detected_by_content_whatever_its_name(corpus_dir: Path, corpus_judgments: dict) -> None:
    rec = _docx_records(corpus_judgments)[0]
    data = (corpus_dir / rec["files"]["docx"]).read_bytes()
    assert detect_format(data) is Format.docx
    assert read_bytes(data, "judgment.pdf").kind == "docx"


def test_docx_tables_are_read() -> None:
    d = docx.Document()
    d.add_paragraph("某某县人民法院")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "审判长"
    table.cell(0, 1).text = "张三"
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes(buf.getvalue(), "x.docx")
    assert doc.text.split("\n") == ["某某县人民法院", "审判长　张三"]


def test_zip_that_is_not_a_docx_is_unsupported() -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(Rejected) as info:
        read_bytes(buf.getvalue(), "a.zip")
    assert info.value.reason is RejectReason.unsupported


def test_plain_utf8_text_is_read() -> None:
    data = "\ufeff某某县人民法院\r\n\r\n行政判决书\r\n（2020）某0101行初1号\n".encode()
    doc = read_bytes(data, "a.txt")
    assert doc.kind == "text"
    assert doc.text == "某某县人民法院\n行政判决书\n（2020）某0101行初1号"


def test_gbk_text_is_read_as_gbk_not_mistaken_for_utf8() -> None:
    """Clerks save text as GBK (Notepad's 'ANSI'): it is read, with the right characters (issue 14)."""
    doc = read_bytes("某某县人民法院行政判决书".encode("gbk"), "a.txt")
    assert doc.text == "某某县人民法院行政判决书"


def test_html_blocks_become_lines_and_chrome_is_dropped() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>标题</title><style>p{}</style></head><body>"
        "<div class='PDF_title'>某某诉某某局二审行政判决书</div>"
        "<div>某某市中级人民法院</div><div>行 政 判 决 书</div>"
        "<p>上诉人某某因与被上诉人<b>某某局</b>行政处罚一案，</p><script>var x=1;</script>"
        "<p>本判决为终审判决。</p></body></html>"
    ).encode()
    doc = read_bytes(html, "page.pdf")
    assert doc.kind == "html"
    assert doc.text.split("\n") == [
        "某某市中级人民法院",
        "行 政 判 决 书",
        "上诉人某某因与被上诉人某某局行政处罚一案，",
        "本判决为终审判决。",
    ]


def test_whitespace_only_file_is_empty() -> None:
    with pytest.raises(Rejected) as info:
        read_bytes(b"  \n\t ", "a.pdf")
    assert info.value.reason is RejectReason.empty


def test_limits_come_from_settings(settings) -> None:
    from pipeline.process import read_limits

    limits = read_limits(settings, ocr=False)
    assert limits.max_pages == settings.max_pages
    assert limits.max_bytes == settings.max_file_mb * 1024 * 1024
    assert limits.ocr is False
