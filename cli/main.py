"""The ``anjian`` command. Each area registers its subcommands from its own module."""

from __future__ import annotations

import typer

from cli import (
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

app = typer.Typer(
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
    loop_cmds,
    worker_cmds,
    web_cmds,
    eval_cmds,
):
    module.register(app, eval_app)

if __name__ == "__main__":
    app()
