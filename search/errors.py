"""Errors of the search package. Each carries a message for the user, in Chinese."""

from __future__ import annotations


class SearchError(Exception):
    """Base class: ``message_zh`` is what the user sees."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


class QuerySyntaxError(SearchError):
    """The query text cannot be understood (unbalanced quotes or brackets, unknown field, bad range)."""

    def __init__(self, message_zh: str, position: int | None = None):
        super().__init__(message_zh)
        self.position = position


class IndexOutdated(SearchError):
    """The index on disk was built with another schema or segmenter: run ``anjian reindex``."""


class BackendUnavailable(SearchError):
    """The search engine cannot be reached (Elasticsearch down, index locked for too long)."""


def segmenter_changed(recorded: object) -> str:
    """The message when the index was segmented otherwise than this process would segment queries."""
    from core.segment import segmenter_id

    return (
        f"检索索引的分词器（{recorded}）与当前分词器（{segmenter_id()}）不同，词语对不上，"
        "请运行 anjian reindex 重建索引。"
    )
