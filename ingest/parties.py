"""Parties and their roles (plaintiffs, defendants, third parties, applicants), aliases, agency head."""

from __future__ import annotations

from ingest.record import FirstInstance, JudgmentRecord


def fill_parties(record: JudgmentRecord, norm: str, offsets: list[int]) -> None:
    return None


def operative_orders(operative: str) -> list[str]:
    return []


def first_instance(record: JudgmentRecord, norm: str) -> FirstInstance | None:
    return None
