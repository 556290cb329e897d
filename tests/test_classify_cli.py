"""`anjian classify CASE` on a stored judgment, with a reviewer's correction; `anjian train` writes the
model into the models folder and the next classification uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "text" / "sea-013.pdf"  # first instance, inaction declared unlawful


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from cli import context

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    context.settings.cache_clear()
    context.database.cache_clear()
    yield context
    context.database().dispose()
    context.settings.cache_clear()
    context.database.cache_clear()


def run(*args: str):  # type: ignore[no-untyped-def]
    from cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_classify_a_stored_case_and_a_correction_wins(cli_env) -> None:  # type: ignore[no-untyped-def]
    from core.store import add_correction, find_judgment

    if not SAMPLE.exists():
        pytest.skip("sample missing")
    ingested = json.loads(run("ingest", str(SAMPLE), "--json").stdout.splitlines()[0])
    jid = ingested["judgment_id"]
    assert jid is not None

    machine = json.loads(run("classify", str(jid), "--json").stdout)
    assert machine["outcome"] == "agency_lost"
    assert "inaction" in [t["cause"] for t in machine["loss_causes"]]
    assert all(t["evidence"] for t in machine["loss_causes"])

    with cli_env.database().session() as s:
        case_no = find_judgment(s, str(jid)).case_no
        add_correction(s, jid, "loss_causes", ["inaction", "procedure"], user="审核员", reason="复核")
    corrected = json.loads(run("classify", case_no, "--json").stdout)
    assert [t["cause"] for t in corrected["loss_causes"]] == ["inaction", "procedure"]
    assert all(t["source"] == "reviewer" for t in corrected["loss_causes"])

    shown = run("classify", case_no).stdout
    assert "执法不作为" in shown and "败诉" in shown


@pytest.mark.slow
def test_train_writes_the_models_folder(cli_env, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    run("train", "--corpus", str(corpus_dir), "--no-from-pdf")
    path = cli_env.settings().models_dir / "anjian-model.json"
    data = json.loads(path.read_text("utf-8"))
    assert data["n_examples"] >= 100 and data["format_version"] == 2
    assert data["sentence_heads"], "the sentence classifier is trained from the labelled evidence sentences"


def test_training_reads_reviewers_corrections_from_the_store(cli_env) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a stored judgment a reviewer corrected WHEN `anjian train` collects examples
    THEN the example carries the corrected labels, keyed by the case number."""
    from core.store import add_correction, find_judgment
    from pipeline.training import corrected_examples

    if not SAMPLE.exists():
        pytest.skip("sample missing")
    jid = json.loads(run("ingest", str(SAMPLE), "--json").stdout.splitlines()[0])["judgment_id"]
    with cli_env.database().session() as s:
        case_no = find_judgment(s, str(jid)).case_no
        add_correction(s, jid, "field", "urban_management", user="审核员", reason="复核")
        add_correction(s, jid, "loss_causes", ["procedure"], user="审核员")
    examples = corrected_examples(cli_env.database())
    assert list(examples) == [case_no]
    ex = examples[case_no]
    assert ex.field == "urban_management" and ex.loss_causes == ("procedure",) and ex.outcome == "agency_lost"
    assert ex.reasoning  # the court's reasoning text is what the cause model learns from
