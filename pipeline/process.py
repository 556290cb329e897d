"""The ingestion pipeline, in the order it runs:

keep the original → detect duplicates → read (``ingest.read``) → understand (``ingest.parse``) →
classify (``classify``) → store (one transaction) → index (after the commit).

Every input ends in exactly one status (stored, linked, duplicate, rejected) and its original bytes are
kept whatever happens. Reading and understanding are pure library calls; this module does the I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import pipeline.linking as linking
from classify.types import Classification
from core.db import Database
from core.models import Document, IndexOutbox, Judgment
from core.settings import Settings
from core.store import refresh_judgment
from core.taxonomy import DocumentStatus, RejectReason
from ingest.errors import Rejected
from ingest.record import FileKind, JudgmentRecord, ReadDocument, ReadLimits
from pipeline.indexing import index_judgments

log = logging.getLogger(__name__)

# A judgment read from several documents keeps the record of the best one.
_KIND_RANK = {
    FileKind.text_pdf: 3,
    FileKind.docx: 3,
    FileKind.html: 2,
    FileKind.text: 2,
    FileKind.scan_pdf: 1,
}


@dataclass
class IngestResult:
    path: str
    status: DocumentStatus
    reason: RejectReason | None = None
    warnings: list[str] = field(default_factory=list)
    message: str | None = None
    judgment_id: int | None = None
    document_id: int | None = None
    file_kind: str | None = None
    # What was read from this file alone (None when rejected or a duplicate): used by `anjian eval`.
    record: JudgmentRecord | None = None
    classification: Classification | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status.value,
            "reason": self.reason.value if self.reason else None,
            "warnings": self.warnings,
            "message": self.message,
            "judgment_id": self.judgment_id,
            "document_id": self.document_id,
        }


@dataclass(frozen=True)
class Received:
    """A file whose original is kept and which is not a copy of one already stored."""

    shown: str
    digest: str
    filename: str
    stored_path: str
    size: int
    ingest_key: str | None


@dataclass
class Analysed:
    """What the pure stages made of one file."""

    read: ReadDocument
    record: JudgmentRecord
    classification: Classification | None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keep_original(settings: Settings, data: bytes, digest: str, filename: str) -> str:
    """Write the bytes content-addressed under originals/ (atomically); return the relative path."""
    suffix = Path(filename).suffix.lower()[:10]
    rel = f"{digest[:2]}/{digest}{suffix}"
    target = settings.originals_dir / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:  # a full disk, an interruption: nothing half-written stays behind
            Path(tmp).unlink(missing_ok=True)
            raise
    return rel


def is_disk_full(exc: BaseException) -> bool:
    """A write failed for want of space: ENOSPC/EDQUOT from the file system, or SQLite's 'disk is full'."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "database or disk is full" in text or "no space left" in text


def keep_original_stream(
    settings: Settings, fh: BinaryIO, filename: str, max_bytes: int
) -> tuple[str, str, int]:
    """Copy a file object (an upload spooled to disk) content-addressed under originals/ without holding
    it in memory: at most ``max_bytes + 1`` bytes (enough for the reader to say it is too long).
    Returns (relative path, sha256, size). A failed write leaves no temp file behind."""
    suffix = Path(filename).suffix.lower()[:10]
    settings.originals_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=settings.originals_dir, prefix=".tmp-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            while size <= max_bytes and (chunk := fh.read(min(1 << 20, max_bytes + 1 - size))):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        hexdigest = digest.hexdigest()
        rel = f"{hexdigest[:2]}/{hexdigest}{suffix}"
        target = settings.originals_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return rel, hexdigest, size


