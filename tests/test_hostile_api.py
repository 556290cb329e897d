"""Hostile requests against the real application (TestClient over create_app, real SQLite store):
uploads are streamed under a per-request cap with the file count checked while the body arrives, nothing
is parsed in the request, page images are clamped in size — and the server keeps serving others.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import hostile_files as hf
import pikepdf
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from test_web_support import WebStore, add_user, build_store, login

from api.app import create_app
from core.models import Batch, Job
from pipeline.process import Pipeline


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-hostile"), corpus_dir, max_upload_mb=2)
    add_user(st, "analyst1", "analyst")
    yield st
    st.db.dispose()


@pytest.fixture(scope="module")
def app(store: WebStore):  # type: ignore[no-untyped-def]
    return create_app(store.settings, db=store.db)


@pytest.fixture
def client(app) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    return c, login(c, "analyst1")


def _counts(store: WebStore) -> tuple[int, int, int]:
    originals = store.settings.originals_dir
    files = sum(1 for p in originals.rglob("*") if p.is_file()) if originals.exists() else 0
    with store.db.session() as s:
        return s.query(Batch).count(), s.query(Job).count(), files


def test_upload_over_the_request_cap_is_refused_in_chinese_and_nothing_is_kept(
    client: tuple[TestClient, str], store: WebStore
) -> None:
    """GIVEN a 2 MB cap per request WHEN 3 MB arrive THEN 413 with a Chinese message, no batch, no file kept."""
    c, csrf = client
    before = _counts(store)
    big = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
    r = c.post(
        "/api/uploads", files=[("files", ("big.pdf", big, "application/pdf"))], headers={"X-CSRF-Token": csrf}
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "upload_too_large" and "2 MB" in r.json()["error"]["message"]
    assert _counts(store) == before
    assert c.get("/healthz").json() == {"status": "ok"}


def test_too_many_files_are_refused_before_they_are_stored(
    client: tuple[TestClient, str], store: WebStore
) -> None:
    c, csrf = client
    before = _counts(store)
    files = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(201)]
    r = c.post("/api/uploads", files=files, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400
    assert r.json()["error"] == {"code": "too_many_files", "message": "一次最多上传 200 个文件"}
    assert _counts(store) == before


def test_a_pdf_built_to_explode_is_stored_and_queued_not_parsed(
    client: tuple[TestClient, str], store: WebStore
) -> None:
    """GIVEN a 1 MB PDF whose content stream inflates to 1 GB WHEN uploaded THEN 202 at once, the file is
    kept and queued (routing gave up in its sandbox: default queue), and the next request is served."""
    c, csrf = client
    bomb = hf.pdf_stream_bomb(1024)
    assert len(bomb) < 2 * 1024 * 1024
    r = c.post(
        "/api/uploads",
        files=[
            ("files", ("炸弹.pdf", bomb, "application/pdf")),
            ("files", ("判决.docx", hf.docx_bytes(), "x")),
        ],
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 202, r.text
    status = c.get(f"/api/uploads/{r.json()['batch_id']}").json()
    assert [f["filename"] for f in status["files"]] == ["炸弹.pdf", "判决.docx"]
    assert all(f["state"] == "queued" and f["queue"] == "default" for f in status["files"])
    assert c.get("/healthz").json() == {"status": "ok"}


def test_a_page_as_large_as_the_pdf_spec_allows_is_shown_clamped(
    client: tuple[TestClient, str], store: WebStore, corpus_dir: Path, tmp_path: Path
) -> None:
    """GIVEN a real judgment whose first page is 14400 × 14400 pt WHEN its page image is asked for THEN a PNG
    whose long side is ANJIAN_MAX_PAGE_PIXELS (2000), not a 23040² bitmap; asked again, the same bytes."""
    c, _ = client
    path = tmp_path / "huge.pdf"
    with pikepdf.open(corpus_dir / "pdf" / "text" / "sea-022.pdf") as pdf:
        pdf.pages[0].MediaBox = [0, 0, 14400, 14400]
        pdf.save(path)
    result = Pipeline(store.db, store.settings, classify=False, index=False).ingest_path(path)
    assert result.document_id is not None, result.message
    r = c.get(f"/api/documents/{result.document_id}/pages/1.png")
    assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
    assert max(Image.open(io.BytesIO(r.content)).size) == 2000
    assert c.get(f"/api/documents/{result.document_id}/pages/1.png").content == r.content
    missing = c.get(f"/api/documents/{result.document_id}/pages/99.png")
    assert missing.status_code == 404 and "共" in missing.json()["error"]["message"]


def test_a_web_page_stored_under_a_pdf_name_has_a_case_page(
    client: tuple[TestClient, str], store: WebStore, corpus_dir: Path
) -> None:
    """The shipped bad/html_renamed.pdf is stored as HTML; its case page answers (it used to be 500)."""
    c, _ = client
    result = Pipeline(store.db, store.settings, classify=False, index=False).ingest_path(
        corpus_dir / "bad" / "html_renamed.pdf"
    )
    assert result.judgment_id is not None, result.message
    page = c.get(f"/cases/{result.judgment_id}", headers={"accept": "text/html"})
    assert page.status_code == 200


def test_exports_hold_party_names_as_text_never_formulas_or_control_characters(
    client: tuple[TestClient, str], store: WebStore
) -> None:
    """GIVEN a judgment whose plaintiff reads =HYPERLINK(… and whose text has a stray control character
    WHEN the search results are exported THEN XLSX answers (not 500) with the name as a text cell, and the
    CSV cell is neutralised with an apostrophe."""
    import csv

    from openpyxl import load_workbook

    c, _ = client
    pad = "原告诉称，被告作出的不予认定工伤决定认定事实不清，请求撤销。\n" * 20
    text = (
        hf.JUDGMENT.replace("（2024）冀0101行初12号", "（2024）冀0101行初99号")
        .replace("原告张三，", '原告=HYPERLINK("http://evil")张\x01三，', 1)
        .replace("被告辩称", pad + "被告辩称")
    )
    result = Pipeline(store.db, store.settings, classify=False).ingest_bytes(text.encode(), "formula.txt")
    assert result.judgment_id is not None, result.message
    q = '案号:"（2024）冀0101行初99号"'
    xlsx = c.get("/api/search/export", params={"q": q, "format": "xlsx"})
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell for row in ws.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    risky = [cell for cell in cells if cell.value.startswith("=")]
    assert risky and all(cell.data_type == "s" for cell in risky)
    assert not any("\x01" in cell.value for cell in cells)
    raw = c.get("/api/search/export", params={"q": q, "format": "csv"}).content.decode("utf-8-sig")
    values = [v for row in csv.reader(io.StringIO(raw)) for v in row]
    assert any(v.startswith("'=HYPERLINK") for v in values)
    assert not any(v.startswith("=") for v in values)


def test_ids_beyond_64_bits_and_deeply_nested_queries_are_answered_not_500(
    client: tuple[TestClient, str],
) -> None:
    c, _ = client
    huge = 2**63 + 5
    for path in (
        f"/api/cases/{huge}",
        f"/api/documents/{huge}/original",
        f"/api/documents/{huge}/pages/1.png",
    ):
        r = c.get(path)
        assert r.status_code == 404, (path, r.text)
        assert r.json()["error"]["code"] == "not_found"
    r = c.get("/api/search", params={"q": "(" * 250 + "行政" + ")" * 250})
    assert r.status_code == 400 and "嵌套" in r.json()["error"]["message"]


def test_a_missing_data_folder_named_by_the_database_url_is_created(tmp_path: Path) -> None:
    from core.db import Database
    from core.settings import load_settings

    target = tmp_path / "not-yet" / "deeper" / "store.db"
    settings = load_settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{target}", es_url=None)
    Database(settings).dispose()
    assert target.exists()
