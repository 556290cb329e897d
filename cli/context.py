"""What every command needs: the settings (read once from the environment) and the store."""

from __future__ import annotations

from functools import lru_cache

from core.db import Database
from core.settings import Settings, load_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


@lru_cache(maxsize=1)
def database() -> Database:
    return Database(settings())
