"""`anjian ingest`, `anjian show`, `anjian export`, `anjian correct`."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.context import database, settings

if TYPE_CHECKING:
    from core.taxonomy import ZhEnum
    from pipeline.process import IngestResult, Pipeline

INPUT_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt"}
err = Console(stderr=True)


def collect_files(paths: list[Path]) -> list[Path]:
    """Files as given, and inside folders (recursively) the ones with a judgment-like extension."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES)
            )
        elif p.exists():
            files.append(p)
        else:
            raise typer.BadParameter(f"找不到 {p}")
    return files


# A batch indexes its stored judgments together: one index commit per this many files or seconds
# (a commit per file cost a third of `anjian ingest`), so an upload is searchable within seconds.
INDEX_BATCH_FILES = 50
INDEX_BATCH_SECONDS = 3.0


def ingest_files(
    pipeline: Pipeline, files: list[Path], *, as_json: bool, jobs: int = 1
) -> list[IngestResult]:
    """Every file gets exactly one result, in input order; stored judgments are indexed in batches
    and a file's JSON line is written once its batch is indexed (with ``not_indexed`` if that failed).
    ``jobs`` > 1: the pure stages run in that many worker processes (``pipeline.batch``)."""
    from core.taxonomy import DocumentStatus, RejectReason
    from pipeline.process import IngestResult

    results: list[IngestResult] = []
    waiting: list[IngestResult] = []
    batch_started = time.monotonic()

    def flush() -> None:
        nonlocal batch_started
        ids = [r.judgment_id for r in waiting if r.judgment_id is not None]
        if ids and not pipeline.index_judgments(ids):
            for r in waiting:
                if r.judgment_id is not None:
                    r.warnings.append("not_indexed")
        if as_json:
            for r in waiting:
                sys.stdout.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        waiting.clear()
        batch_started = time.monotonic()

    with Progress(
        TextColumn("[bold]入库[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal and as_json,
    ) as progress:
        task = progress.add_task("", total=len(files))

        def done(result: IngestResult) -> None:
            results.append(result)
            waiting.append(result)
            if len(waiting) >= INDEX_BATCH_FILES or time.monotonic() - batch_started >= INDEX_BATCH_SECONDS:
                flush()
            progress.update(task, description=Path(result.path).name[:40])
            progress.advance(task)

        try:
            if jobs > 1 and len(files) > 1:
                from pipeline.batch import ingest_batch

                ingest_batch(pipeline, files, jobs=min(jobs, len(files)), on_result=done)
            else:
                for f in files:
                    try:
                        result = pipeline.ingest_path(f, index=False)
                    except FileNotFoundError as exc:
                        result = IngestResult(
                            str(f), DocumentStatus.rejected, reason=RejectReason.corrupt, message=str(exc)
                        )
                    done(result)
        finally:
            flush()  # what was stored before an interruption is still indexed and reported
            _attach_to_suits(pipeline, results)
    return results


def _attach_to_suits(pipeline: Any, results: list[IngestResult]) -> None:
    """Stored judgments that belong to a registered suit attach to it (issue 15)."""
    from supervision.suits import GoLive, attach_stored

    ids = [r.judgment_id for r in results if r.judgment_id is not None]
    if ids:
        attach_stored(pipeline.db, ids, GoLive(pipeline.settings.supervision_start))


def summary_table(results: list[IngestResult]) -> Table:
    table = Table(title=f"入库结果（共 {len(results)} 个文件）")
    table.add_column("状态 status")
    table.add_column("原因 reason")
    table.add_column("文件数", justify="right")
    counts = Counter((r.status, r.reason) for r in results)
    for (status, reason), n in sorted(counts.items(), key=lambda kv: (kv[0][0].value, kv[0][1] or "")):
        table.add_row(f"{status.zh} {status.value}", f"{reason.zh} {reason.value}" if reason else "", str(n))
    return table


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹（递归）/ files or folders")],
    as_json: Annotated[
        bool, typer.Option("--json", help="每个文件输出一行 JSON / one JSON line per file")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="并行进程数，缺省为 CPU 核数 / worker processes (default: cores)"
        ),
    ] = None,
) -> None:
    """导入裁判文书（PDF、扫描件、DOCX）/ Ingest judgment files."""
    from core.taxonomy import DocumentStatus
    from pipeline.process import Pipeline

    files = collect_files(paths)
    pipeline = Pipeline(database(), settings())
    if jobs is None:
        from pipeline.batch import default_jobs

        jobs = default_jobs()
    results = ingest_files(pipeline, files, as_json=as_json, jobs=jobs)
    err.print(summary_table(results))
    for r in results:
        if r.status == DocumentStatus.rejected:
            err.print(f"[yellow]拒收[/yellow] {r.path}：{r.message}")


