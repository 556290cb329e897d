"""The register through the JSON API: an agency user registers a suit and sees its due date, the bureau sees
it, another agency does not; the losing judgment (a real PDF) is uploaded into the suit's slot, opening the
5-day report; the report with measures and an attachment is filed; bad input gets Chinese messages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_web_support import PASSWORD, login

from api.app import create_app
from api.services.accounts import create_user
from core.settings import Settings
from registry.agencies import add_agency

REPO = Path(__file__).resolve().parent.parent
LOSS_PDF = REPO / "samples" / "text" / "sea-013.pdf"  # （2018）湘1081行初99号, 永兴县公安消防大队 lost
OTHER_PDF = REPO / "samples" / "text" / "sea-001.pdf"  # another court's case
NOT_JUDGMENT = REPO / "samples" / "bad" / "not_a_judgment.pdf"
AGENCY = "永兴县公安消防大队"


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _app(settings: Settings) -> tuple[Any, int, int]:
    app = create_app(settings.model_copy(update={"admin_password": PASSWORD, "attachment_max_mb": 1}))
    with app.state.db.session() as s:
        mine = add_agency(s, AGENCY).id
        other = add_agency(s, "永兴县自然资源局").id
        create_user(s, "xf", PASSWORD, "agency", str(mine))
        create_user(s, "zr", PASSWORD, "agency", str(other))
    return app, mine, other


def _loop(settings: Settings) -> None:
    app, mine, other = _app(settings)
    agency, bureau, stranger = TestClient(app), TestClient(app), TestClient(app)
    h_agency = {"X-CSRF-Token": login(agency, "xf")}
    h_bureau = {"X-CSRF-Token": login(bureau, "admin")}
    h_stranger = {"X-CSRF-Token": login(stranger, "zr")}
    today = dt.date.today()

    body = {
        "papers_received": (today - dt.timedelta(days=1)).isoformat(),
        "plaintiffs": ["黄涓"],
        "court": "湖南省资兴市人民法院",
        "sued_action": "消防行政处罚",
        "case_no": "(2018)湘1081行初99号",
    }
    r = agency.post("/api/suits", json=body, headers=h_agency)
    assert r.status_code == 201, r.text
    suit = r.json()
    assert suit["report_due"] > body["papers_received"] and suit["report_on_time"] is True
    assert "应于" in suit["message"] and suit["agencies"][0]["agency_id"] == mine

    # the bureau sees it pending; another agency neither lists nor opens it, nor files for another agency
    assert [x["id"] for x in bureau.get("/api/suits?status=pending").json()] == [suit["id"]]
    assert stranger.get("/api/suits").json() == []
    r = stranger.get(f"/api/suits/{suit['id']}")
    assert r.status_code == 404 and "没有编号" in r.json()["error"]["message"]
    r = agency.post("/api/suits", json={**body, "agency_id": other}, headers=h_agency)
    assert r.status_code == 403

    review = bureau.get("/api/suits/review").json()
    assert [(x["suit_id"], x["risk"]) for x in review] == [(suit["id"], "low")] and review[0]["reason"]
    assert stranger.get("/api/suits/review").json() == []

    # bad input: future date; same case number at another court
    r = agency.post("/api/suits", json={**body, "papers_received": "2999-01-01"}, headers=h_agency)
    assert r.status_code == 400 and "晚于今天" in r.json()["error"]["message"]
    r = stranger.post("/api/suits", json={**body, "court": "湖南省郴州市中级人民法院"}, headers=h_stranger)
    assert r.status_code == 400 and "不一致" in r.json()["error"]["message"]

    # the judgment slot refuses a file that is not a judgment, and another suit's judgment; nothing changes
    url = f"/api/suits/{suit['id']}/judgment"
    for path, words in ((NOT_JUDGMENT, "未保存"), (OTHER_PDF, "不符")):
        r = agency.post(
            url, files={"file": (path.name, path.read_bytes(), "application/pdf")}, headers=h_agency
        )
        assert r.status_code in (400, 422) and words in r.json()["error"]["message"], r.text
    assert bureau.get(f"/api/suits/{suit['id']}").json()["judgments"] == []

    # the agency uploads its losing judgment (today 403 on /api/uploads): the 5-day report opens
    r = agency.post(
        url, files={"file": (LOSS_PDF.name, LOSS_PDF.read_bytes(), "application/pdf")}, headers=h_agency
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["outcome"] == "agency_lost" and d["status"] == "decided" and d["judgment_received_estimated"]
    [loss] = [o for o in d["obligations"] if o["what"] == "loss_report"]
    assert loss["state"] == "open" and loss["days_left"] >= 1
    # the agency is reminded in the app (no mail server configured); the stranger is not
    rem = agency.get("/api/reminders").json()
    assert [i["what"] for i in rem["items"]] == ["loss_report"] and rem["email_available"] is False
    assert stranger.get("/api/reminders").json()["items"] == []
    r = agency.put(
        "/api/reminders/settings", json={"webhook_on": True, "webhook_url": "ftp://x"}, headers=h_agency
    )
    assert r.status_code == 400 and "http://" in r.json()["error"]["message"]
    assert d["suggested_causes"], "the classifier's causes prefill the analysis"

    # attachments: DOCX accepted, text refused, too large refused
    att = f"/api/suits/{suit['id']}/attachments"
    r = agency.post(att, files={"file": ("分析报告.docx", _docx())}, headers=h_agency)
    assert r.status_code == 201, r.text
    r = agency.post(att, files={"file": ("x.txt", b"hello")}, headers=h_agency)
    assert r.status_code == 400 and "DOCX 或 PDF" in r.json()["error"]["message"]
    r = agency.post(att, files={"file": ("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10))}, headers=h_agency)
    assert r.status_code == 400 and "1 MB" in r.json()["error"]["message"]

    report = {
        "causes": [loss_cause["cause"] for loss_cause in d["suggested_causes"]],
        "analysis": "处罚前未充分听取陈述申辩",
        "measures": [{"text": "修订消防处罚办案流程", "owner": "法制员", "due": "2027-03-31"}],
    }
    r = agency.post(f"/api/suits/{suit['id']}/report", json=report, headers=h_agency)
    assert r.status_code == 200, r.text
    [loss] = [o for o in r.json()["obligations"] if o["what"] == "loss_report"]
    assert loss["state"] == "done"
    full = bureau.get(f"/api/suits/{suit['id']}").json()
    assert [a["filename"] for a in full["attachments"]] == ["分析报告.docx"]
    assert full["agencies"][0]["measures"][0]["owner"] == "法制员"
    csv = "案号,法院,被告\n（2018）湘1081行初99号,湖南省资兴市人民法院,永兴县公安消防大队\n（2018）湘1081行初100号,湖南省资兴市人民法院,永兴县公安消防大队\n"
    r = bureau.post(
        "/api/suits/reconcile", files={"file": ("court.csv", csv.encode("utf-8"))}, headers=h_bureau
    )
    assert r.status_code == 200, r.text
    assert [x["case_no"] for x in r.json()["never_reported"]] == ["（2018）湘1081行初100号"]
    r = agency.post(
        "/api/suits/reconcile", files={"file": ("court.csv", csv.encode("utf-8"))}, headers=h_agency
    )
    assert r.status_code == 403
    app.state.db.dispose()


def test_register_upload_and_report_through_the_api(settings: Settings) -> None:
    _loop(settings)


@pytest.mark.postgres
def test_register_upload_and_report_through_the_api_on_postgresql(pg_settings: Settings) -> None:
    _loop(pg_settings)
