"""A web print-out whose signature date is masked is dated by the page's own 发布日期 line."""

from __future__ import annotations

from pathlib import Path

from ingest import parse_judgment
from ingest.parse import parse_text
from ingest.read import read_document


def test_masked_signature_date_falls_back_to_the_print_header(
    corpus_dir: Path, corpus_judgments: dict
) -> None:
    """GIVEN a 裁判文书网 print-out (simu-004) whose signature block reads ××××年××月××日
    WHEN it is read and parsed THEN the page header's 发布日期 dates it, marked as web metadata,
    while the body text keeps no trace of the header."""
    assert "××××年××月××日" in corpus_judgments["simu-004"]["document_text"]
    read = read_document(corpus_dir / "pdf" / "text" / "simu-004.pdf")
    assert any("发布日期" in line for line in read.furniture)
    assert "发布日期" not in read.text
    record = parse_text(read.text, read.furniture)
    assert (record.judgment_date, record.judgment_date_source) == ("2022-03-31", "web_metadata")
    assert parse_text(read.text).judgment_date is None  # the text alone does not say


def test_a_printed_date_wins_over_any_header(corpus_dir: Path) -> None:
    record = parse_judgment(corpus_dir / "pdf" / "text" / "sea-004.pdf")
    assert (record.judgment_date, record.judgment_date_source) == ("2016-06-20", "signature")