def show(
    case: Annotated[str, typer.Argument(help="案号或编号 / case number or id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """显示一份裁判文书 / Print one judgment."""
    from core.store import StoreError, find_judgment, judgment_as_json

    with database().session() as s:
        try:
            j = find_judgment(s, case)
        except StoreError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        data = judgment_as_json(j)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_judgment(data)


def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件；缺省为标准输出")] = None,
) -> None:
    """导出全部裁判文书 / Export all judgments."""
    from core.store import iter_judgments, judgment_as_json

    if fmt != "jsonl":
        raise typer.BadParameter("目前支持 --format jsonl")
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    n = 0
    with database().session() as s:
        for j in iter_judgments(s):
            out.write(json.dumps(judgment_as_json(j), ensure_ascii=False) + "\n")
            n += 1
    if output:
        out.close()
    err.print(f"导出 {n} 份裁判文书")


def correct(
    case: Annotated[str, typer.Argument(help="案号或编号")],
    field: Annotated[
        str,
        typer.Argument(help="outcome | loss_causes | cause_evidence | action_type | field | defendants …"),
    ],
    value: Annotated[
        str,
        typer.Argument(
            help="新值；列表用逗号分隔，如 procedure,违反法定程序；cause_evidence 写“原因=判决书原句”"
        ),
    ],
    user: Annotated[str, typer.Option("--user", help="更正人")] = "cli",
    reason: Annotated[str | None, typer.Option("--reason", help="更正理由")] = None,
) -> None:
    """更正标签或字段（人工更正优先于机器）/ Correct a tag or field; a reviewer's word wins."""
    from core.store import StoreError, add_correction, find_judgment
    from pipeline.indexing import index_judgments
    from search import open_backend

    parsed: object = value
    if field in ("loss_causes", "ruling_forms", "defendants", "plaintiffs"):
        parsed = [v for v in value.replace("，", ",").split(",") if v.strip()]
    elif field == "agency_head_appeared":
        parsed = {"true": True, "是": True, "false": False, "否": False}.get(value.lower())
    elif field == "cause_evidence":  # 原因=判决书中的原句
        cause, _, sentence = value.replace("＝", "=").partition("=")
        parsed = {"cause": cause.strip(), "text": sentence.strip()}
    with database().session() as s:
        try:
            j = find_judgment(s, case)
            add_correction(s, j.id, field, parsed, user=user, reason=reason)
        except StoreError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        judgment_id = j.id
    index_judgments(database(), open_backend(settings()), [judgment_id])
    err.print(f"已更正 {case} 的 {field}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(show)
    app.command()(export)
    app.command()(correct)


def _zh(enum: type[ZhEnum], code: str | None) -> str | None:
    member = enum.parse(code) if code else None
    return f"{member.zh}（{code}）" if member is not None else code


def print_judgment(data: dict) -> None:
    from core.taxonomy import ActionType, DocKind, Field, LossCause, Outcome, Procedure

    c = Console()
    c.print(f"[bold]{data['title']}[/bold]")
    rows = [
        ("案号", data["case_no"]),
        ("法院", data["court"]),
        ("文书", _zh(DocKind, data["doc_kind"])),
        ("审级", _zh(Procedure, data["procedure"])),
        ("裁判日期", data["judgment_date"]),
        ("原告", "、".join(data["plaintiffs"])),
        ("被告", "、".join(data["defendants"])),
        ("负责人出庭", {True: "是", False: "否"}.get(data["agency_head_appeared"])),
        ("结果", _zh(Outcome, data["outcome"])),
        ("行为类型", _zh(ActionType, data["action_type"])),
        ("领域", _zh(Field, data["field"])),
    ]
    for k, v in rows:
        c.print(f"  {k}：{v if v is not None else '—'}")
    for tag in data["tags"].get("loss_causes", []) if data["outcome"] == "agency_lost" else []:
        c.print(f"  败诉原因：[bold]{_zh(LossCause, tag['cause'])}[/bold]")
        for ev in tag.get("evidence", [])[:2]:
            c.print(f"    “{ev['text']}”")
    c.print(f"  文件：{', '.join(d['filename'] + '（' + d['status'] + '）' for d in data['documents'])}")
