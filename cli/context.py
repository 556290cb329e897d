"""What every command needs: the settings (read once from the environment) and the store.

Both are imported on first use, so a command that needs neither (``anjian --help``) starts at once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.db import Database
    from core.settings import Settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    from core.settings import load_settings

    return load_settings()


@lru_cache(maxsize=1)
def database() -> Database:
    from core.db import Database

    return Database(settings())
