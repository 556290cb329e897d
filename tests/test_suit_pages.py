"""The pages of the register: an agency user registers a suit through the form and sees its due date, a bad
date comes back as a Chinese message, the losing judgment is uploaded into the suit, the loss report is filed
with a measure and an attachment; the bureau's list and review pages; the reminders page without a mail
server (the embedded default)."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from test_api_suits import LOSS_PDF, _app, _docx
from test_web_support import login

from core.settings import Settings


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m
    return m.group(1)


def test_the_desk_through_the_pages(settings: Settings) -> None:
    app, mine, _ = _app(settings)
    agency, bureau = TestClient(app), TestClient(app)
    login(agency, "xf")
    login(bureau, "admin")
    page = agency.get("/suits")
    assert page.status_code == 200 and "登记新收到的应诉案件" in page.text and "没有待报送的事项" in page.text
    token = _csrf(page.text)
    form = {
        "csrf_token": token,
        "papers_received": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "agency_id": str(mine),
        "court": "湖南省资兴市人民法院",
        "case_no": "（2018）湘1081行初99号",
        "plaintiffs": "黄涓",
        "sued_action": "消防行政处罚",
    }
    bad = agency.post("/suits", data={**form, "papers_received": "2999-01-01"}, follow_redirects=True)
    assert "未登记：收到应诉材料日期 2999-01-01 晚于今天" in bad.text and "Traceback" not in bad.text
    r = agency.post("/suits", data=form, follow_redirects=True)
    assert r.status_code == 200 and "应于" in r.text and "前报备" in r.text
    suit_url = str(r.url.path)
    assert re.fullmatch(r"/suits/\d+", suit_url)
    assert "（2018）湘1081行初99号" in bureau.get("/suits?status=pending").text
    assert "风险" in bureau.get("/suits/review").text

    r = agency.post(
        f"{suit_url}/judgment",
        data={"csrf_token": token},
        files={"file": (LOSS_PDF.name, LOSS_PDF.read_bytes(), "application/pdf")},
        follow_redirects=True,
    )
    assert "本案败诉，请于" in r.text and "败诉原因分析及整改措施" in r.text
    assert "checked" in r.text  # causes prefilled from the classifier
    r = agency.post(
        f"{suit_url}/attachments",
        data={"csrf_token": token},
        files={"file": ("说明.txt", b"plain")},
        follow_redirects=True,
    )
    assert "不是 DOCX 或 PDF" in r.text
    agency.post(
        f"{suit_url}/attachments", data={"csrf_token": token}, files={"file": ("分析报告.docx", _docx())}
    )
    r = agency.post(
        f"{suit_url}/report",
        data={
            "csrf_token": token,
            "causes": ["procedure"],
            "analysis": "未听取陈述申辩",
            "measure_text": ["修订办案流程", ""],
            "measure_owner": ["法制员", ""],
            "measure_due": ["2027-03-31", ""],
            "measure_status": ["planned", "planned"],
        },
        follow_redirects=True,
    )
    assert "已报送败诉原因分析和整改措施" in r.text and "修订办案流程" in r.text and "分析报告.docx" in r.text
    rem = agency.get("/reminders")
    assert "尚未配置邮件服务器" in rem.text and "没有待报送的事项" in rem.text
    r = agency.post(
        "/reminders",
        data={"csrf_token": token, "email_on": "1", "email": "bad"},
        follow_redirects=True,
    )
    assert "未保存：开启邮件提醒需要填写有效的邮箱地址" in r.text
    # the bureau reconciles the court's list on the page and back-fills the never-reported suit
    b_token = _csrf(bureau.get("/suits").text)
    csv = "案号,法院,被告,立案日期\n（2018）湘1081行初99号,湖南省资兴市人民法院,永兴县公安消防大队,2018-01-05\n（2018）湘1081行初7号,湖南省资兴市人民法院,永兴县公安消防大队,2018-02-01\n"
    r = bureau.post(
        "/suits/reconcile",
        data={"csrf_token": b_token, "register_missing": "1"},
        files={"file": ("court.csv", csv.encode("utf-8"))},
    )
    assert "已补录 1 件未报备案件" in r.text and "（2018）湘1081行初7号" in r.text
    r = bureau.post(
        "/suits/reconcile",
        data={"csrf_token": b_token},
        files={"file": ("court.txt", b"x")},
        follow_redirects=True,
    )
    assert "未能对账：法院案件名单须为 .csv 或 .xlsx 文件" in r.text
    [pending] = [x for x in agency.get("/api/suits?status=pending").json()]
    r = agency.post(
        f"/suits/{pending['id']}/withdrawal",
        data={"csrf_token": token, "after_correction": "1"},
        follow_redirects=True,
    )
    assert "实质性化解" in r.text and "已撤诉" in r.text
    app.state.db.dispose()
