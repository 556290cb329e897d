"""Rich, imported when something is printed: a command that answers in JSON (``anjian search --json``)
never loads it. ``Console(...)`` here is a stand-in that builds the real console on first use."""

from __future__ import annotations

from typing import Any


class Console:
    """``rich.console.Console(**options)``, created when first used. ``narrow_when_piped``: the width to
    use when the output is not a terminal (decided when the console is created)."""

    def __init__(self, *, narrow_when_piped: int | None = None, **options: Any) -> None:
        self._options = options
        self._narrow = narrow_when_piped
        self._console: Any = None

    @property
    def real(self) -> Any:
        if self._console is None:
            from rich.console import Console as RichConsole

            options = dict(self._options)
            if self._narrow is not None and not RichConsole().is_terminal:
                options["width"] = self._narrow
            self._console = RichConsole(**options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def Table(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - stands for the class
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)
