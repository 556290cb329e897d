"""The embedded engine (tantivy) on the real corpus: judgments stored as the pipeline stores them
(record read by ingest.parse.parse_text, outcome/causes/action/field from the labels as if classified),
indexed from the database, and the shared query table of search.evaluation run against it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.db import Database
from core.models import Judgment
from core.settings import Settings, load_settings
from pipeline.corpus import store_corpus
from pipeline.indexing import reindex_from_db
from search import open_backend, to_index_doc
from search.embedded import EmbeddedBackend
from search.evaluation import (
    conformance_failures,
    load_corpus,
    quality_table,
    run_table,
    summary,
)


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> tuple[dict, dict]:
    return load_corpus(corpus_dir)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, corpus: tuple[dict, dict]) -> Iterator[tuple]:
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("search") / "data", database_url=None, es_url=None
    )
    db = Database(settings)
    corpus_of = store_corpus(db, *corpus)
    backend = open_backend(settings)
    assert isinstance(backend, EmbeddedBackend)
    assert reindex_from_db(db, backend) == len(corpus_of)
    yield settings, db, backend, corpus_of
    db.dispose()


def test_both_engines_table_passes_on_the_embedded_engine(indexed: tuple, corpus: tuple[dict, dict]) -> None:
    """GIVEN the corpus indexed from the store WHEN the shared table (≥ 40 label-written queries, snippets,
    facets, paging, sorting, agency scope, similar cases) runs THEN every check holds."""
    _settings, _db, backend, corpus_of = indexed
    assert conformance_failures(backend, corpus_of, *corpus) == []


def test_quality_table_has_enough_real_queries_and_full_recall_on_labels(
    indexed: tuple, corpus: tuple
) -> None:
    _settings, _db, backend, corpus_of = indexed
    table = quality_table(*corpus)
    assert len(table) >= 40
    result = summary(run_table(backend, table, corpus_of))
    assert result["by_kind"]["label"]["recall"] == 1.0 and result["by_kind"]["label"]["precision"] == 1.0
    assert result["recall"] >= 0.95 and result["precision"] >= 0.95


def test_quoted_phrase_matches_verbatim_whatever_the_segmenter_did(indexed: tuple, corpus: tuple) -> None:
    """GIVEN "法定程序" (jieba keeps 违反法定程序 as one word) WHEN searched THEN every judgment whose
    text contains it is found, and a phrase with punctuation only where the punctuation matches."""
    from core.segment import fold

    judgments = corpus[0]
    _s, _db, backend, corpus_of = indexed
    found = {corpus_of[h.id] for h in backend.search('"法定程序"', size=200).hits}
    assert found == {c for c, j in judgments.items() if "法定程序" in j["document_text"]}
    with_comma = {corpus_of[h.id] for h in backend.search('"本院认为，"', size=200).hits}
    without = {corpus_of[h.id] for h in backend.search('"本院认为"', size=200).hits}
    # Width is folded (，= ,), nothing else: a phrase with a comma needs the comma.
    assert with_comma == {c for c, j in judgments.items() if "本院认为," in fold(j["document_text"])}
    assert with_comma < without


def test_index_upserts_and_deletes_by_judgment_id(indexed: tuple) -> None:
    settings, db, backend, _corpus_of = indexed
    with db.session() as s:
        j = s.get(Judgment, 1)
        doc = to_index_doc(j)
    before = backend.count()
    doc["text"] = doc["text"] + "\n附：测试专用词甲乙丙丁戊。"
    backend.index([doc])
    assert backend.count() == before
    assert [h.id for h in backend.search("甲乙丙丁戊").hits] == [1]
    backend.delete([1])
    assert backend.count() == before - 1 and 1 not in backend.ids()
    # Another process (a fresh backend object on the same directory) sees the same index.
    other = EmbeddedBackend(settings.index_dir)
    assert other.count() == before - 1
    with db.session() as s:
        backend.index([to_index_doc(s.get(Judgment, 1))])
    assert other.count() == before and backend.search("甲乙丙丁戊").total == 0


def test_reindex_builds_a_new_directory_and_swaps(indexed: tuple) -> None:
    settings, db, backend, corpus_of = indexed
    old = json.loads((settings.index_dir / "CURRENT").read_text("utf-8"))["dir"]
    reader = EmbeddedBackend(settings.index_dir)
    assert reader.count() == len(corpus_of)
    assert reindex_from_db(db, backend) == len(corpus_of)
    new = json.loads((settings.index_dir / "CURRENT").read_text("utf-8"))["dir"]
    assert new != old and not (settings.index_dir / old).exists()
    assert reader.count() == len(corpus_of) and reader.search("结果:败诉").total > 0


def test_cli_search_json_and_syntax_error(indexed: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli import context
    from cli.main import app

    settings, *_ = indexed
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(settings.data_dir))
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        runner = CliRunner()
        res = runner.invoke(app, ["search", "强制拆除 结果:败诉", "--json", "--size", "3"])
        assert res.exit_code == 0, res.output
        data = json.loads(res.stdout)
        assert set(data) == {"total", "hits", "facets", "suggestions"} and data["total"] >= 1
        assert {"id", "case_no", "title", "score", "snippet"} <= set(data["hits"][0])
        assert "<mark>强制拆除</mark>" in data["hits"][0]["snippet"]
        assert data["facets"]["outcome"][0] == {
            "value": "agency_lost",
            "count": data["total"],
            "label": "败诉",
        }
        table = runner.invoke(app, ["search", "原因:违反法定程序", "--sort", "date"])
        assert table.exit_code == 0 and "违反法定程序" not in table.stderr
        bad = runner.invoke(app, ["search", '"强制拆除'])
        assert bad.exit_code == 2 and "引号没有配对" in bad.output
        check = runner.invoke(app, ["reindex", "--check"])
        assert check.exit_code == 0, check.output
        # 类案 on the command line: the same hit shape as `anjian search --json`, --size respected.
        some = data["hits"][0]["id"]
        sim = runner.invoke(app, ["similar", str(some), "--size", "4", "--json"])
        assert sim.exit_code == 0, sim.output
        similar = json.loads(sim.stdout)
        assert set(similar) == set(data) and 0 < len(similar["hits"]) <= 4
        assert set(similar["hits"][0]) == set(data["hits"][0]) and some not in {
            h["id"] for h in similar["hits"]
        }
        missing = runner.invoke(app, ["similar", "999999"])
        assert missing.exit_code == 1 and "找不到" in missing.output
        typo = json.loads(runner.invoke(app, ["search", "违返法定程序", "--json"]).stdout)
        assert typo["total"] == 0 and typo["suggestions"] == ["违反法定程序"]
    finally:
        context.settings.cache_clear()
        context.database.cache_clear()


@pytest.mark.postgres
def test_embedded_index_serves_a_postgresql_store(pg_settings: Settings, corpus: tuple[dict, dict]) -> None:
    """GIVEN judgments in PostgreSQL and no Elasticsearch WHEN reindexed THEN the embedded index answers."""
    db = Database(pg_settings)
    try:
        corpus_of = store_corpus(db, *corpus)
        backend = open_backend(pg_settings)
        assert isinstance(backend, EmbeddedBackend)
        assert reindex_from_db(db, backend) == len(corpus_of)
        hits = backend.search("原因:违反法定程序", size=100).hits
        assert {corpus_of[h.id] for h in hits} == {
            c for c, lab in corpus[1].items() if "procedure" in lab["loss_causes"]
        }
    finally:
        db.dispose()


def test_paging_counts_facets_once_and_a_change_refreshes_them(indexed: tuple) -> None:
    settings, db, backend, _corpus_of = indexed
    first = backend.search("结果:败诉", page=1, size=5)
    assert len(backend._facet_cache) >= 1
    second = backend.search("结果:败诉", page=2, size=5)
    assert second.facets == first.facets and {h.id for h in second.hits}.isdisjoint(h.id for h in first.hits)
    with db.session() as s:
        doc = to_index_doc(s.get(Judgment, first.hits[0].id))
    backend.delete([doc["id"]])
    try:
        after = backend.search("结果:败诉", page=1, size=5)
        assert after.total == first.total - 1
        assert sum(f.count for f in after.facets["outcome"]) == first.total - 1
    finally:
        backend.index([doc])


def test_a_writer_held_elsewhere_makes_index_wait_then_fail_clearly(
    indexed: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN another writer holds the index lock WHEN indexing THEN it waits, then raises BackendUnavailable
    (the pipeline records "not indexed"); searches meanwhile still answer."""
    import search.embedded as embedded
    from search.errors import BackendUnavailable

    settings, db, backend, _corpus_of = indexed
    monkeypatch.setattr(embedded, "LOCK_WAIT_S", 0.5)
    other = EmbeddedBackend(settings.index_dir)
    holder = other._open().writer(heap_size=20_000_000, num_threads=1)
    try:
        with db.session() as s:
            doc = to_index_doc(s.get(Judgment, 2))
        with pytest.raises(BackendUnavailable) as info:
            backend.index([doc])
        assert "其他进程" in info.value.message_zh
        assert backend.search("结果:败诉").total > 0
    finally:
        holder.rollback()
        holder.wait_merging_threads()
    backend.index([doc])
