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


def catch_up_index(db: Database, s: Settings) -> None:
    """Before a command writes to the store or the index: index what the outbox holds (a judgment
    committed by a run that died before indexing) and repair a count mismatch. Says so in one line."""
    from rich.console import Console

    from pipeline.indexing import catch_up
    from search import open_backend

    try:
        drained, repaired = catch_up(db, open_backend(s))
    except Exception as exc:  # noqa: BLE001 - the command itself may still work; the rows stay
        Console(stderr=True).print(
            f"[yellow]检索索引暂时无法更新（{str(exc)[:80]}），待索引的判决保留到下次。[/yellow]"
        )
        return
    if drained or repaired:
        Console(stderr=True).print(f"已补建检索索引：{drained + repaired} 份判决（上次运行未完成索引）。")


def warn_pending_index(db: Database) -> None:
    """Read-only commands: one line when judgments wait for the index (cheap: one count)."""
    from rich.console import Console

    from pipeline.indexing import pending_outbox

    try:
        n = pending_outbox(db)
    except Exception:  # noqa: BLE001 - an old schema: the warning is not worth a failure
        return
    if n:
        Console(stderr=True).print(
            f"[yellow]提示：有 {n} 份判决尚未写入检索索引，运行 anjian reindex 或任一导入命令即可补建。[/yellow]"
        )
