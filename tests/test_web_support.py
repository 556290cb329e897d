"""Shared helpers of the web tests (no tests here): a small store of real corpus judgments, ingested from
their text PDFs through pipeline.process, with the corpus labels applied as the machine's classification so
that outcomes, loss causes and evidence offsets are known; accounts; a signed-in TestClient.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from core.db import Database
from core.models import Judgment
from core.settings import Settings, load_settings
from core.store import refresh_judgment
from pipeline.process import Pipeline

# Two cases of 承德市人社局 (a loss and a withdrawal; in the withdrawal 隆化县财政局 is a third party), cases of
# three other agencies, and an enforcement review applied for by 枣庄市市中区自然资源局 (an applicant only).
CORPUS_IDS = ["sea-004", "sea-050", "sea-013", "sea-022", "sea-001", "simu-112", "seafs-023"]
AGENCY_A = "承德市人力资源和社会保障局"
AGENCY_B = "永兴县公安消防大队"
AGENCY_APPLICANT = "枣庄市市中区自然资源局"
AGENCY_THIRD_PARTY = "隆化县财政局"
PASSWORD = "correct horse battery"


@dataclass
class WebStore:
    settings: Settings
    db: Database
    ids: dict[str, int] = field(default_factory=dict)  # corpus id -> judgment id
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    agency_ids: dict[str, int] = field(default_factory=dict)  # agency name -> registry id


def classification_from_label(label: dict[str, Any], text: str) -> dict[str, Any]:
    causes = []
    for code in label["loss_causes"]:
        quote = label["cause_evidence"].get(code) or ""
        start = text.find(quote) if quote else -1
        evidence = [{"text": quote, "start": start, "end": start + len(quote)}] if start >= 0 else []
        causes.append(
            {
                "cause": code,
                "evidence": evidence,
                "strength": 1.0,
                "probability": None,
                "source": "rule",
                "rules": [],
            }
        )
    return {
        "outcome": label["outcome"],
        "ruling_forms": label["ruling_forms"],
        "loss_causes": causes,
        "action_type": label["action_type"],
        "field": label["field"],
    }


_TEMPLATE: dict[str, Any] = {}


def build_store(data_dir: Path, corpus_dir: Path, **overrides: Any) -> WebStore:
    """A store in data_dir: the first call of the test run ingests the judgments into a template directory,
    later calls copy it (every test module still gets its own database, originals and index)."""
    labels = {
        r["id"]: r for r in map(json.loads, (corpus_dir / "labels.jsonl").read_text("utf-8").splitlines())
    }
    if "dir" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="anjian-web-template-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        template = root / "data"
        built = _ingest(template, corpus_dir, labels)
        built.db.dispose()
        _TEMPLATE.update({"dir": template, "ids": built.ids, "agency_ids": built.agency_ids})
    shutil.copytree(_TEMPLATE["dir"], data_dir, dirs_exist_ok=True)
    settings = load_settings(data_dir=data_dir, database_url=None, es_url=None, broker_url=None, **overrides)
    return WebStore(
        settings,
        Database(settings),
        ids=dict(_TEMPLATE["ids"]),
        labels=labels,
        agency_ids=dict(_TEMPLATE["agency_ids"]),
    )


def _ingest(data_dir: Path, corpus_dir: Path, labels: dict[str, dict[str, Any]]) -> WebStore:
    settings = load_settings(data_dir=data_dir, database_url=None, es_url=None, broker_url=None)
    db = Database(settings)
    store = WebStore(settings, db, labels=labels)
    pipeline = Pipeline(db, settings, classify=False, index=False)
    for cid in CORPUS_IDS:
        result = pipeline.ingest_path(corpus_dir / "pdf" / "text" / f"{cid}.pdf")
        assert result.judgment_id is not None, result.message
        store.ids[cid] = result.judgment_id
    with db.session() as s:
        for cid, jid in store.ids.items():
            j = s.get(Judgment, jid)
            assert j is not None
            j.classification = classification_from_label(labels[cid], j.record["text"])
            refresh_judgment(j)
    pipeline.index_judgments(list(store.ids.values()))
    from registry import agencies

    with db.session() as s:
        for name in (AGENCY_A, AGENCY_B, AGENCY_APPLICANT, AGENCY_THIRD_PARTY):
            store.agency_ids[name] = agencies.add_agency(s, name).id
    return store


def add_user(store: WebStore, username: str, role: str, agency: str | None = None) -> None:
    from api.services.accounts import create_user

    agency_id = str(store.agency_ids[agency]) if agency else None
    with store.db.session() as s:
        create_user(s, username, PASSWORD, role, agency_id)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token for later unsafe requests."""
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/search"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/search").text)


def signed_in(app: Any, username: str) -> TestClient:
    """A client of ``app`` signed in as ``username``, sending its CSRF token with every request."""
    c = TestClient(app)
    c.headers["X-CSRF-Token"] = login(c, username)
    return c


# -- a live server and a real browser (tests/test_browser.py, tests/test_a11y.py) ----------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving create_app(...) in a thread, with the embedded background worker."""

    def __init__(self, store: WebStore, *, background_worker: bool = True):
        import threading

        import uvicorn

        from api.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(store.settings, db=store.db, background_worker=background_worker)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time
        import urllib.request

        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not answer /healthz")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def launch_chromium(playwright: Any) -> Any:
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
