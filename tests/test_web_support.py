"""Shared helpers of the web tests (no tests here): a small store of real corpus judgments, ingested from
their text PDFs through core.pipeline, with the corpus labels applied as the machine's classification so
that outcomes, loss causes and evidence offsets are known; accounts; a signed-in TestClient.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from core.db import Database
from core.models import Judgment
from core.pipeline import Pipeline
from core.settings import Settings, load_settings
from core.store import refresh_judgment

# Two cases of 承德市人社局 (a loss and a withdrawal), and cases of three other agencies.
CORPUS_IDS = ["sea-004", "sea-050", "sea-013", "sea-022", "sea-001", "simu-112"]
AGENCY_A = "承德市人力资源和社会保障局"
AGENCY_B = "永兴县公安消防大队"
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
        causes.append({"cause": code, "evidence": evidence, "strength": 1.0, "probability": None, "source": "rule", "rules": []})
    return {"outcome": label["outcome"], "ruling_forms": label["ruling_forms"], "loss_causes": causes,
            "action_type": label["action_type"], "field": label["field"]}


def build_store(data_dir: Path, corpus_dir: Path, **overrides: Any) -> WebStore:
    settings = load_settings(data_dir=data_dir, database_url=None, es_url=None, broker_url=None, **overrides)
    db = Database(settings)
    labels = {r["id"]: r for r in map(json.loads, (corpus_dir / "labels.jsonl").read_text("utf-8").splitlines())}
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
    from reports import agencies

    with db.session() as s:
        for name in (AGENCY_A, AGENCY_B):
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
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/search"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/search").text)