def judgment_title(record: JudgmentRecord) -> str:
    """The way case lists name a judgment: 牛德敏诉承德市人力资源和社会保障局工伤认定二审行政判决书."""
    printed = (record.title or "").replace(" ", "")
    if len(printed) > 8:  # a real title, not just the heading 行政判决书
        return printed
    parties = "、".join(record.plaintiffs[:2]) or "、".join(record.applicants[:1])
    against = "、".join(record.defendants[:2]) or "、".join(record.respondents[:1])
    cause = (record.cause_of_action or "").removesuffix("一案")
    stage = (
        record.procedure.zh
        if record.procedure and record.procedure.value in ("first", "appeal", "retrial")
        else ""
    )
    kind = f"行政{record.doc_kind.zh}" if record.doc_kind else "行政裁判文书"
    if parties and against:
        return f"{parties}诉{against}{cause}{stage}{kind}"
    return f"{record.court or ''}{record.case_no or ''}{kind}"


def read_limits(settings: Settings, **overrides: Any) -> ReadLimits:
    """The reading limits configured in :class:`core.settings.Settings` (``ANJIAN_MAX_PAGES`` …)."""
    values: dict[str, Any] = {
        "max_pages": settings.max_pages,
        "max_bytes": settings.max_file_mb * 1024 * 1024,
        "parse_timeout_s": settings.parse_timeout_s,
        "ocr_timeout_s": settings.ocr_timeout_s,
        "ocr_lang": settings.ocr_lang,
        "ocr_dpi": settings.ocr_dpi,
        "ocr_threads": settings.ocr_threads,
        "pdf_reader": settings.pdf_reader,
        "max_memory_mb": settings.max_memory_mb,
        "max_unzipped_bytes": settings.max_unzipped_mb * 1024 * 1024,
        "max_chars": settings.max_text_chars,
    }
    values.update(overrides)
    return ReadLimits(**values)


