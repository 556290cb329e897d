"""`anjian backup` / `anjian restore`: a restored store serves the same judgments, and a backup taken while
the service writes is consistent."""

from __future__ import annotations

import io
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.models import Batch, Document, Judgment
from core.settings import Settings, load_settings
from core.store import add_correction, iter_judgments, judgment_as_json
from pipeline.process import Pipeline
from workers.backup import BackupError, create_backup, read_manifest, restore_backup


def _judgments(db: Database) -> dict[int, dict]:
    with db.session() as s:
        return {j.id: judgment_as_json(j) for j in iter_judgments(s)}


@pytest.fixture
def filled(db: Database, settings: Settings, corpus_dir: Path) -> Database:
    pipeline = Pipeline(db, settings, index=False, classify=False)  # backup does not care about tags
    for p in sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))[:3]:
        assert pipeline.ingest_path(p).status.value == "stored"
    pipeline.ingest_path(corpus_dir / "bad" / "truncated.pdf")
    with db.session() as s:
        first = s.scalars(select(Judgment).order_by(Judgment.id)).first()
        assert first is not None
        add_correction(s, first.id, "outcome", "agency_lost", user="审核员", reason="测试更正")
    (settings.models_dir).mkdir(parents=True, exist_ok=True)
    (settings.models_dir / "note.json").write_text('{"trained": "here"}', "utf-8")
    return db


def test_restored_store_serves_the_same_judgments(
    filled: Database, settings: Settings, tmp_path: Path
) -> None:
    """GIVEN a store with 3 judgments, a rejected file, a reviewer's correction and a model file WHEN it is
    backed up while the service keeps writing, and restored elsewhere THEN the restored store shows the
    same judgments with the correction, every original, and the model."""
    stop = threading.Event()

    def keep_writing() -> None:  # the running service: new batches while the backup runs
        while not stop.is_set():
            with filled.session() as s:
                s.add(Batch(user="writer"))

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        manifest = create_backup(settings, tmp_path / "backup.tar.gz")
    finally:
        stop.set()
        writer.join()
    assert manifest["counts"]["judgments"] == 3 and manifest["counts"]["documents"] == 4
    assert read_manifest(tmp_path / "backup.tar.gz")["files"] == manifest["files"]

    target = tmp_path / "restored"
    restore_backup(tmp_path / "backup.tar.gz", target)
    restored_settings = load_settings(data_dir=target, database_url=None, es_url=None, broker_url=None)
    restored = Database(restored_settings)
    try:
        assert _judgments(restored) == _judgments(filled)
        assert any(j["outcome"] == "agency_lost" for j in _judgments(restored).values())
        with restored.session() as s:
            paths = s.scalars(select(Document.stored_path)).all()
            assert len(paths) == 4
            assert s.scalar(select(func.count()).select_from(Batch)) >= 0
        for rel in paths:
            assert (restored_settings.originals_dir / rel).read_bytes() == (
                settings.originals_dir / rel
            ).read_bytes()
        assert (restored_settings.models_dir / "note.json").read_text("utf-8") == '{"trained": "here"}'
    finally:
        restored.dispose()


def test_restore_refuses_a_damaged_backup_and_a_non_empty_target(
    filled: Database, settings: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar"
    create_backup(settings, archive)
    # tamper with one original inside the archive
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None  # type: ignore[union-attr]
            if data is not None and m.name.startswith("originals/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    with pytest.raises(BackupError, match="损坏"):
        restore_backup(tampered, tmp_path / "t1")
    assert not (tmp_path / "t1").exists()

    with pytest.raises(BackupError, match="不是空的"):
        restore_backup(archive, settings.data_dir)
    restore_backup(archive, settings.data_dir, force=True)  # the old store is moved aside, not mixed
    assert list(tmp_path.glob("data.old-*"))


def test_postgres_store_is_told_to_use_pg_dump(pg_settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        create_backup(pg_settings, tmp_path / "x.tar")


def test_backup_and_restore_commands(
    filled: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    try:
        runner = CliRunner()
        done = runner.invoke(app, ["backup", str(tmp_path / "cli.tar")])
        assert done.exit_code == 0, done.output
        assert "：3份裁判文书" in "".join(done.output.split())
        done = runner.invoke(app, ["restore", str(tmp_path / "cli.tar"), "--data-dir", str(tmp_path / "r")])
        assert done.exit_code == 0, done.output
        assert (tmp_path / "r" / "anjian.db").exists()
        again = runner.invoke(app, ["restore", str(tmp_path / "cli.tar"), "--data-dir", str(tmp_path / "r")])
        assert again.exit_code == 1 and "--force" in again.output
    finally:
        context.settings.cache_clear()


def _cli_with(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, args: list[str]):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cli import context
    from cli.main import app

    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        return CliRunner().invoke(app, args)
    finally:
        context.settings.cache_clear()
        context.database.cache_clear()


def test_restore_writes_where_the_database_url_points(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a store whose ANJIAN_DATABASE_URL names another SQLite file (not data_dir/anjian.db) WHEN it is
    backed up and restored with the same settings THEN the configured file holds the judgments again."""
    db_file = tmp_path / "elsewhere" / "store.sqlite"
    db_file.parent.mkdir()
    src = load_settings(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{db_file}", es_url=None, broker_url=None
    )
    db = Database(src)
    pipeline = Pipeline(db, src, index=False, classify=False)
    for p in sorted((corpus_dir / "pdf" / "text").glob("*.pdf"))[:2]:
        assert pipeline.ingest_path(p).status.value == "stored"
    before = _judgments(db)
    db.dispose()
    env = {"ANJIAN_DATA_DIR": str(src.data_dir), "ANJIAN_DATABASE_URL": f"sqlite:///{db_file}"}
    done = _cli_with(env, monkeypatch, ["backup", str(tmp_path / "b.tar")])
    assert done.exit_code == 0, done.output
    db_file.unlink()  # the disaster
    for name in ("store.sqlite-wal", "store.sqlite-shm"):
        (db_file.parent / name).unlink(missing_ok=True)
    done = _cli_with(env, monkeypatch, ["restore", str(tmp_path / "b.tar"), "--force"])
    assert done.exit_code == 0, done.output
    assert "2份裁判文书" in "".join(done.output.split())
    restored = Database(src)
    assert _judgments(restored) == before
    restored.dispose()


def test_a_truncated_backup_is_named_as_such(filled: Database, settings: Settings, tmp_path: Path) -> None:
    create_backup(settings, tmp_path / "b.tar.gz")
    data = (tmp_path / "b.tar.gz").read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="不完整或已损坏"):
        restore_backup(tmp_path / "cut.tar.gz", tmp_path / "r")
    create_backup(settings, tmp_path / "b.tar")
    data = (tmp_path / "b.tar").read_bytes()
    (tmp_path / "cut.tar").write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="不完整或已损坏"):
        restore_backup(tmp_path / "cut.tar", tmp_path / "r")
    assert not (tmp_path / "r").exists()


def test_restore_on_postgres_says_how(pg_settings: Settings, tmp_path: Path) -> None:
    from workers.backup import database_target

    with pytest.raises(BackupError, match="pg_restore"):
        database_target(pg_settings)
