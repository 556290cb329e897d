"""Bulletin and collection documents: DOCX layout, PDF via LibreOffice rendered to images, de-identified
content, table of contents with page numbers, and the CLI (nothing matches → non-zero exit)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from core.normalize import normalize_case_no
from reports.bulletin import make_bulletin
from reports.cases import load_cases
from reports.collection import CollectionFilter, NothingSelected, collection_entries, make_collection
from reports.demo import load_corpus
from reports.stats import Period

sys.path.insert(0, str(Path(__file__).parent))
import test_reports_stats as fixture  # noqa: E402

needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def _lost_corpus_ids(corpus_labels: dict, n: int, cause: str | None = None) -> list[str]:
    ids = [
        k
        for k, r in corpus_labels.items()
        if r["outcome"] == "agency_lost"
        and r["cause_evidence"]
        and r["judgment_date"]
        and (cause is None or cause in r["loss_causes"])
    ]
    return sorted(ids)[:n]


def _png_pages(pdf: Path, tmp: Path, last: int = 2) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", str(last), "-png", str(pdf), str(tmp / "page")],
        check=True,
        timeout=60,
    )
    return sorted(tmp.glob("page-*.png"))


def _text(pdf: Path, first: int = 1, last: int = 99) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")


def test_bulletin_docx_uses_the_configured_fonts_and_official_layout(db, settings, tmp_path: Path) -> None:
    settings.font_body, settings.issuing_body = "仿宋", "甲县司法局"
    with db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        r = make_bulletin(
            s, settings, "2024Q2", tmp_path / "b.docx", today=dt.date(2024, 7, 10), number="甲司通〔2024〕2号"
        )
    assert (r.cases, r.losses) == (2, 2)  # 发案 by filing date: 2 suits filed in Q2; 2 losses decided in Q2
    doc = Document(str(tmp_path / "b.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "日期规则：发案按法院立案（收案）日期计" in text and "审结不足3件的单位不排名" in text
    assert "另有日期不详案件1件" in text  # 行初8号: no filing date, a 2024 case number
    header = [c.text for c in doc.tables[0].rows[0].cells]
    # the top-N marks are a yearly matter: a quarter's table has no (empty) 县前2名 / 市前3名 column
    assert header[-1] == "复议纠错" and not any("前" in h for h in header)
    assert "甲县司法局" in text and "甲司通〔2024〕2号" in text and "2024年7月10日" in text
    assert "败诉率33.3%" in text and "负责人出庭应诉率75.0%" in text
    assert "重点监督对象" in text and "甲县河口乡人民政府" in text
    xml = (tmp_path / "b.docx").read_bytes()
    assert len(doc.inline_shapes) == 3  # trend, by field, by cause
    sec = doc.sections[0]
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28
    assert doc.styles["Normal"].font.size.pt == 16 and doc.styles["Normal"].font.name == "仿宋"
    assert b"PK" == xml[:2]


@needs_office
def test_bulletin_pdf_renders_chinese(db, settings, tmp_path: Path) -> None:
    with db.session() as s:
        fixture.registry(s)
        fixture.store(s)
        make_bulletin(s, settings, "2024Q2", tmp_path / "b.pdf", today=dt.date(2024, 7, 10))
    pngs = _png_pages(tmp_path / "b.pdf", tmp_path)
    assert len(pngs) == 2 and all(p.stat().st_size > 5000 for p in pngs)
    text = _text(tmp_path / "b.pdf", 1, 2).replace(" ", "")
    assert "关于2024年第二季度全县行政机关" in text and "行政诉讼案件情况的通报" in text
    assert "败诉率" in text and "—1—" in text.replace("\u2014", "—")
    assert _japanese_glyphs(tmp_path / "b.pdf", text) == set()


def _japanese_glyphs(pdf: Path, text: str) -> set[str]:
    """Characters of ``text`` printed with the Japanese form of Noto CJK (令, 直, 骨 … differ from the
    simplified-Chinese form). The embedded subset keeps the collection's CID glyph names; pdffonts shows
    the shared CFF name (NotoSerifCJKjp) whatever the face, so the glyphs themselves are compared."""
    import re

    from fontTools.ttLib import TTCollection
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    used: set[str] = set()
    with pdf.open("rb") as f:
        doc = PDFDocument(PDFParser(f))
        for xref in doc.xrefs:
            for oid in xref.get_objids():
                obj = resolve1(doc.getobj(oid))
                if isinstance(obj, PDFStream):  # font programs name their glyphs /cidNNNN
                    used |= {m.decode() for m in re.findall(rb"/(cid\d+)", obj.get_data())}
    collection = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    if not collection.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    faces = TTCollection(str(collection), lazy=True).fonts
    jp, sc = (faces[i]["cmap"].getBestCmap() for i in (0, 2))
    norm = lambda g: "cid" + str(int(g[3:]))  # noqa: E731 - cid09825 in the font, cid9825 in the subset
    return {
        ch
        for ch in set(text)
        if ord(ch) in jp
        and ord(ch) in sc
        and jp[ord(ch)] != sc[ord(ch)]
        and norm(jp[ord(ch)]) in used
        and norm(sc[ord(ch)]) not in used
    }


def test_collection_entries_are_deidentified_and_quote_the_court(db, corpus_labels, corpus_dir) -> None:
    ids = _lost_corpus_ids(corpus_labels, 6)
    with db.session() as s:
        load_corpus(s, corpus_dir, ids)
        entries = collection_entries(s, CollectionFilter())
        cases = [c for c in load_cases(s) if c.outcome == "agency_lost"]
    assert len(entries) == len(cases) < len(ids)  # an appeal and its first instance are one entry
    joined = next(e for e in entries if len(e.case_nos) > 1)
    assert any("行终" in cn for cn in joined.case_nos) and any("行初" in cn for cn in joined.case_nos)
    for e in entries:
        label = next(
            corpus_labels[i] for i in ids if normalize_case_no(corpus_labels[i]["case_no"]) in e.case_nos
        )
        everything = e.title + e.summary + e.result + "".join(q for _, q in e.reasons)
        for p in label["plaintiffs"]:
            if len(p) <= 4 and not re.search(r"[某×xX]|公司", p):
                assert p not in everything, (e.title, p)
        quotes = [q for _, q in e.reasons if q]
        assert quotes or e.lesson, e.title
        assert e.lesson and e.significance
        assert label["defendants"][0] in e.title


def test_collection_filters_by_cause_and_year(db, corpus_labels, corpus_dir) -> None:
    ids = _lost_corpus_ids(corpus_labels, 40)
    with db.session() as s:
        load_corpus(s, corpus_dir, ids)
        year = max(
            int(corpus_labels[i]["judgment_date"][:4])
            for i in ids
            if "procedure" in corpus_labels[i]["loss_causes"]
        )
        entries = collection_entries(
            s, CollectionFilter(causes=["procedure"], period=Period.parse(str(year)))
        )
        with pytest.raises(NothingSelected):
            collection_entries(s, CollectionFilter(causes=["procedure"], period=Period.parse("1999")))
    expected = [
        i
        for i in ids
        if "procedure" in corpus_labels[i]["loss_causes"]
        and corpus_labels[i]["judgment_date"].startswith(str(year))
    ]
    assert len(entries) == len(expected) > 0
    assert {e.cause for e in entries} == {"procedure"}  # filed under the cause asked for


@needs_office
def test_collection_pdf_has_cover_toc_with_page_numbers(
    db, settings, corpus_labels, corpus_dir, tmp_path: Path
) -> None:
    ids = _lost_corpus_ids(corpus_labels, 4)
    with db.session() as s:
        load_corpus(s, corpus_dir, ids)
        r = make_collection(s, settings, CollectionFilter(), tmp_path / "c.pdf", today=dt.date(2024, 7, 10))
    assert r.cases >= 3
    pngs = _png_pages(tmp_path / "c.pdf", tmp_path, last=3)
    assert len(pngs) == 3 and all(p.stat().st_size > 2000 for p in pngs)
    cover = _text(tmp_path / "c.pdf", 1, 1).replace(" ", "")
    assert "行政机关败诉典型案例汇编" in cover
    toc = _text(tmp_path / "c.pdf", 2, 2)
    assert "目" in toc and "案例1" in toc.replace(" ", "")
    numbers = [int(n) for n in re.findall(r"\.{3,}\s*(\d+)", toc)]
    assert numbers and numbers == sorted(numbers) and numbers[0] >= 3
    body = _text(tmp_path / "c.pdf", 3).replace(" ", "")
    assert "【败诉原因】" in body and "【警示】" in body and "法院指出" in body and "【典型意义】" in body
    assert "相关法条" in body  # statute text once, in the appendix


@pytest.fixture
def cli_env(monkeypatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    from cli import context

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    yield context
    context.database().dispose()
    context.settings.cache_clear()
    context.database.cache_clear()


def test_cli_stats_json_and_collection_nothing_matches(cli_env, tmp_path: Path) -> None:
    from cli.main import app

    with cli_env.database().session() as s:
        fixture.registry(s)
        fixture.store(s)
    runner = CliRunner()
    res = runner.invoke(app, ["stats", "--by", "township", "--period", "2024Q2", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["definition"] == "concluded" and "败诉率＝" in data["definition_zh"]
    assert {r["label"]: (r["cases"], r["lost"]) for r in data["rows"]} == {
        "甲县河口乡人民政府": (0, 1),  # filed in Q1, lost in Q2
        "甲县城关镇人民政府": (1, 0),
        "日期不详": (1, 0),  # 行初8号: no filing date, only its 2024 case number
    }
    assert "发案按法院立案" in data["date_rule_zh"] and data["grand_totals"]["cases"] == 3
    res = runner.invoke(app, ["stats", "--by", "agency", "--period", "2024", "-o", str(tmp_path / "s.xlsx")])
    assert res.exit_code == 0 and (tmp_path / "s.xlsx").stat().st_size > 0
    res = runner.invoke(
        app, ["collection", "--cause", "ultra_vires", "--year", "2023", "-o", str(tmp_path / "x.docx")]
    )
    assert res.exit_code != 0 and "没有符合条件" in res.output
    assert not (tmp_path / "x.docx").exists()
    res = runner.invoke(app, ["stats", "--period", "去年"])
    assert res.exit_code != 0