class Pipeline:
    """Ingests files into one store. Build once (it loads the classifier model once) and reuse."""

    def __init__(self, db: Database, settings: Settings, *, index: bool = True, classify: bool = True):
        self.db = db
        self.settings = settings
        self._index = index
        self._classify = classify
        self._model: Any = None
        self._model_loaded = False
        self._backend: Any = None
        from ingest.sandbox import preload
        from pipeline.analysis import SANDBOX_MODULES

        # sandbox children start with these imported (the tokenizer and the model are loaded in a child
        # when it first parses: loaded in the forkserver they made every child, also a 600 MB one reading
        # HTML, too large to receive a 30 MB file)
        preload(*SANDBOX_MODULES)

    # -- the stages that are library calls ------------------------------------------------------
    # Pages of one scan OCR'd at once (each in its own sandbox); `anjian ingest` sets it to its --jobs.
    ocr_parallel = 1

    def read_limits(self) -> ReadLimits:
        return read_limits(self.settings, ocr_parallel=self.ocr_parallel)

    def read(
        self, data: bytes, filename: str, *, ocr_cache: Any = None, progress: Any = None
    ) -> ReadDocument:
        from ingest.read import read_bytes

        return read_bytes(data, filename, self.read_limits(), ocr_cache=ocr_cache, progress=progress)

    def understand(self, read: ReadDocument) -> JudgmentRecord:
        from ingest.parse import parse_text

        return parse_text(read.text, read.furniture)

    def classifier_model(self) -> Any:
        """This installation's trained model (data_dir/models or ANJIAN_MODEL_PATH), else the shipped one."""
        if not self._model_loaded:
            from classify import load_model_for

            self._model = load_model_for(self.settings)
            self._model_loaded = True
        return self._model

    def reload_model(self) -> None:
        """Use a newly trained model from the next file on."""
        self._model_loaded = False
        self._model = None

    def classify(self, record: JudgmentRecord) -> Classification | None:
        if not self._classify:
            return None
        from classify import classify_record, thresholds_for

        return classify_record(record, self.classifier_model(), thresholds_for(self.settings))

    # -- the whole file -----------------------------------------------------------------------
    def ingest_path(
        self,
        path: Path,
        *,
        filename: str | None = None,
        ingest_key: str | None = None,
        ocr_cache: Any = None,
        progress: Any = None,
        index: bool | None = None,
    ) -> IngestResult:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FileNotFoundError(f"无法读取文件 {path}: {exc}") from exc
        return self.ingest_bytes(
            data,
            filename or path.name,
            shown_path=str(path),
            ingest_key=ingest_key,
            ocr_cache=ocr_cache,
            progress=progress,
            index=index,
        )

    def ingest_bytes(
        self,
        data: bytes,
        filename: str,
        *,
        shown_path: str | None = None,
        ingest_key: str | None = None,
        ocr_cache: Any = None,
        progress: Any = None,
        index: bool | None = None,
    ) -> IngestResult:
        """``ocr_cache``/``progress``: passed to the reader (see ``ingest.pdf_read.read_pdf``);
        ``index=False``: the caller indexes the stored judgment itself (a batch, in one commit)."""
        received = self.receive(data, filename, shown_path=shown_path, ingest_key=ingest_key)
        if isinstance(received, IngestResult):
            return received
        try:
            analysed = self.analyse(data, filename, ocr_cache=ocr_cache, progress=progress)
        except Rejected as rej:
            return self.reject(received, rej)
        return self.commit(received, analysed, index=index)

    def receive(
        self, data: bytes, filename: str, *, shown_path: str | None = None, ingest_key: str | None = None
    ) -> Received | IngestResult:
        """Keep the original and look for an earlier copy: the file as received, or its final result
        when it was seen before (the same job, the same bytes)."""
        shown = shown_path or filename
        if ingest_key is not None:
            earlier = self._result_for_key(ingest_key, shown)
            if earlier is not None:
                return earlier
        digest = sha256_of(data)
        stored_path = keep_original(self.settings, data, digest, filename)
        duplicate = self._duplicate_of_stored(shown, digest, filename, stored_path, len(data), ingest_key)
        if duplicate is not None:
            return duplicate
        return Received(shown, digest, filename, stored_path, len(data), ingest_key)

    def analyse(self, data: bytes, filename: str, *, ocr_cache: Any = None, progress: Any = None) -> Analysed:
        """The pure stages: read, understand, classify (raises ``Rejected``). No database, no disk.
        Understanding and classifying run in the calling thread's sandbox child, like the reading, so
        several threads analyse several files at once (``pipeline.analysis``)."""
        read = self.read(data, filename, ocr_cache=ocr_cache, progress=progress)
        record, classification = self.understand_and_classify(read)
        return Analysed(read, record, classification)

    def understand_and_classify(self, read: ReadDocument) -> tuple[JudgmentRecord, Classification | None]:
        """:meth:`understand` and :meth:`classify` in the sandbox (time and memory capped). Should the
        child fail for another reason than the text, both run here as before."""
        from ingest.sandbox import SandboxCrash, SandboxMemoryError, SandboxTimeout, run_limited
        from pipeline.analysis import model_ref, understand_and_classify

        limits = self.read_limits()
        thresholds = None
        if self._classify:
            from classify import thresholds_for

            thresholds = thresholds_for(self.settings)
        ref = model_ref(self.settings) if self._classify else None
        try:
            record, classification = run_limited(
                understand_and_classify,
                (read.text, list(read.furniture), ref, thresholds),
                timeout_s=limits.parse_timeout_s,
                memory_mb=limits.max_memory_mb,
            )
        except (SandboxTimeout, SandboxMemoryError) as exc:
            raise Rejected(
                RejectReason.timeout,
                f"分析文书内容超过 {limits.parse_timeout_s:.0f} 秒或超出内存上限，已中止；文本可能过长或异常。",
            ) from exc
        except SandboxCrash:
            log.warning("understanding in the sandbox failed; understanding in this process", exc_info=True)
            record = self.understand(read)
            return record, self.classify(record)
        return record, classification

    def reject(self, received: Received, rej: Rejected) -> IngestResult:
        r = received
        return self._store_rejection(r.shown, r.digest, r.filename, r.stored_path, r.size, r.ingest_key, rej)

    def commit(self, received: Received, analysed: Analysed, *, index: bool | None = None) -> IngestResult:
        """Store what was read (one transaction), then index it unless ``index`` is False (a batch
        indexes its judgments together)."""
        r = received
        store_args = (
            r.shown,
            r.digest,
            r.filename,
            r.stored_path,
            r.size,
            r.ingest_key,
            analysed.read,
            analysed.record,
            analysed.classification,
        )
        try:
            result = self._store_judgment(*store_args)
        except IntegrityError:
            # Another worker committed the same job, the same bytes or the same judgment a moment ago:
            # look again, then this file is a duplicate, or linked to that judgment.
            earlier = self._result_for_key(r.ingest_key, r.shown) if r.ingest_key is not None else None
            result = (
                earlier
                or self._duplicate_of_stored(
                    r.shown, r.digest, r.filename, r.stored_path, r.size, r.ingest_key
                )
                or self._store_judgment(*store_args)
            )
        if (self._index if index is None else index) and result.judgment_id is not None:
            if not self.index_judgments([result.judgment_id]):
                result.warnings.append("not_indexed")
        return result

    # -- storing --------------------------------------------------------------------------------
    def _duplicate_of_stored(
        self, shown: str, digest: str, filename: str, stored_path: str, size: int, ingest_key: str | None
    ) -> IngestResult | None:
        """Record a file whose bytes were already stored or linked as a duplicate of that document."""
        with self.db.session() as s:
            original = s.scalars(
                select(Document)
                .where(Document.sha256 == digest, Document.status.in_(["stored", "linked"]))
                .order_by(Document.id)
                .limit(1)
            ).first()
            if original is not None:
                doc = self._new_document(s, digest, filename, stored_path, size, ingest_key)
                doc.status = DocumentStatus.duplicate.value
                doc.duplicate_of_id = original.id
                doc.judgment_id = original.judgment_id
                if original.judgment_id is not None:  # the index is checked for it again (it may lack it)
                    s.add(IndexOutbox(judgment_id=original.judgment_id))
                doc.file_kind = original.file_kind
                doc.message = f"与已入库文件（文档 {original.id}）内容相同，未重复入库"
                s.flush()
                return IngestResult(
                    shown,
                    DocumentStatus.duplicate,
                    message=doc.message,
                    judgment_id=doc.judgment_id,
                    document_id=doc.id,
                    file_kind=doc.file_kind,
                )
        return None

    def _new_document(
        self, s: Session, digest: str, filename: str, stored_path: str, size: int, ingest_key: str | None
    ) -> Document:
        doc = Document(
            sha256=digest,
            filename=filename[:500],
            stored_path=stored_path,
            size=size,
            status=DocumentStatus.rejected.value,
            warnings=[],
            pages=[],
            ingest_key=ingest_key,
        )
        s.add(doc)
        return doc

    def _store_rejection(
        self,
        shown: str,
        digest: str,
        filename: str,
        stored_path: str,
        size: int,
        ingest_key: str | None,
        rej: Rejected,
    ) -> IngestResult:
        with self.db.session() as s:
            doc = self._new_document(s, digest, filename, stored_path, size, ingest_key)
            doc.reason = rej.reason.value
            doc.message = rej.message
            doc.warnings = list(rej.warnings)
            s.flush()
            doc_id = doc.id
        return IngestResult(
            shown,
            DocumentStatus.rejected,
            reason=rej.reason,
            warnings=list(rej.warnings),
            message=rej.message,
            document_id=doc_id,
        )

    def _store_judgment(
        self,
        shown: str,
        digest: str,
        filename: str,
        stored_path: str,
        size: int,
        ingest_key: str | None,
        read: ReadDocument,
        record: JudgmentRecord,
        classification: Classification | None,
    ) -> IngestResult:
        with self.db.session() as s:
            doc = self._new_document(s, digest, filename, stored_path, size, ingest_key)
            doc.file_kind = read.kind.value
            doc.warnings = list(read.warnings)
            doc.pages = [p.model_dump(mode="json") for p in read.pages]
            doc.text = read.text
            judgment, note = None, None
            if record.case_no:
                candidates = s.scalars(
                    select(Judgment)
                    .where(
                        Judgment.case_no == record.case_no,
                        Judgment.doc_kind == (record.doc_kind.value if record.doc_kind else None),
                    )
                    .order_by(Judgment.id)
                ).all()
                judgment, note = linking.choose(candidates, record)
            if judgment is None:
                # a new judgment has no corrections: said here, refresh_judgment does not query for them
                judgment = Judgment(record={}, loss_causes=[], defendants=[], plaintiffs=[], corrections=[])
                s.add(judgment)
                status = DocumentStatus.stored
                self._set_record(judgment, record, classification)
                judgment.link_key = linking.link_key(judgment.case_no, judgment.doc_kind, judgment.court)
                if note is not None:  # a collision: a key of its own, and a reviewer is asked
                    judgment.link_key = f"{judgment.link_key}|{digest[:16]}"[:400]
                    judgment.review_note = note
            else:
                status = DocumentStatus.linked
                primary = (
                    s.get(Document, judgment.primary_document_id) if judgment.primary_document_id else None
                )
                if primary is None or _KIND_RANK.get(read.kind, 0) > _KIND_RANK.get(
                    FileKind(primary.file_kind) if primary.file_kind else FileKind.scan_pdf, 0
                ):
                    if primary is None or linking.may_replace(judgment, record):
                        self._set_record(judgment, record, classification)
                        judgment.primary_document_id = None  # set below, after flush
                    else:
                        judgment.review_note = (
                            f"新文件“{filename[:60]}”比现有记录更清晰，但其中的行政机关当事人与现有记录不同，"
                            "未替换现有记录（可查看该案件的机关不变）。请人工核对后决定是否采用。"
                        )
            doc.status = status.value
            s.flush()
            doc.judgment_id = judgment.id
            if judgment.primary_document_id is None:
                judgment.primary_document_id = doc.id
            refresh_judgment(judgment)
            s.flush()
            s.add(IndexOutbox(judgment_id=judgment.id))  # same transaction: the index can never miss it
            message = (
                f"已入库：{record.case_no or '（无案号）'}"
                if status == DocumentStatus.stored
                else f"已关联到已有裁判文书 {record.case_no}（判决 {judgment.id}）"
            )
            if note is not None:
                message += "；案号与其他法院或当事人的判决相同，已标记待复核"
            doc.message = message
            result = IngestResult(
                shown,
                status,
                warnings=list(read.warnings),
                message=message,
                judgment_id=judgment.id,
                document_id=doc.id,
                file_kind=read.kind.value,
                record=record,
                classification=classification,
            )
        return result

    @staticmethod
    def _set_record(
        judgment: Judgment, record: JudgmentRecord, classification: Classification | None
    ) -> None:
        judgment.record = record.model_dump(mode="json")
        judgment.classification = classification.model_dump(mode="json") if classification else None
        judgment.case_no = record.case_no
        judgment.doc_kind = record.doc_kind.value if record.doc_kind else None
        judgment.procedure = record.procedure.value if record.procedure else None
        judgment.court = record.court
        judgment.title = judgment_title(record)[:500]
        judgment.judgment_date = dt.date.fromisoformat(record.judgment_date) if record.judgment_date else None
        judgment.plaintiffs = list(record.plaintiffs)
        judgment.defendants = list(record.defendants)
        judgment.agency_head_appeared = record.agency_head_appeared

    def _result_for_key(self, ingest_key: str, shown: str) -> IngestResult | None:
        with self.db.session() as s:
            doc = s.scalars(select(Document).where(Document.ingest_key == ingest_key)).first()
            if doc is None:
                return None
            return IngestResult(
                shown,
                DocumentStatus[doc.status],
                reason=RejectReason[doc.reason] if doc.reason else None,
                warnings=list(doc.warnings or []),
                message=doc.message,
                judgment_id=doc.judgment_id,
                document_id=doc.id,
                file_kind=doc.file_kind,
            )

    # -- after the commit -----------------------------------------------------------------------
    def search_backend(self) -> Any:
        if self._backend is None:
            from search import open_backend

            self._backend = open_backend(self.settings)
        return self._backend

    def index_judgments(self, judgment_ids: list[int]) -> bool:
        return index_judgments(self.db, self.search_backend(), judgment_ids)
