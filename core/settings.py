"""One typed settings object, read from ``ANJIAN_*`` environment variables.

Build it once at the edge (CLI, API start-up, worker start-up) with :func:`load_settings`
and pass it down. Library code (``ingest``, ``classify``) never imports a global settings.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANJIAN_", env_file=None, extra="ignore")

    # --- where things live -------------------------------------------------------------
    data_dir: Path = Field(
        Path("anjian-data"), description="Originals, the default SQLite file, the search index and models."
    )
    database_url: str | None = Field(None, description="SQLAlchemy URL; default: an SQLite file in data_dir.")
    environment: Environment = Field(
        Environment.development, description="'production' refuses unsafe defaults."
    )

    # --- ingestion limits ---------------------------------------------------------------
    max_pages: int = Field(200, description="Documents with more pages are rejected as too_long.")
    max_file_mb: int = Field(100, description="Files larger than this are rejected as too_long.")
    parse_timeout_s: float = Field(120.0, description="Wall-clock limit for reading one file (text layer).")
    ocr_timeout_s: float = Field(60.0, description="Wall-clock limit for OCR of one page.")
    max_memory_mb: int = Field(
        1024, description="Memory (address space) one parsing sandbox may use; suits a 2 GB machine."
    )
    max_unzipped_mb: int = Field(
        64, description="A Word file whose parts inflate past this is refused as a decompression bomb."
    )
    max_text_chars: int = Field(
        1_000_000,
        description="A file whose text is longer than this many characters is rejected as too_long.",
    )
    max_upload_mb: int = Field(
        1024, description="Total size of one upload request (all its files); larger requests are refused."
    )
    max_page_pixels: int = Field(
        2000, description="Longest side in pixels of a page image shown in the browser (scaled down to fit)."
    )
    ocr_lang: str = Field("chi_sim", description="Tesseract language model.")
    ocr_dpi: int = Field(300, description="Resolution at which image pages are rendered for OCR.")
    ocr_range_pages: int = Field(
        3, description="A long scan is OCR'd in ranges of this many pages across workers (0: off)."
    )
    ocr_range_threshold: int = Field(
        6, description="Only scans with more pages than this are cut into OCR ranges."
    )
    ocr_threads: int = Field(
        1, description="OMP_THREAD_LIMIT for Tesseract (1 is fastest per page on 2 cores)."
    )
    pdf_reader: Literal["pdfium", "pdfplumber"] = Field(
        "pdfium",
        description="Text-layer reader: pdfium (fast; hands a file to pdfplumber by itself when needed) or pdfplumber.",
    )

    # --- classification -----------------------------------------------------------------
    model_path: Path | None = Field(
        None, description="Trained classifier artefact; default: data_dir/models, then the shipped one."
    )
    cause_threshold: float = Field(
        0.5, description="Model probability above which a loss cause is tagged without a rule."
    )
    training_corpus: Path | None = Field(
        None,
        description="Labelled corpus (shared/corpus format) that retraining adds the reviewers' corrections to.",
    )
    rule_min_strength: float = Field(
        0.5, description="Rule strength at or above which a rule tag stands on its own."
    )

    # --- search ---------------------------------------------------------------------------
    es_url: str | None = Field(None, description="Elasticsearch URL; unset: the embedded index in data_dir.")
    es_index: str = Field("anjian-judgments", description="Alias name of the live Elasticsearch index.")
    es_api_key: str | None = Field(None, description="Elasticsearch API key, if the cluster wants one.")
    es_username: str | None = Field(
        None, description="Elasticsearch basic-auth user (instead of an API key)."
    )
    es_password: str | None = Field(None, description="Password of es_username.")
    es_ca_file: Path | None = Field(
        None, description="CA certificate (PEM) that signed the Elasticsearch server's HTTPS certificate."
    )
    es_timeout_s: float = Field(30.0, description="Elasticsearch request timeout in seconds.")

    # --- background work ----------------------------------------------------------------
    broker_url: str | None = Field(
        None, description="Celery broker (redis://…); unset: in-process background worker."
    )
    result_backend: str | None = Field(None, description="Celery result backend; default: the broker URL.")
    embedded_workers: int = Field(
        0, description="Threads of the in-process worker on the embedded default; 0: one per core."
    )
    job_lease_s: float = Field(
        60.0, description="A running job's lease; renewed every third of it while the worker lives."
    )
    sweep_interval_s: float = Field(15.0, description="How often workers re-queue jobs whose lease expired.")
    requeue_after_s: float = Field(
        120.0, description="Re-send a job queued this long whose broker queue is empty (message lost)."
    )
    max_attempts: int = Field(3, description="A file that broke the worker this many times fails alone.")
    retry_backoff_s: float = Field(
        5.0, description="First retry delay after a transient error (doubles each time)."
    )
    retry_backoff_max_s: float = Field(300.0, description="Longest retry delay.")
    ingest_time_limit_s: float = Field(900.0, description="Hard time limit for ingesting one text file.")
    ocr_time_limit_s: float = Field(7200.0, description="Hard time limit for ingesting one scanned file.")
    embedded_poll_s: float = Field(1.0, description="Idle poll interval of the in-process worker.")

    # --- web ------------------------------------------------------------------------------
    secret_key: str | None = Field(None, description="Signs session cookies; required in production.")
    admin_password: str | None = Field(
        None, description="Creates the 'admin' account at first start when no account exists."
    )
    demo: bool = Field(False, description="Create a clearly printed demo account (embedded demo only).")
    session_https_only: bool = Field(False, description="Mark session cookies Secure (set behind HTTPS).")

    # --- reports --------------------------------------------------------------------------
    issuing_body: str = Field("××县司法局", description="Issuing body printed on bulletins and collections.")
    font_body: str = Field(
        "仿宋_GB2312", description="Body font name in generated DOCX (substituted where missing)."
    )
    font_title: str = Field("方正小标宋简体", description="Title font name in generated DOCX.")
    font_heading: str = Field("黑体", description="Heading font name in generated DOCX.")
    ranking_flags: str = Field(
        "县:2,市:3",
        description="Top-N flags shown as columns of a year's agency ranking, 'name:N' comma-separated (县前2名, 市前3名).",
    )
    ranking_min_concluded: int = Field(
        3, ge=0, description="Loss rates on fewer concluded suits than this are neither ranked nor flagged."
    )
    holidays_file: Path | None = Field(
        None,
        description="CSV of official holidays/adjusted working days for years chinesecalendar does not know.",
    )

    # --- supervision (the register of suits, reminders) ------------------------------------
    lesson_meeting_due: str = Field(
        "12-31",
        description="MM-DD by which each department must have held its yearly 以案促改 meeting (the bureau's "
        "list of departments without one, and the 工作提醒函).",
    )
    supervision_start: dt.date | None = Field(
        None,
        description="Go-live date: papers and judgments received before it open no reporting obligation "
        "(shown as history); unset: every date counts.",
    )
    risk_rule: str = Field(
        '{"high": {"agency_losses": 2, "county_loss_rate": 0.5}, '
        '"medium": {"agency_losses": 1, "county_loss_rate": 0.3}, "min_county_cases": 3}',
        description="Pending-suit risk rule (JSON): a level is reached when the agency's past losses on the same "
        "action type and field reach agency_losses, or the county's loss rate on them reaches county_loss_rate "
        "over at least min_county_cases decided cases.",
    )
    attachment_max_mb: int = Field(
        20, description="Largest attachment (DOCX/PDF) accepted on a suit's report."
    )
    smtp_host: str | None = Field(
        None, description="SMTP server for e-mail reminders; unset: no e-mail is sent."
    )
    smtp_port: int = Field(25, description="SMTP port.")
    smtp_user: str | None = Field(None, description="SMTP login user, if the server wants one.")
    smtp_password: str | None = Field(None, description="Password of smtp_user.")
    smtp_from: str = Field("anjian@localhost", description="Sender address of reminder e-mails.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    webhook_timeout_s: float = Field(10.0, description="Timeout of one reminder webhook POST in seconds.")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == Environment.production:
            if not self.secret_key or len(self.secret_key) < 32:
                raise ValueError("ANJIAN_SECRET_KEY must be set to at least 32 characters in production")
            if self.database_url is None:
                raise ValueError("ANJIAN_DATABASE_URL must be set in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'anjian.db').resolve()}"

    @property
    def originals_dir(self) -> Path:
        return self.data_dir / "originals"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"


def load_settings(**overrides: object) -> Settings:
    """Read the environment (and explicit overrides, e.g. from tests) into a validated Settings."""
    return Settings(**overrides)  # type: ignore[arg-type]
