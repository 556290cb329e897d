"""The requests the Elasticsearch backend builds, tested as pure functions (no server, no fake transport):
connection options, the mapping, bulk chunks by bytes, retries with back-off, the first index and the alias
swap, version checks and the mapping of every error status to the one error shape. Whether a live server
accepts them is tests/test_search_es.py (runs when ANJIAN_ES_URL is set)."""

from __future__ import annotations

import json

from core.segment import segmenter_id
from search.errors import BackendUnavailable, IndexOutdated, QuerySyntaxError
from search.es import (
    Busy,
    backoff_delays,
    bulk_action,
    bulk_body,
    bulk_chunks,
    bulk_outcome,
    bulk_send,
    client_options,
    delete_action,
    error_for,
    first_index_request,
    index_request,
    outdated_reason,
    similar_query,
    swap_actions,
    termvectors_request,
)
from search.schema import SCHEMA_VERSION, es_mappings


def test_tls_with_a_ca_file_and_api_key_or_basic_credentials() -> None:
    opts = client_options("https://es:9200", api_key="k", username="u", password="p", ca_file="/ca.pem")
    assert opts["hosts"] == ["https://es:9200"]
    assert opts["api_key"] == "k" and "basic_auth" not in opts  # one kind of credentials: the key wins
    assert opts["ca_certs"] == "/ca.pem" and opts["verify_certs"] is True
    assert 429 in opts["retry_on_status"] and opts["retry_on_timeout"] is True
    basic = client_options("https://es:9200", username="elastic", password="secret")
    assert basic["basic_auth"] == ("elastic", "secret") and "api_key" not in basic
    plain = client_options("http://es:9200")
    assert "ca_certs" not in plain and "basic_auth" not in plain and "api_key" not in plain


def test_source_keeps_only_what_a_hit_displays_and_meta_records_the_segmenter() -> None:
    m = es_mappings("seg-x")
    assert m["_source"] == {"includes": ["id", "stored"]}
    assert m["_meta"] == {"schema_version": SCHEMA_VERSION, "segmenter": "seg-x"}
    assert m["properties"]["statutes"]["type"] == "text"
    assert m["properties"]["parties_chars"]["index_options"] == "positions"
    assert m["properties"]["stored"] == {"type": "object", "enabled": False}


def test_first_index_is_deterministic_and_carries_its_alias_as_write_index() -> None:
    name, body = first_index_request("anjian-judgments", "seg")
    again, _ = first_index_request("anjian-judgments", "seg")
    assert name == again == f"anjian-judgments-v{SCHEMA_VERSION}-initial"  # a racing process makes the same
    assert body["aliases"] == {"anjian-judgments": {"is_write_index": True}}
    assert body["settings"]["refresh_interval"] == "1s"  # batched refresh, no wait_for per document
    loading = index_request("seg", loading=True)
    assert loading["settings"]["refresh_interval"] == "-1" and "aliases" not in loading


def test_alias_swap_is_one_call_that_moves_the_write_index() -> None:
    actions = swap_actions("a", ["a-v4-old2", "a-v4-old1"], "a-v4-new")
    assert actions == [
        {"remove": {"index": "a-v4-old1", "alias": "a"}},
        {"remove": {"index": "a-v4-old2", "alias": "a"}},
        {"add": {"index": "a-v4-new", "alias": "a", "is_write_index": True}},
    ]
    assert swap_actions("a", [], "a-v4-new") == [
        {"add": {"index": "a-v4-new", "alias": "a", "is_write_index": True}}
    ]


def _action(i: int, size: int) -> tuple[str, bytes]:
    return bulk_action("idx", {"id": i, "body": "字" * size, "none": None})


def test_bulk_lines_are_ndjson_upserts_and_deletes() -> None:
    doc_id, lines = _action(7, 3)
    head, body, end = lines.decode().split("\n")
    assert doc_id == "7" and end == ""
    assert json.loads(head) == {"index": {"_index": "idx", "_id": "7"}}
    assert json.loads(body) == {"id": 7, "body": "字字字"}  # None fields are left out
    assert json.loads(delete_action("idx", 9)[1]) == {"delete": {"_index": "idx", "_id": "9"}}
    assert bulk_body([_action(1, 1), _action(2, 1)]).count(b"\n") == 4


def test_bulk_chunks_are_sized_by_bytes_and_capped_in_documents() -> None:
    actions = [_action(i, 1000) for i in range(10)]  # ~3 KB each (UTF-8)
    size = len(actions[0][1])
    chunks = list(bulk_chunks(actions, max_bytes=3 * size, max_docs=100))
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    assert all(sum(len(a[1]) for a in c) <= 3 * size for c in chunks)
    assert [len(c) for c in bulk_chunks(actions, max_bytes=10**9, max_docs=4)] == [4, 4, 2]
    big = [_action(1, 10_000)]
    assert [len(c) for c in bulk_chunks(big, max_bytes=100)] == [1]  # an oversized document travels alone
    assert [a for c in bulk_chunks(actions, 3 * size) for a in c] == actions  # order and content kept


def test_bulk_outcome_retries_busy_items_and_reports_real_errors() -> None:
    chunk = [_action(i, 1) for i in range(4)]
    response = {
        "errors": True,
        "items": [
            {"index": {"status": 201}},
            {"index": {"status": 429, "error": {"reason": "rejected execution"}}},
            {"index": {"status": 400, "error": {"type": "mapper_parsing_exception", "reason": "bad field"}}},
            {"delete": {"status": 404}},  # deleting what is not there is done
        ],
    }
    done, retry, errors = bulk_outcome(chunk, response)
    assert done == 2 and retry == [chunk[1]] and errors == ["2: bad field"]


