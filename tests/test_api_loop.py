"""以案促改 on the web (issue 17): record a meeting (bureau for any unit, a unit for itself only), the units
without one, 同类问题反弹 on the suit page and the dashboard after a second loss on the same cause, 回头看 of a
measure, the 工作提醒函 / disclosure / circular downloads; errors in Chinese."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from test_web_support import WebStore, add_user, build_store, login

from api.app import create_app
from core.models import Suit, SuitAgency, SuitMeasure


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-loop"), corpus_dir)
    add_user(st, "bureau1", "analyst")
    agency = sorted(st.agency_ids)[0]
    add_user(st, "unit1", "agency", agency)
    yield st
    st.db.dispose()


def _client(store: WebStore, user: str) -> TestClient:
    c = TestClient(create_app(store.settings, db=store.db))
    c.headers["X-CSRF-Token"] = login(c, user)
    return c


def _two_losses(store: WebStore, agency_id: int) -> tuple[int, int, int]:
    with store.db.session() as s:
        ids = []
        for n, day in ((901, dt.date(2024, 2, 1)), (902, dt.date(2024, 8, 1))):
            suit = Suit(
                key=f"测试法院|（2024）测0101行初{n}号",
                court="测试法院",
                case_no=f"（2024）测0101行初{n}号",
                plaintiffs=["某公司"],
                sued_action="罚款",
                action_type="penalty",
                status="decided",
                outcome="agency_lost",
                decided_on=day,
                judgment_received=day,
                history=[],
            )
            s.add(suit)
            s.flush()
            row = SuitAgency(suit_id=suit.id, agency_id=agency_id, papers_received=day, causes=["procedure"])
            s.add(row)
            s.flush()
            m = SuitMeasure(suit_agency_id=row.id, text="处罚前一律经法制审核", owner="法规科", status="done")
            s.add(m)
            s.flush()
            ids.append((suit.id, m.id))
    return ids[0][0], ids[1][0], ids[0][1]


def test_meetings_recurrence_recheck_and_documents(store: WebStore) -> None:
    bureau = _client(store, "bureau1")
    unit_name = sorted(store.agency_ids)[0]
    unit_id = store.agency_ids[unit_name]
    other = store.agency_ids[sorted(store.agency_ids)[1]]
    first, second, measure = _two_losses(store, unit_id)

    r = bureau.post(
        "/api/meetings",
        json={
            "agency_id": other,
            "held_on": "2024-06-01",
            "cases_used": ["（2024）测0101行初901号"],
            "judge_invited": "周法官",
        },
    )
    assert r.status_code == 201, r.text
    view = bureau.get("/api/meetings?year=2024").json()
    assert [m["agency_id"] for m in view["meetings"]] == [other]
    assert unit_id in [m["agency_id"] for m in view["missing"]] and other not in [
        m["agency_id"] for m in view["missing"]
    ]

    unit = _client(store, "unit1")
    r = unit.post("/api/meetings", json={"agency_id": other, "held_on": "2024-06-02", "cases_used": ["x"]})
    assert r.status_code == 403 and "本单位" in r.json()["error"]["message"]
    r = unit.post("/api/meetings", json={"held_on": "2099-01-01", "cases_used": ["x"]})
    assert r.status_code == 400 and "不能晚于今天" in r.json()["error"]["message"]

    page = unit.get(f"/suits/{second}").text
    assert "同类问题反弹" in page and "（2024）测0101行初901号" in page
    assert "同类问题反弹" not in unit.get(f"/suits/{first}").text
    assert "同类问题反弹" in unit.get("/dashboard").text
    assert [x["suit_id"] for x in unit.get("/api/recurrences").json()] == [second]

    token = unit.headers["X-CSRF-Token"]
    r = unit.post(
        f"/suits/{first}/recheck",
        data={
            "csrf_token": token,
            "measure_id": measure,
            "recheck_on": "2024-09-01",
            "result": "抽查10件处罚案卷，均已法制审核",
        },
        follow_redirects=True,
    )
    assert "已记录回头看" in r.text and "抽查10件处罚案卷，均已法制审核" in r.text

    lessons = bureau.get("/lessons?year=2024").text
    assert "尚未开展以案促改的单位" in lessons and unit_name in lessons and "周法官" in lessons
    r = bureau.get(f"/api/loop-documents/letter?agency_id={unit_id}")
    assert r.status_code == 200
    letter = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "工作提醒函" in letter and unit_name in letter and "同类问题反弹" in letter
    r = bureau.get("/api/loop-documents/disclosure?year=2024&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == unit_name)
    assert row[3] == 2 and row[4] == "100.0%"
    assert (
        bureau.get("/api/loop-documents/circular?quarter=2024Q9")
        .json()["error"]["message"]
        .startswith("季度")
    )
    assert unit.get("/api/loop-documents/disclosure?year=2024").status_code == 403
    assert (
        "Traceback"
        not in bureau.get("/lessons/documents/letter?agency_id=999999", follow_redirects=True).text
    )
