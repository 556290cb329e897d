"""The editor's pass (issue 17): a collection draft kept in the database, cases chosen and ordered, fields
edited and audited, the de-identified preview exactly as it prints, export blocked by an unanswered finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from core.models import AuditEntry, Judgment
from reports import drafts
from reports.demo import load_corpus


def _ids(corpus_labels: dict, n: int) -> list[str]:
    return sorted(
        k for k, r in corpus_labels.items() if r["outcome"] == "agency_lost" and r["judgment_date"]
    )[:n]


def test_a_draft_is_kept_edited_ordered_and_exported(
    any_db, any_settings, corpus_labels, corpus_dir, tmp_path: Path
) -> None:
    """GIVEN three lost cases WHEN an editor makes a draft, reorders it, rewrites a lesson with a witness's
    full name THEN the preview masks nothing it was not told to, export is refused naming the finding, and
    after "mask" the DOCX prints the edited lesson with 吕某某; each change is in the audit log."""
    with any_db.session() as s:
        load_corpus(s, corpus_dir, _ids(corpus_labels, 3))
        jids = [j.id for j in s.scalars(select(Judgment).order_by(Judgment.id))]
        draft = drafts.create_draft(s, "2024年以案促改警示案例", jids, user="editor")
        draft_id = draft.id
    with any_db.session() as s:  # a new session: the draft lives in the database, not in a login session
        view = drafts.preview(s, draft_id)
        assert view["title"] == "2024年以案促改警示案例" and len(view["cases"]) >= 2
        first, second = view["cases"][0]["id"], view["cases"][1]["id"]
        drafts.reorder(s, draft_id, [second, first], user="editor")
        drafts.edit_case(
            s,
            draft_id,
            first,
            "lesson",
            "证人吕大成到庭证实，被告未向原告送达处罚决定书即强制执行，程序违法。",
            user="editor",
        )
        drafts.edit_case(
            s,
            draft_id,
            first,
            "significance",
            "本案提示：送达是强制执行的前提，本单位今后一律先送达、后执行。",
            user="editor",
        )
    with any_db.session() as s:
        view = drafts.preview(s, draft_id)
        assert [c["id"] for c in view["cases"]][:2] == [second, first]
        case = next(c for c in view["cases"] if c["id"] == first)
        assert case["pending"] and case["pending"][0]["name"] == "吕大成"
        assert "lesson" in case["edited"]
        with pytest.raises(drafts.DraftBlocked) as exc:
            drafts.export(s, any_settings, draft_id, tmp_path / "d.docx", user="editor")
        assert "吕大成" in str(exc.value) and not (tmp_path / "d.docx").exists()
        drafts.resolve(s, draft_id, first, "吕大成", "mask", user="editor")
    with any_db.session() as s:
        view = drafts.preview(s, draft_id)
        assert view["pending"] == 0
        case = next(c for c in view["cases"] if c["id"] == first)
        assert any("证人吕某某到庭证实" in p for p in case["paragraphs"])
        r = drafts.export(s, any_settings, draft_id, tmp_path / "d.docx", user="editor")
        assert r.cases == len(view["cases"])
    text = "\n".join(p.text for p in Document(str(tmp_path / "d.docx")).paragraphs)
    assert "证人吕某某到庭证实" in text and "吕大成" not in text
    assert "本案提示：送达是强制执行的前提" in text
    with any_db.session() as s:
        actions = [
            a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.target == f"draft:{draft_id}"))
        ]
        edits = [a.detail for a in s.scalars(select(AuditEntry).where(AuditEntry.action == "draft_edit"))]
    assert {"draft_create", "draft_order", "draft_edit", "draft_resolve", "draft_export"} <= set(actions)
    assert any(e["field"] == "lesson" and e["new"].startswith("证人吕大成") and e["old"] for e in edits)


def test_draft_errors_are_chinese(any_db) -> None:
    with any_db.session() as s:
        with pytest.raises(drafts.DraftNotFound, match="不存在"):
            drafts.preview(s, 999)
        d = drafts.create_draft(s, "", [])
        assert d.title == "行政机关败诉典型案例汇编"
        with pytest.raises(drafts.DraftError, match="草稿中还没有案例"):
            drafts.export(s, object(), d.id, Path("x.docx"))
        with pytest.raises(drafts.DraftError, match="不能修改"):
            drafts.edit_case(s, d.id, 1, "court", "x")


def test_migration_0011_goes_up_and_down(any_settings) -> None:
    """0011_collections on SQLite and PostgreSQL: its tables and the measure re-check columns appear, go
    with a downgrade to 0008_suits, and come back."""
    from alembic import command
    from sqlalchemy import inspect

    from core.db import alembic_config, make_engine

    any_settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(any_settings.resolved_database_url)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    new = {"collection_drafts", "collection_draft_cases", "lesson_meetings", "accountability_cases"}

    def state(conn) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
        insp = inspect(conn)
        return set(insp.get_table_names()) & new, {c["name"] for c in insp.get_columns("suit_measures")}

    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        tables, cols = state(conn)
        assert tables == new and {"recheck_on", "recheck_result", "rechecked_by"} <= cols
        command.downgrade(cfg, "0008_suits")
        tables, cols = state(conn)
        assert tables == set() and "recheck_on" not in cols
        command.upgrade(cfg, "heads")
        assert state(conn)[0] == new
    engine.dispose()
