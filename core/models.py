"""Every table of the store, on one ``Base`` (the migration environment sees them all from here).

One module per area: judgments and documents; accounts; the agency registry; the statistics' case book;
the supervision workflow; jobs and batches.
"""

from core.tables.accounts import ApiToken, AuditEntry, Role, User, WebSession
from core.tables.casebook import (
    Benchmark,
    CaseReconsideration,
    CaseUnit,
    CaseUnitAgency,
    CaseUnitCause,
    CaseUnitJudgment,
    CaseUnitNorm,
    ReportState,
)
from core.tables.collections import AccountabilityCase, CollectionDraft, DraftCase, LessonMeeting
from core.tables.feedback import SimilarFeedback
from core.tables.jobs import Batch, Job, JobKind, JobState, MaintenanceRun, OcrPageRow, Queue
from core.tables.judgments import Base, Correction, Document, IndexOutbox, JsonType, Judgment
from core.tables.registry import Agency, AgencyAlias, UnmatchedDefendant
from core.tables.suits import (
    ReminderPrefs,
    ReminderSent,
    Suit,
    SuitAgency,
    SuitAttachment,
    SuitDiscussion,
    SuitJudgment,
    SuitMeasure,
)
from core.tables.supervision import KeyTargetChoice, LedgerEntry

__all__ = [
    "AccountabilityCase",
    "CollectionDraft",
    "DraftCase",
    "LessonMeeting",
    "Agency",
    "AgencyAlias",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Batch",
    "Benchmark",
    "CaseReconsideration",
    "CaseUnit",
    "CaseUnitAgency",
    "CaseUnitJudgment",
    "CaseUnitCause",
    "CaseUnitNorm",
    "Correction",
    "Document",
    "IndexOutbox",
    "Job",
    "JobKind",
    "JobState",
    "JsonType",
    "KeyTargetChoice",
    "Judgment",
    "LedgerEntry",
    "MaintenanceRun",
    "OcrPageRow",
    "Queue",
    "ReminderPrefs",
    "ReminderSent",
    "ReportState",
    "Role",
    "SimilarFeedback",
    "Suit",
    "SuitAgency",
    "SuitAttachment",
    "SuitDiscussion",
    "SuitJudgment",
    "SuitMeasure",
    "UnmatchedDefendant",
    "WebSession",
    "User",
]
