"""`anjian suits …` for bureau staff: register (with the due date), a co-defendant, a refused court, a loss
ingested by `anjian ingest` attaching to its suit, the 5-day report; `anjian followup` says what replaced it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "text" / "sea-013.pdf"  # （2018）湘1081行初99号, 永兴县公安消防大队 lost


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from cli import context

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANJIAN_SUPERVISION_START", "2018-01-01")
    context.settings.cache_clear()
    context.database.cache_clear()
    yield context
    context.database().dispose()
    context.settings.cache_clear()
    context.database.cache_clear()


def run(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    from cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def test_register_ingest_and_report_from_the_command_line(cli_env) -> None:  # type: ignore[no-untyped-def]
    from registry.agencies import add_agency

    with cli_env.database().session() as s:
        mine = add_agency(s, "永兴县公安消防大队").id
        other = add_agency(s, "永兴县人民政府").id
    base = ["--plaintiff", "黄涓", "--sued-action", "消防处罚", "--case-no", "(2018)湘1081行初99号"]
    r = run(
        "suits",
        "register",
        "--papers-received",
        "2018-03-01",
        "--reported-on",
        "2018-03-05",
        "--court",
        "湖南省资兴市人民法院",
        "--agency",
        str(mine),
        *base,
    )
    assert "应于 2018-03-06 前报备" in r.output and "按期" in r.output
    r = run(
        "suits",
        "register",
        "--papers-received",
        "2018-03-01",
        "--court",
        "湖南省郴州市中级人民法院",
        "--agency",
        str(other),
        *base,
        code=1,
    )
    assert "不一致" in r.output and "Traceback" not in r.output
    run("ingest", str(SAMPLE))
    [suit] = json.loads(run("suits", "list", "--json").output)
    assert suit["outcome"] == "agency_lost" and len(suit["judgments"]) == 1
    assert [o["what"] for o in suit["obligations"]] == ["register", "loss_report"]
    r = run(
        "suits",
        "report",
        str(suit["id"]),
        "--cause",
        "违反法定程序",
        "--analysis",
        "未听取陈述申辩",
        "--measure",
        "修订办案流程|法制员|2027-03-31",
    )
    assert "已报送" in r.output
    [suit] = json.loads(run("suits", "list", "--json").output)
    assert suit["agencies"][0]["measures"][0]["owner"] == "法制员"
    r = run("followup", "set", "（2024）甲0101行初5号", "--agency", "1", code=1)
    assert "anjian suits register" in " ".join(r.output.split())
