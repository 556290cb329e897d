"""The 典型案例汇编 and 季度通报 pages, each with its own form: the document comes back with the title, the
issuing body and the 文号 typed on the web; filters (period, cause, field, agency) choose the cases; a
period without cases is a warning on the page, not a silent empty document; an agency user's documents hold
only their own cases and their bulletin is never titled 全县."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from test_web_support import AGENCY_A, AGENCY_B, WebStore, add_user, build_store, login

from api.app import create_app
from reports.bulletin import reporting_sentence


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[WebStore]:
    st = build_store(tmp_path_factory.mktemp("web-documents"), corpus_dir)
    add_user(st, "analyst1", "analyst")
    add_user(st, "agency_a", "agency", AGENCY_A)
    yield st
    st.db.dispose()


def _client(store: WebStore, user: str) -> tuple[TestClient, str]:
    c = TestClient(create_app(store.settings, db=store.db))
    return c, login(c, user)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )


def _tables(content: bytes) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(io.BytesIO(content)).tables]


def test_collection_form_honours_title_issuing_body_number_and_filters(store: WebStore) -> None:
    c, csrf = _client(store, "analyst1")
    page = c.get("/collections").text
    assert 'action="/collections/document"' in page and 'name="causes"' in page and 'name="agency_id"' in page
    r = c.post(
        "/collections/document",
        data={
            "csrf_token": csrf,
            "source": "filter",
            "title": "不作为类警示案例选编",
            "period": "2016..2018",
            "causes": ["inaction", "procedure"],
            "agency_id": str(store.agency_ids[AGENCY_B]),
            "issuing_body": "甲县司法局",
            "number": "甲司汇〔2024〕1号",
            "format": "docx",
        },
    )
    assert r.status_code == 200, r.text[:500]
    assert "attachment" in r.headers["content-disposition"]
    text = _docx_text(r.content)
    assert "不作为类警示案例选编" in text and "甲县司法局" in text and "甲司汇〔2024〕1号" in text
    assert store.labels["sea-013"]["case_no"] in text  # the chosen agency's loss in the range
    assert store.labels["sea-004"]["case_no"] not in text  # another agency's loss is filtered out


def test_an_empty_selection_is_a_warning_on_the_page(store: WebStore) -> None:
    c, csrf = _client(store, "analyst1")
    r = c.post(
        "/collections/document",
        data={"csrf_token": csrf, "source": "filter", "period": "1999", "issuing_body": "甲县司法局"},
    )
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert 'class="alert alert-warning"' in r.text and "没有符合条件（1999年）的败诉案件" in r.text
    assert 'value="1999"' in r.text  # the form keeps what was typed


def test_bulletin_form_title_issuing_body_number_and_honest_sections(store: WebStore) -> None:
    c, csrf = _client(store, "analyst1")
    page = c.get("/bulletin").text
    assert 'action="/bulletin/document"' in page and 'name="number"' in page
    r = c.post(
        "/bulletin/document",
        data={
            "csrf_token": csrf,
            "period": "2018Q2",
            "title": "关于2018年第二季度行政应诉工作的通报",
            "issuing_body": "甲县司法局",
            "number": "甲司通〔2018〕2号",
        },
    )
    assert r.status_code == 200, r.text[:500]
    text = _docx_text(r.content)
    assert "关于2018年第二季度行政应诉工作的通报" in text
    assert "甲县司法局" in text and "甲司通〔2018〕2号" in text
    assert "暂无报备记录" in text and "均按期报备" not in text  # no register of suits kept
    assert "—" not in text  # a dash prints like the numeral 一: 无 or 0 instead
    header = _tables(r.content)[0][0]
    assert header[:2] == ["排名", "单位"] and not any("前" in h for h in header)  # no empty top-N column
    year = c.post(
        "/bulletin/document", data={"csrf_token": csrf, "period": "2018", "issuing_body": "甲县司法局"}
    )
    assert "县前2名" in _tables(year.content)[0][0]  # a yearly table keeps its top-N marks
    # the issuing body typed once is what the next form starts with
    assert 'value="甲县司法局"' in c.get("/bulletin").text


def test_a_period_without_cases_warns_and_can_still_be_printed(store: WebStore) -> None:
    c, csrf = _client(store, "analyst1")
    r = c.post(
        "/bulletin/document", data={"csrf_token": csrf, "period": "1999Q1", "issuing_body": "甲县司法局"}
    )
    assert r.status_code == 400 and 'class="alert alert-warning"' in r.text
    assert "1999年第一季度没有任何行政诉讼案件" in r.text and 'name="allow_empty"' in r.text
    r = c.post(
        "/bulletin/document",
        data={"csrf_token": csrf, "period": "1999Q1", "issuing_body": "甲县司法局", "allow_empty": "1"},
    )
    empty = _docx_text(r.content)
    assert r.status_code == 200 and "本期无败诉案件" in empty and "败诉率无法计算" in empty
    assert "—" not in empty and "暂无报备记录" in empty
    bad = c.post(
        "/bulletin/document", data={"csrf_token": csrf, "period": "去年", "issuing_body": "甲县司法局"}
    )
    assert bad.status_code == 400 and "看不懂的统计期间" in bad.text


def test_agency_user_documents_hold_only_their_own_cases(store: WebStore) -> None:
    c, csrf = _client(store, "agency_a")
    page = c.get("/collections").text
    assert 'name="agency_id"' not in page and "js-remove" not in page and "加入汇编" not in page
    assert "/collections/drafts" not in page  # no editing of drafts for them
    assert "只统计单位名录中的本县单位" not in c.get("/bulletin").text
    # a forged agency filter does not reach another agency's cases
    r = c.post(
        "/collections/document",
        data={
            "csrf_token": csrf,
            "source": "filter",
            "period": "2016..2018",
            "agency_id": str(store.agency_ids[AGENCY_B]),
        },
    )
    assert r.status_code == 200, r.text[:500]
    text = _docx_text(r.content)
    assert store.labels["sea-004"]["case_no"] in text and store.labels["sea-013"]["case_no"] not in text
    assert AGENCY_A in text  # the issuing body defaults to their own agency
    r = c.post("/bulletin/document", data={"csrf_token": csrf, "period": "2016"})
    assert r.status_code == 200, r.text[:500]
    text = _docx_text(r.content)
    title = text.split("\n")[:6]
    assert any(f"2016年{AGENCY_A}" in line for line in title), title
    assert "全县" not in text and "重点监督对象" not in text
    assert AGENCY_B not in text


def test_reporting_sentence_claims_on_time_only_with_recorded_reports() -> None:
    assert reporting_sentence(None) == "暂无报备记录。"
    assert reporting_sentence({"due": 2, "reported": 0, "open": 2}) == "暂无报备记录。另有2项报备尚未到期。"
    assert re.fullmatch(
        r"本期已报备3项，均按期报备。", reporting_sentence({"due": 3, "reported": 3, "open": 0})
    )
