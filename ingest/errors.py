"""Why a file was not turned into a judgment record."""

from __future__ import annotations

from core.taxonomy import RejectReason


class IngestError(Exception):
    """Base class of everything ingestion raises on purpose."""


class Rejected(IngestError):
    """The file cannot become a judgment record; ``reason`` is a RejectReason code, ``message`` Chinese."""

    def __init__(self, reason: RejectReason, message: str | None = None, warnings: list[str] | None = None):
        self.reason = reason
        self.message = message or reason.zh
        self.warnings = warnings or []
        super().__init__(f"{reason.value}: {self.message}")

    def __reduce__(self) -> tuple:  # type: ignore[type-arg]
        return (Rejected, (self.reason, self.message, self.warnings))  # across processes, whole
