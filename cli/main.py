"""The ``anjian`` command. Each area registers its subcommands from its own module."""

from __future__ import annotations

import sys
from typing import Any

if __name__ == "__main__" or sys.argv[0].endswith("anjian"):
    if len(sys.argv) > 1 and sys.argv[1] in ("search", "similar"):
        from core.segment import warm_up

        warm_up()  # the tokenizer's dictionary loads on the other core while typer and the rest import

import typer  # noqa: E402

from cli import (  # noqa: E402
    classify_cmds,
    eval_cmds,
    ingest_cmds,
    loop_cmds,
    report_cmds,
    search_cmds,
    suits_cmds,
    web_cmds,
    worker_cmds,
)


class _App(typer.Typer):
    """Started as the ``anjian`` script, only the subcommand asked for is built: typer turns every
    registered function into a click command before parsing (about 0.1 s for the ninety of them), which
    ``anjian search`` need not pay. Help, an unknown name and ``CliRunner`` see every command."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return super().__call__(*args, **kwargs)
        chosen = _only(self, sys.argv[1:])
        if chosen is None:
            return super().__call__()
        saved = self.registered_commands, self.registered_groups, self.registered_callback
        self.registered_commands, self.registered_groups = chosen
        if self.registered_callback is None:  # still a group: `anjian search …` keeps its name
            self.callback()(_no_options)
        try:
            return super().__call__()
        finally:
            self.registered_commands, self.registered_groups, self.registered_callback = saved


def _no_options() -> None:
    """案鉴 anjian."""


def _only(app: typer.Typer, argv: list[str]) -> tuple[list, list] | None:
    """The one command or group ``argv`` names, or None (no name, an option first, an unknown name)."""
    if not argv or argv[0].startswith("-"):
        return None
    from typer.main import get_command_name

    name = argv[0]
    commands = [
        c
        for c in app.registered_commands
        if (c.name or (get_command_name(c.callback.__name__) if c.callback else None)) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    return commands[-1:], groups[-1:]


app = _App(
    help="案鉴 anjian：行政诉讼裁判文书分析——谁败诉、为何败诉、哪些案例值得学习。\n\n"
    "Administrative-litigation judgments in, loss causes, rankings and warning-case collections out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
eval_app = typer.Typer(help="在带标注的语料上评测 / Evaluate on a labelled corpus.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

for module in (
    ingest_cmds,
    loop_cmds,
    classify_cmds,
    search_cmds,
    report_cmds,
    suits_cmds,
    worker_cmds,
    web_cmds,
    eval_cmds,
):
    module.register(app, eval_app)

if __name__ == "__main__":
    app()
