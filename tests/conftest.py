"""Shared fixtures: isolated stores on SQLite and PostgreSQL, the real corpus, the shipped samples.

Every test gets its own data directory; PostgreSQL tests get their own schema, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.db import Database
from core.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO / "samples"
PG_BASE_URL = os.environ.get("ANJIAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _corpus_dir() -> Path:
    env = os.environ.get("ANJIAN_CORPUS_DIR")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


CORPUS_DIR = _corpus_dir()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS_DIR / "judgments.jsonl").exists():
        pytest.skip(f"corpus not found at {CORPUS_DIR} (set ANJIAN_CORPUS_DIR)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_labels(corpus_dir: Path) -> dict[str, dict]:
    return {
        r["id"]: r for r in map(json.loads, (corpus_dir / "labels.jsonl").read_text("utf-8").splitlines())
    }


@pytest.fixture(scope="session")
def corpus_judgments(corpus_dir: Path) -> dict[str, dict]:
    return {
        r["id"]: r for r in map(json.loads, (corpus_dir / "judgments.jsonl").read_text("utf-8").splitlines())
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded default in a throw-away data directory."""
    return load_settings(data_dir=tmp_path / "data", database_url=None, es_url=None, broker_url=None)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings)
    yield database
    database.dispose()


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_BASE_URL)
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return True
    except Exception:
        return False


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings pointing at a fresh schema of the PostgreSQL test database (dropped afterwards)."""
    if not _pg_available():
        pytest.fail(f"PostgreSQL is not reachable at {PG_BASE_URL}: start it (see README)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
    yield load_settings(data_dir=tmp_path / "pgdata", database_url=url, es_url=None, broker_url=None)
    with admin.connect() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The same test on the embedded SQLite store and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("settings")
    return request.getfixturevalue("pg_settings")


@pytest.fixture
def any_db(any_settings: Settings) -> Iterator[Database]:
    database = Database(any_settings)
    yield database
    database.dispose()
