"""Upload batches survive a reload: every batch is kept with who, when, each file's job, size, kind and
final state, the upload page lists earlier batches with their summaries, a batch page shows the current
states in words that match the result, and an account that may not see every batch sees only its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_support import AGENCY_A, WebStore, add_user, build_store, signed_in

from api.app import create_app
from api.services.uploads import described, file_outcome
from workers.tasks import WorkerContext, run_ingest_job


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-uploads"), corpus_dir)
    add_user(st, "analyst1", "analyst")
    add_user(st, "analyst2", "analyst")
    add_user(st, "agency_a", "agency", AGENCY_A)
    yield st
    st.db.dispose()


def _client(store: WebStore, user: str) -> TestClient:
    return signed_in(create_app(store.settings, db=store.db), user)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def batch(store: WebStore, corpus_dir: Path) -> dict:
    """GIVEN four files in one upload: a judgment not yet in the store (text PDF), the scan of that same
    judgment under the same name, a judgment already stored (the same bytes again) and an encrypted PDF
    WHEN the workers read all but the scan THEN the batch holds each file's final state."""
    c = _client(store, "analyst1")
    files = [
        ("files", ("sea-006.pdf", (corpus_dir / "pdf/text/sea-006.pdf").read_bytes(), "application/pdf")),
        ("files", ("sea-006.pdf", (corpus_dir / "pdf/scan/sea-006.pdf").read_bytes(), "application/pdf")),
        ("files", ("sea-004.pdf", (corpus_dir / "pdf/text/sea-004.pdf").read_bytes(), "application/pdf")),
        ("files", ("encrypted.pdf", (corpus_dir / "bad/encrypted.pdf").read_bytes(), "application/pdf")),
    ]
    r = c.post("/api/uploads", files=files)
    assert r.status_code == 202, r.text
    batch_id = r.json()["batch_id"]
    data = c.get(f"/api/uploads/{batch_id}").json()
    ctx = WorkerContext(store.settings, store.db)
    for f in data["files"]:
        if f["queue"] != "ocr":  # the scan stays queued: 处理中
            run_ingest_job(ctx, f["job_id"])
    return {"id": batch_id, "files": data["files"]}


def test_batch_is_listed_after_a_reload_with_its_summary(store: WebStore, batch: dict) -> None:
    c = _client(store, "analyst1")  # a new browser session: nothing of the upload is in it
    listed = c.get("/api/uploads").json()
    row = next(b for b in listed["batches"] if str(b["id"]) == str(batch["id"]))
    assert row["user"] == "analyst1" and row["total"] == 4
    assert row["summary"] == {"stored": 1, "duplicate": 1, "rejected": 1, "pending": 1}
    assert row["reasons"] == [{"reason": "文件已加密", "count": 1}]
    page = _text(c.get("/upload").text)
    assert f"第 {batch['id']} 批" in page
    assert "1 已入库 · 1 重复 · 1 未通过 · 1 处理中" in page and "未通过原因：文件已加密 1 个" in page


def test_batch_page_shows_each_file_in_words_that_match_its_result(store: WebStore, batch: dict) -> None:
    c = _client(store, "analyst1")
    html = c.get(f"/upload/{batch['id']}").text
    rows = {m[0]: _text(m[1]) for m in re.findall(r'<tr data-job="(\d+)">(.*?)</tr>', html, flags=re.S)}
    by_name = {}
    for f in batch["files"]:
        by_name.setdefault(f["filename"], []).append(rows[str(f["job_id"])])
    text_row, scan_row = by_name["sea-006.pdf"]
    assert "已入库" in text_row and "文字版 PDF" in text_row and "查看案件" in text_row
    # the scan of the same name is told apart by its kind and size, and is still being read
    assert "扫描件 PDF" in scan_row and "排队中" in scan_row and "已入库" not in scan_row
    assert re.search(r"\d+\.\d MB", scan_row) and re.search(r"\d+\.\d KB", text_row)
    (dup,) = by_name["sea-004.pdf"]
    assert "重复" in dup and "内容完全相同" in dup
    (bad,) = by_name["encrypted.pdf"]
    assert "未通过" in bad and "文件已加密" in bad and "已完成" not in bad
    assert 'class="state-done tone-bad"' in html  # a rejected file is never drawn green
    assert "已关联" in _text(html)  # the legend says what 已关联 means
    assert "仍在处理" in html  # one file is still queued: the page keeps itself current


def test_states_in_words_never_call_a_failure_done() -> None:
    assert file_outcome({"state": "done", "status": "rejected", "reason": "not_judgment"})["word"] == "未通过"
    failed = file_outcome(
        {"state": "failed", "status": "failed", "reason": "timeout", "message": "处理超时，已停止。"}
    )
    assert failed["word"] == "未通过" and failed["tone"] == "bad" and failed["detail"].startswith("处理超时")
    linked = file_outcome({"state": "done", "status": "linked"})
    assert linked["word"] == "已关联" and linked["group"] == "stored"
    b = described({"files": [{"state": "running"}, {"state": "done", "status": "stored"}]})
    assert b["summary"] == {"stored": 1, "duplicate": 0, "rejected": 0, "pending": 1}
    assert b["summary_zh"] == "共 2 个文件：1 个已入库，1 个处理中"


def test_agency_users_see_only_their_own_batches(store: WebStore, batch: dict) -> None:
    agency = _client(store, "agency_a")
    assert agency.get("/api/uploads").json()["batches"] == []
    r = agency.get(f"/api/uploads/{batch['id']}")
    assert r.status_code == 404 and "sea-006" not in r.text
    page = agency.get(f"/upload/{batch['id']}")
    assert page.status_code == 404 and "sea-006" not in page.text
    assert agency.get("/upload").status_code == 403
    # bureau staff share the uploads: another analyst sees the batch with who uploaded it
    other = _client(store, "analyst2")
    assert any(str(b["id"]) == str(batch["id"]) for b in other.get("/api/uploads").json()["batches"])