def test_one_429_does_not_abort_a_rebuild_it_is_retried_with_backoff() -> None:
    assert backoff_delays(6, 1.0, 30.0) == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    sent: list[list[str]] = []
    slept: list[float] = []
    answers = iter(
        [
            Busy(),  # the whole first request refused
            {"items": [{"index": {"status": 201}}, {"index": {"status": 429}}, {"index": {"status": 201}}]},
            {"items": [{"index": {"status": 201}}]},
        ]
    )

    def send(body: bytes) -> dict:
        sent.append([json.loads(line)["index"]["_id"] for line in body.splitlines()[::2]])
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    done, errors = bulk_send(send, [_action(i, 1) for i in range(3)], slept.append, delays=[1.0, 2.0, 4.0])
    assert (done, errors) == (3, [])
    assert sent == [["0", "1", "2"], ["0", "1", "2"], ["1"]]  # only the refused item is sent again
    assert slept == [1.0, 2.0]


def test_items_still_busy_after_every_retry_are_reported_not_lost_silently() -> None:
    done, errors = bulk_send(
        lambda body: {"items": [{"index": {"status": 429}}]},
        [_action(5, 1)],
        lambda s: None,
        delays=[1.0, 1.0],
    )
    assert done == 0 and errors == ["5: 多次重试后检索服务仍然繁忙"]


def test_schema_and_segmenter_are_both_checked() -> None:
    assert (
        outdated_reason({"schema_version": SCHEMA_VERSION, "segmenter": segmenter_id()}, segmenter_id())
        is None
    )
    old = outdated_reason({"schema_version": SCHEMA_VERSION - 1, "segmenter": segmenter_id()}, segmenter_id())
    assert old is not None and "anjian reindex" in old
    other = outdated_reason({"schema_version": SCHEMA_VERSION, "segmenter": "jieba+legal:0"}, segmenter_id())
    assert other is not None and "分词器" in other and "anjian reindex" in other


def test_every_error_status_becomes_the_one_error_shape() -> None:
    cases = {
        401: BackendUnavailable,
        403: BackendUnavailable,
        404: IndexOutdated,
        400: QuerySyntaxError,
        409: BackendUnavailable,
        413: BackendUnavailable,
        429: BackendUnavailable,
        418: BackendUnavailable,
        500: BackendUnavailable,
        503: BackendUnavailable,
    }
    for status, kind in cases.items():
        err = error_for(status, "some_exception", "why")
        assert type(err) is kind, status
        assert err.message_zh and any("\u4e00" <= c <= "\u9fff" for c in err.message_zh)
    assert "ANJIAN_ES_API_KEY" in error_for(401).message_zh
    assert "anjian reindex" in error_for(404, "index_not_found_exception").message_zh
    assert "太复杂" in error_for(400, "too_many_clauses", "maxClauseCount").message_zh


def test_similar_uses_an_artificial_document_and_excludes_itself_and_marked_cases() -> None:
    stored = {
        "text": "原告诉称：请求撤销认定工伤决定。经审理查明：职工在工作时间受伤。本院认为：认定工伤决定主要证据不足。",
        "gist": [[0, 50]],
        "claims": [[0, 14]],
        "sued_action": "《认定工伤决定书》",
        "cause_of_action": "工伤认定",
    }
    tv = termvectors_request(stored)
    assert set(tv["doc"]) == {"gist", "act"} and "认定" in tv["doc"]["gist"]
    assert tv["term_statistics"] is True and tv["fields"] == ["gist", "act"]
    q = similar_query(3, [("工伤", 1.0)], [("撤销", 0.5)], ["工伤保险条例|14"], exclude=[9, 3])
    assert q["bool"]["must_not"] == [{"terms": {"id": [3, 9]}}]
    assert {"term": {"statutes": {"value": "工伤保险条例|14", "boost": 0.6}}} in q["bool"]["should"]
    assert q["bool"]["minimum_should_match"] == 1


def test_compose_keeps_the_disk_flood_stage_protection_and_documents_max_map_count() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text("utf-8")
    assert "threshold_enabled" not in text  # the disk watermarks stay on (ES's default)
    assert "vm.max_map_count=262144" in text


def test_every_analysed_field_is_in_the_strict_mapping() -> None:
    """The mapping is ``dynamic: strict``: a field analyse() emits but the mapping lacks would reject every
    document of a rebuild."""
    from search.analysis import analyse

    doc = {
        "id": 1,
        "case_no": "（2014）郑行初字第15号",
        "text": "原告诉称……本院认为，依照《中华人民共和国行政诉讼法》第七十条第（一）项之规定。",
        "reasoning_spans": [(6, 40)],
        "gist_sections": [(0, 6, "claims")],
        "gist_spans": [(0, 6)],
        "citations": [{"law": "中华人民共和国行政诉讼法", "article": 70, "paragraph": None, "item": 1}],
        "plaintiffs": ["张某"],
        "defendants": ["某县人民政府"],
        "respondents": ["李某"],
        "judgment_date": "2014-05-06",
        "outcome": "agency_lost",
        "loss_causes": ["procedure"],
        "evidence": {"procedure": [6, 40]},
        "sued_action": "《强制拆除决定书》",
        "cause_of_action": "行政强制",
    }
    fields = analyse(doc)
    mapped = set(es_mappings("seg")["properties"])
    assert set(fields) <= mapped, set(fields) - mapped
    assert "行政诉讼法|70|i1" in fields["statutes"].split()
    assert fields["stored"]["statutes"] == ["行政诉讼法|70"]
