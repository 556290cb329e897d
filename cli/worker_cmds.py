"""Subcommands (placeholder until this area lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the ``anjian`` app (and to ``anjian eval``)."""
