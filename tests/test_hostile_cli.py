"""`anjian ingest FOLDER` over a hostile folder: every entry exactly one status line with a reason, links
not followed unless asked, the batch finishes with exit 0; a full disk ends it with one Chinese message,
every remaining file reported and no temp file left behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import hostile_files as hf
import pytest
from typer.testing import CliRunner


def _run(data_dir: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]):  # type: ignore[no-untyped-def]
    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(data_dir))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        return CliRunner().invoke(app, args)
    finally:
        context.database().dispose()
        context.settings.cache_clear()
        context.database.cache_clear()


def _lines(output: str) -> dict[str, dict]:
    rows = [json.loads(ln) for ln in output.splitlines() if ln.startswith("{")]
    return {Path(r["path"]).name: r for r in rows}


def _hostile_folder(root: Path) -> Path:
    folder = root / "in"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "empty").mkdir()
    (folder / "判决.txt").write_text(hf.JUDGMENT, "utf-8")
    (folder / "sub" / "无后缀").write_bytes(hf.docx_bytes(hf.JUDGMENT.replace("行初12号", "行初13号")))
    (folder / "sub" / "deeper" / "old.doc").write_bytes(hf.old_doc())
    (folder / "sub" / "bomb.docx").write_bytes(hf.docx_bomb(100))
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    os.symlink("/etc/passwd", folder / "passwd")
    os.symlink("/dev/zero", folder / "zero")
    os.symlink(folder / "missing", folder / "dangling")
    os.symlink(folder / "loop_b", folder / "loop_a")
    os.symlink(folder / "loop_a", folder / "loop_b")
    os.symlink(folder / "sub", folder / "dirlink")
    os.mkfifo(folder / "pipe")
    return folder


def test_every_entry_gets_one_line_and_links_are_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _hostile_folder(tmp_path)
    result = _run(tmp_path / "data", monkeypatch, ["ingest", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    expected = {
        "判决.txt": ("stored", None),
        "无后缀": ("stored", None),  # content decides the type, not the suffix
        "old.doc": ("rejected", "unsupported"),
        "bomb.docx": ("rejected", "bomb"),
        "photo.jpg": ("rejected", "unsupported"),
        "passwd": ("skipped", "symlink"),
        "zero": ("skipped", "symlink"),
        "dangling": ("skipped", "symlink"),
        "loop_a": ("skipped", "symlink"),
        "loop_b": ("skipped", "symlink"),
        "dirlink": ("skipped", "symlink"),
        "pipe": ("skipped", "special_file"),
        "empty": ("skipped", "empty_folder"),
    }
    assert {k: (v["status"], v["reason"]) for k, v in lines.items()} == expected
    assert all(v["message"] for k, v in lines.items() if v["status"] != "stored")
    assert len(result.stdout.splitlines()) == len(expected)  # folders with contents get no line
    originals = tmp_path / "data" / "originals"
    assert not any("root:" in p.read_text("latin-1") for p in originals.rglob("*") if p.is_file())


def test_follow_symlinks_reads_link_targets_but_never_devices_or_loops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _hostile_folder(tmp_path)
    result = _run(tmp_path / "data", monkeypatch, ["ingest", str(folder), "--json", "--follow-symlinks"])
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert lines["passwd"]["status"] == "rejected"  # read as what it is: not a judgment
    assert lines["zero"]["status"] == "skipped" and lines["zero"]["reason"] == "special_file"
    assert lines["loop_a"]["status"] == "skipped" and "循环" in lines["loop_a"]["message"]
    assert lines["dangling"]["status"] == "skipped" and "不存在" in lines["dangling"]["message"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB file system (tmpfs) for the data directory; skipped where mounting is not allowed."""
    mnt = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode()[:80]}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_ends_the_batch_with_one_message_and_every_file_reported(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """GIVEN a data directory on a nearly full disk WHEN a batch needs more space than is left THEN the files
    before are stored, the file that hit the limit and every later file are reported disk_full, the command
    says so in Chinese and exits non-zero, and no temp file stays behind."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(hf.JUDGMENT, "utf-8")
    (folder / "b.pdf").write_bytes(os.urandom(8 * 1024 * 1024))
    (folder / "c.txt").write_text(hf.JUDGMENT.replace("行初12号", "行初14号"), "utf-8")
    result = _run(small_disk / "data", monkeypatch, ["ingest", str(folder), "--json", "--jobs", jobs])
    assert result.exit_code == 2
    lines = _lines(result.stdout)
    # files are received ahead of storing (read in parallel); a.txt, received before the disk filled, is
    # still stored before the batch ends
    assert lines["a.txt"]["status"] == "stored"
    assert (lines["b.pdf"]["reason"], lines["c.txt"]["reason"]) == ("disk_full", "disk_full")
    assert "磁盘空间已满" in result.output and "Traceback" not in result.output
    assert not list((small_disk / "data").rglob(".tmp-*"))


def test_an_upload_to_a_full_disk_is_refused_in_chinese_and_leaves_nothing(small_disk: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.services.accounts import create_token, create_user
    from core.settings import load_settings

    settings = load_settings(data_dir=small_disk / "data", database_url=None, es_url=None, broker_url=None)
    app = create_app(settings)
    with app.state.db.session() as s:
        create_user(s, "zhang", "correct horse battery", "analyst")
        token = create_token(s, "zhang", "t")
    c = TestClient(app, raise_server_exceptions=False)
    r = c.post(
        "/api/uploads",
        files=[("files", ("big.pdf", os.urandom(8 * 1024 * 1024), "application/pdf"))],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 507 and "磁盘空间已满" in r.json()["error"]["message"]
    assert not list((small_disk / "data").rglob(".tmp-*"))
    assert c.get("/healthz").json() == {"status": "ok"}
    app.state.db.dispose()
