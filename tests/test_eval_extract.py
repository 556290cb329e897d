"""``anjian eval extract``: the JSON interface on a small subset of the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.eval_cmds import evaluate, field_correct
from cli.main import app

FIELDS = {
    "case_no",
    "court",
    "doc_kind",
    "procedure",
    "judgment_date",
    "defendants",
    "plaintiffs",
    "agency_head_appeared",
}


def test_eval_extract_json_shape_from_text(corpus_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "extract",
            str(corpus_dir),
            "--json",
            "--from-text",
            "--ids",
            "sea-001,sea-007,seafs-008",
            "--kinds",
            "text_pdf,docx",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(data) == {"n", "accuracy", "rejected"}
    assert data["n"] == {"text_pdf": 3, "docx": 0}
    assert set(data["accuracy"]["text_pdf"]) == FIELDS
    assert data["accuracy"]["text_pdf"]["case_no"] == 1.0
    assert data["rejected"] == []


def test_rejected_file_is_wrong_on_every_labelled_field(corpus_dir: Path) -> None:
    result = evaluate(corpus_dir, lambda path: (None, "corrupt"), kinds=["text_pdf"], ids={"sea-001"})
    assert result["n"] == {"text_pdf": 1}
    assert result["rejected"] == [{"file": "pdf/text/sea-001.pdf", "reason": "corrupt"}]
    assert all(v in (0.0, None) for v in result["accuracy"]["text_pdf"].values())


def test_field_comparison_normalises_brackets_and_compares_sets() -> None:
    assert field_correct("case_no", "(2019)豫 0721 行初15号", "（2019）豫0721行初15号")
    assert field_correct("defendants", ["乙局", "甲政府"], ["甲政府", "乙局"])
    assert field_correct("agency_head_appeared", None, None) is None  # null label: skipped
    assert not field_correct("agency_head_appeared", None, False)


def test_a_masked_date_is_right_only_when_the_record_leaves_it_null() -> None:
    assert field_correct("judgment_date", None, None) is True
    assert field_correct("judgment_date", "2022-03-31", None) is False  # filled from a publication date


def test_case_numbers_are_compared_without_the_projects_own_normaliser() -> None:
    """Only bracket styles and spaces are unified: a year misread as 2O19 stays a miss."""
    assert not field_correct("case_no", "（2O19）浙0302行初88号", "（2019）浙0302行初88号")
    assert field_correct("case_no", "〔2019〕浙0302行初88号", "（2019）浙0302行初88号")


def test_details_prints_every_miss_with_file_field_label_and_value(corpus_dir: Path) -> None:
    args = ["eval", "extract", str(corpus_dir), "--from-text", "--ids", "sea-001", "--kinds", "text_pdf"]
    result = CliRunner().invoke(app, [*args, "--json", "--details"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["misses"] == []
    broken = evaluate(corpus_dir, lambda path: (None, "corrupt"), kinds=["text_pdf"], ids={"sea-001"})
    assert {"file": "pdf/text/sea-001.pdf", "field": "case_no"}.items() <= broken["misses"][0].items()
    assert broken["misses"][0]["value"] is None and broken["misses"][0]["label"]
    table = CliRunner().invoke(app, [*args, "--details"])
    assert "未命中 misses: 0" in table.stdout


def test_unknown_kind_is_an_error(corpus_dir: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "extract", str(corpus_dir), "--kinds", "pdf"])
    assert result.exit_code == 2


def test_eval_extract_reads_the_files_through_the_pipeline(corpus_dir: Path) -> None:
    """The real path: each file read into a throw-away store and scored on what was read from it alone."""
    ids = [
        j["id"]
        for j in map(json.loads, (corpus_dir / "judgments.jsonl").read_text("utf-8").splitlines())
        if j["files"].get("docx")
    ][:1]
    result = CliRunner().invoke(
        app, ["eval", "extract", str(corpus_dir), "--json", "--ids", ids[0], "--kinds", "text_pdf,docx"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["n"] == {"text_pdf": 1, "docx": 1}
    assert data["rejected"] == []
    for kind in ("text_pdf", "docx"):
        assert data["accuracy"][kind]["case_no"] == 1.0
        assert data["accuracy"][kind]["procedure"] == 1.0


@pytest.mark.slow
@pytest.mark.ocr
def test_eval_extract_on_one_scan(corpus_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", "extract", str(corpus_dir), "--json", "--ids", "seafs-001", "--kinds", "scan_pdf"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["n"] == {"scan_pdf": 1}
    assert data["accuracy"]["scan_pdf"]["case_no"] == 1.0


def test_a_reader_crash_counts_as_a_miss_not_an_abort(corpus_dir: Path) -> None:
    def broken(path: Path) -> tuple[None, str]:
        raise RuntimeError("worker died")

    result = evaluate(corpus_dir, broken, kinds=["text_pdf"], ids={"sea-001", "sea-007"})
    assert result["n"] == {"text_pdf": 2}
    assert [r["reason"] for r in result["rejected"]] == ["error", "error"]
