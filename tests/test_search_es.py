"""The Elasticsearch engine against a LIVE server: the same corpus and the same shared table as the
embedded engine. Runs only when ANJIAN_ES_URL is set (the docker-compose stack starts one); otherwise
every test here is skipped with the reason printed in the -ra summary. No fake server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import Database
from core.settings import load_settings
from pipeline.corpus import store_corpus
from pipeline.indexing import reindex_from_db
from search import open_backend
from search.evaluation import (
    conformance_failures,
    load_corpus,
    quality_table,
    run_table,
    summary,
)

ES_URL = os.environ.get("ANJIAN_ES_URL")

live = pytest.mark.skipif(
    not ES_URL,
    reason="ELASTICSEARCH TESTS NOT RUN: set ANJIAN_ES_URL to a live Elasticsearch "
    "8.x (e.g. `docker compose up -d elasticsearch`, "
    "ANJIAN_ES_URL=http://127.0.0.1:9200)",
)


def test_unreachable_server_is_a_search_error_with_a_chinese_message() -> None:
    """GIVEN an ES URL where nothing listens WHEN searching THEN BackendUnavailable (→ 503 in the API), not a crash."""
    from search.errors import BackendUnavailable
    from search.es import ElasticsearchBackend

    backend = ElasticsearchBackend("http://127.0.0.1:9", "anjian-nowhere", request_timeout=2)
    with pytest.raises(BackendUnavailable) as info:
        backend.search("强制拆除")
    assert "无法连接检索服务" in info.value.message_zh


@pytest.fixture(scope="module")
def es_indexed(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[tuple]:
    from search.es import ElasticsearchBackend

    alias = f"anjian-test-{uuid.uuid4().hex[:8]}"
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("es") / "data", database_url=None, es_url=ES_URL, es_index=alias
    )
    db = Database(settings)
    judgments, labels = load_corpus(corpus_dir)
    corpus_of = store_corpus(db, judgments, labels)
    backend = open_backend(settings)
    assert isinstance(backend, ElasticsearchBackend)
    assert reindex_from_db(db, backend) == len(corpus_of)
    yield settings, db, backend, corpus_of, judgments, labels
    backend.drop_all()
    db.dispose()


@live
@pytest.mark.elasticsearch
def test_shared_table_passes_on_elasticsearch(es_indexed: tuple) -> None:
    _settings, _db, backend, corpus_of, judgments, labels = es_indexed
    assert conformance_failures(backend, corpus_of, judgments, labels) == []
    result = summary(run_table(backend, quality_table(judgments, labels), corpus_of))
    print("elasticsearch quality:", result)
    assert result["by_kind"]["label"]["recall"] == 1.0


@live
@pytest.mark.elasticsearch
def test_reindex_swaps_the_alias_atomically(es_indexed: tuple) -> None:
    settings, db, backend, corpus_of, *_ = es_indexed
    before = set(backend.client.indices.get_alias(name=settings.es_index))
    assert reindex_from_db(db, backend) == len(corpus_of)
    after = set(backend.client.indices.get_alias(name=settings.es_index))
    assert len(after) == 1 and after != before
    assert not backend.client.indices.exists(index=",".join(before))
    assert backend.count() == len(corpus_of)


@live
@pytest.mark.elasticsearch
def test_upsert_and_delete(es_indexed: tuple) -> None:
    from core.models import Judgment
    from search import to_index_doc

    _settings, db, backend, corpus_of, *_ = es_indexed
    with db.session() as s:
        doc = to_index_doc(s.get(Judgment, 1))
    doc["text"] += "\n附：测试专用词甲乙丙丁戊。"
    backend.index([doc])  # no refresh per document: searchable after the (batched) refresh
    backend.refresh()
    assert [h.id for h in backend.search("甲乙丙丁戊").hits] == [1]
    backend.delete([1])
    backend.refresh()
    assert backend.count() == len(corpus_of) - 1
    with db.session() as s:
        backend.index([to_index_doc(s.get(Judgment, 1))])
    backend.refresh()
    assert backend.count() == len(corpus_of)


@live
@pytest.mark.elasticsearch
def test_two_processes_creating_the_first_index_leave_one_index_with_its_write_alias() -> None:
    """GIVEN no index WHEN two backends create the first one at the same moment THEN one index, the alias on
    it as write index, and both can write."""
    import threading

    from search.es import ElasticsearchBackend

    alias = f"anjian-race-{uuid.uuid4().hex[:8]}"
    a, b = ElasticsearchBackend(ES_URL or "", alias), ElasticsearchBackend(ES_URL or "", alias)
    try:
        threads = [threading.Thread(target=x.count) for x in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        aliases = a.client.indices.get_alias(name=alias).body
        assert len(aliases) == 1
        (body,) = aliases.values()
        assert body["aliases"][alias].get("is_write_index") is True
        a.index([{"id": 1, "text": "甲乙丙", "reasoning_spans": []}])
        a.refresh()
        assert b.count() == 1
    finally:
        a.drop_all()


@live
@pytest.mark.elasticsearch
def test_source_is_trimmed_and_similar_takes_a_size_and_exclusions(es_indexed: tuple) -> None:
    _settings, _db, backend, corpus_of, *_ = es_indexed
    jid = next(iter(corpus_of))
    doc = backend.client.get(index=backend.alias, id=str(jid)).body
    assert set(doc["_source"]) <= {"id", "stored"}
    first = backend.similar(jid, size=3)
    assert 0 < len(first.hits) <= 3 and all(h.id != jid for h in first.hits)
    again = backend.similar(jid, size=3, exclude=[first.hits[0].id])
    assert first.hits[0].id not in {h.id for h in again.hits}


@live
@pytest.mark.elasticsearch
def test_an_index_of_another_segmenter_is_refused_and_errors_keep_the_one_shape() -> None:
    from search.errors import IndexOutdated, SearchError
    from search.es import ElasticsearchBackend, index_request

    alias = f"anjian-seg-{uuid.uuid4().hex[:8]}"
    backend = ElasticsearchBackend(ES_URL or "", alias)
    try:
        backend.client.indices.create(
            index=f"{alias}-v0-x", **index_request("another-segmenter", alias=alias)
        )
        with pytest.raises(IndexOutdated) as info:
            backend.search("强制拆除")
        assert "分词器" in info.value.message_zh
        gone = ElasticsearchBackend(ES_URL or "", f"anjian-missing-{uuid.uuid4().hex[:8]}")
        gone._checked = True  # skip creation: the alias does not exist → 404
        with pytest.raises(SearchError):
            gone.search("强制拆除")
    finally:
        backend.drop_all()
