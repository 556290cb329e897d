"""Feedback on 类案, recorded by the application layer (``search/`` never writes to the store).

A user marks a suggested case "not similar" on the case page (or through the API); the pair is stored in
``similar_feedback`` and, from then on, neither case is offered as a 类案 of the other — to anyone. That is
what the ranking learns: :func:`not_similar_ids` is passed to ``backend.similar(..., exclude=…)``.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.models import Judgment, SimilarFeedback


class FeedbackError(ValueError):
    """The mark cannot be recorded; ``message_zh`` says why."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


def mark_not_similar(s: Session, judgment_id: int, other_id: int, username: str = "") -> bool:
    """Record that ``other_id`` is not a 类案 of ``judgment_id``. True when new, False when already marked by
    this user. The caller commits (the session's transaction)."""
    if judgment_id == other_id:
        raise FeedbackError("不能把案件标记为与它自己不相似。")
    for jid in (judgment_id, other_id):
        if s.get(Judgment, jid) is None:
            raise FeedbackError(f"找不到编号为 {jid} 的案件。")
    exists = s.scalar(
        select(SimilarFeedback.id).where(
            SimilarFeedback.judgment_id == judgment_id,
            SimilarFeedback.other_id == other_id,
            SimilarFeedback.username == (username or ""),
        )
    )
    if exists is not None:
        return False
    s.add(SimilarFeedback(judgment_id=judgment_id, other_id=other_id, username=username or ""))
    s.flush()
    return True


def not_similar_ids(s: Session, judgment_id: int) -> set[int]:
    """Cases marked "not similar" to ``judgment_id`` by anyone, either way round."""
    rows = s.execute(
        select(SimilarFeedback.judgment_id, SimilarFeedback.other_id).where(
            or_(SimilarFeedback.judgment_id == judgment_id, SimilarFeedback.other_id == judgment_id)
        )
    )
    return {b if a == judgment_id else a for a, b in rows}
