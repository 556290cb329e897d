"""Knobs of the background machinery (leases, sweeping, retries, time limits), read from ``ANJIAN_*``.

They belong with the worker area and have safe defaults; an operator rarely changes them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANJIAN_", env_file=None, extra="ignore")

    job_lease_s: float = Field(60.0, description="A running job's lease; renewed every third of it while the worker lives.")
    sweep_interval_s: float = Field(15.0, description="How often workers re-queue jobs whose lease expired.")
    requeue_after_s: float = Field(
        120.0, description="Re-send a job queued this long whose broker queue is empty (message lost)."
    )
    max_attempts: int = Field(3, description="A file that broke the worker this many times fails alone.")
    retry_backoff_s: float = Field(5.0, description="First retry delay after a transient error (doubles each time).")
    retry_backoff_max_s: float = Field(300.0, description="Longest retry delay.")
    ingest_time_limit_s: float = Field(900.0, description="Hard time limit for ingesting one text file.")
    ocr_time_limit_s: float = Field(7200.0, description="Hard time limit for ingesting one scanned file.")
    embedded_poll_s: float = Field(1.0, description="Idle poll interval of the in-process worker.")


def load_worker_settings(**overrides: object) -> WorkerSettings:
    return WorkerSettings(**overrides)  # type: ignore[arg-type]
