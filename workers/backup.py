"""``anjian backup`` / ``anjian restore`` for the embedded store: one tar archive with a manifest.

The SQLite database is copied with SQLite's online backup API (a consistent snapshot, safe while the
service writes); originals (content-addressed, write-once), the search index and the models are copied
as files. The manifest lists every file with its size and SHA-256; restore verifies them all before it
touches the target. PostgreSQL stores are backed up with ``pg_dump`` (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from core.settings import Settings

FORMAT = "anjian-backup"
FORMAT_VERSION = 1
DB_NAME = "anjian.db"
DIRS = ("originals", "index", "models")


class BackupError(Exception):
    """The backup or restore could not be done; the message says why (in Chinese, for the operator)."""


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sqlite_path(settings: Settings) -> Path:
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///"):
        raise BackupError(
            "当前使用 PostgreSQL：请用 pg_dump 备份数据库（见 docs/operations.md），"
            "anjian backup 只备份内置 SQLite 存储。"
        )
    return Path(url.removeprefix("sqlite:///"))


def _snapshot_db(src: Path, dst: Path) -> tuple[dict[str, int], list[str]]:
    """A consistent copy while others may write (sqlite3 online backup), and a few counts for the manifest."""
    if not src.exists():
        raise BackupError(f"找不到数据库 {src}")
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dst)
    try:
        source.backup(target, pages=1024, sleep=0.01)
    finally:
        source.close()
    try:
        counts = {}
        for table in ("judgments", "documents", "corrections"):
            try:
                counts[table] = int(target.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            except sqlite3.OperationalError:
                counts[table] = 0
        try:
            heads = [r[0] for r in target.execute("SELECT version_num FROM alembic_version")]
        except sqlite3.OperationalError:
            heads = []
        return counts, heads
    finally:
        target.close()


def _data_files(data_dir: Path) -> list[Path]:
    files: list[Path] = []
    for name in DIRS:
        root = data_dir / name
        if root.is_dir():
            files.extend(p for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".tmp-"))
    return files


def create_backup(settings: Settings, dest: Path) -> dict[str, Any]:
    """Write ``dest`` (.tar, or .tar.gz / .tgz compressed) with the database snapshot, files and manifest."""
    db_path = _sqlite_path(settings)
    data_dir = settings.data_dir
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="anjian-backup-") as tmp:
        snap = Path(tmp) / DB_NAME
        counts, heads = _snapshot_db(db_path, snap)
        entries: list[dict[str, Any]] = [
            {"path": DB_NAME, "size": snap.stat().st_size, "sha256": _sha256_file(snap)}
        ]
        partial = dest.with_name(dest.name + ".partial")
        compress = dest.name.endswith((".gz", ".tgz"))
        with tarfile.open(partial, "w:gz") if compress else tarfile.open(partial, "w") as tar:
            tar.add(snap, arcname=DB_NAME)
            for f in _data_files(data_dir):
                rel = f.relative_to(data_dir).as_posix()
                try:
                    digest, size = _sha256_file(f), f.stat().st_size
                    tar.add(f, arcname=rel)
                except FileNotFoundError:  # the index replaced a segment meanwhile; reindex repairs it
                    continue
                entries.append({"path": rel, "size": size, "sha256": digest})
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "source_data_dir": str(data_dir.resolve()),
                "schema_heads": heads,
                "counts": {**counts, "files": len(entries)},
                "bytes": sum(int(e["size"]) for e in entries),
                "files": entries,
            }
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("MANIFEST.json")
            info.size = len(raw)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(raw))
        partial.replace(dest)
    return manifest


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive) as tar:
            member = tar.extractfile("MANIFEST.json")
            if member is None:
                raise KeyError("MANIFEST.json")
            manifest = json.loads(member.read().decode("utf-8"))
    except (EOFError, zlib.error) as exc:
        raise BackupError(_TRUNCATED.format(archive=archive)) from exc
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        if isinstance(exc, (tarfile.ReadError, KeyError)) and archive.stat().st_size > 0:
            raise BackupError(_TRUNCATED.format(archive=archive)) from exc  # cut before its manifest
        raise BackupError(f"{archive} 不是有效的 anjian 备份：{exc}") from exc
    if manifest.get("format") != FORMAT or int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError(
            f"{archive} 的备份格式不受支持：{manifest.get('format')} v{manifest.get('format_version')}"
        )
    return manifest


_TRUNCATED = (
    "备份文件 {archive} 不完整或已损坏（可能在复制或下载中被截断），未做任何恢复；请换一份完整的备份。"
)


def database_target(settings: Settings) -> Path:
    """Where a restore writes the database: the SQLite file ``ANJIAN_DATABASE_URL`` names (or the default
    one in the data directory). PostgreSQL: a BackupError that says how (pg_restore)."""
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///"):
        raise BackupError(
            "当前使用 PostgreSQL：anjian restore 只恢复内置 SQLite 存储。请用 pg_restore 恢复数据库"
            "（pg_restore -d 数据库URL 备份.dump，见 docs/operations.md），原件目录按普通文件恢复。"
        )
    return Path(url.removeprefix("sqlite:///"))


def restore_backup(
    archive: Path, data_dir: Path, *, force: bool = False, db_path: Path | None = None
) -> dict[str, Any]:
    """Unpack into ``data_dir`` after verifying every file; an existing store is moved aside, never mixed.
    ``db_path``: where the database goes when it is not ``data_dir/anjian.db`` (ANJIAN_DATABASE_URL)."""
    archive, data_dir = Path(archive), Path(data_dir)
    manifest = read_manifest(archive)
    db_path = Path(db_path) if db_path is not None else data_dir / DB_NAME
    outside = db_path.resolve() != (data_dir / DB_NAME).resolve()
    occupied = data_dir.exists() and any(data_dir.iterdir())
    if outside and db_path.exists() and db_path.stat().st_size > 0 and not force:
        raise BackupError(
            f"数据库文件 {db_path} 已存在；确认覆盖请加 --force（原文件会改名为 {db_path.name}.old-…）"
        )
    if occupied and not force:
        raise BackupError(
            f"目标目录 {data_dir} 不是空的；确认覆盖请加 --force（原数据会移到 {data_dir}.old-…）"
        )
    staging = Path(
        tempfile.mkdtemp(prefix=".restore-", dir=data_dir.parent if data_dir.parent.exists() else None)
    )
    try:
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(staging, filter="data")  # refuses absolute paths, .. and device files
        except (EOFError, zlib.error, tarfile.ReadError) as exc:
            raise BackupError(_TRUNCATED.format(archive=archive)) from exc
        (staging / "MANIFEST.json").unlink(missing_ok=True)
        for entry in manifest["files"]:
            path = staging / entry["path"]
            if (
                not path.is_file()
                or path.stat().st_size != entry["size"]
                or _sha256_file(path) != entry["sha256"]
            ):
                raise BackupError(f"备份文件损坏：{entry['path']} 与清单不符，未做任何恢复。")
        if occupied:
            aside = data_dir.with_name(f"{data_dir.name}.old-{dt.datetime.now():%Y%m%d%H%M%S}")
            data_dir.rename(aside)
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(data_dir)
        if outside:  # the configured database file, wherever it lives
            db_path.parent.mkdir(parents=True, exist_ok=True)
            if db_path.exists():
                db_path.rename(db_path.with_name(f"{db_path.name}.old-{dt.datetime.now():%Y%m%d%H%M%S}"))
            for suffix in ("-wal", "-shm"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
            shutil.move(str(data_dir / DB_NAME), str(db_path))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest
