"""A web print-out's 发布日期 is a publication date: kept as ``published_date``, never a judgment date."""

from __future__ import annotations

from pathlib import Path

from ingest import parse_judgment
from ingest.parse import parse_text
from ingest.read import read_document


def test_masked_signature_date_stays_null_and_the_print_header_gives_the_publication_date(
    corpus_dir: Path, corpus_judgments: dict
) -> None:
    """GIVEN a 裁判文书网 print-out (simu-004) whose signature block reads ××××年××月××日
    WHEN it is read and parsed THEN its judgment date stays null (the text does not state it), the page
    header's 发布日期 is kept as the publication date, and the body text keeps no trace of the header."""
    assert "××××年××月××日" in corpus_judgments["simu-004"]["document_text"]
    read = read_document(corpus_dir / "pdf" / "text" / "simu-004.pdf")
    assert any("发布日期" in line for line in read.furniture)
    assert "发布日期" not in read.text
    record = parse_text(read.text, read.furniture)
    assert (record.judgment_date, record.judgment_date_source) == (None, None)
    assert (record.published_date, record.published_date_source) == ("2022-03-31", "web_metadata")
    assert parse_text(read.text).published_date is None  # the text alone does not say


def test_a_printed_date_wins_over_any_header(corpus_dir: Path) -> None:
    record = parse_judgment(corpus_dir / "pdf" / "text" / "sea-004.pdf")
    assert (record.judgment_date, record.judgment_date_source) == ("2016-06-20", "signature")
