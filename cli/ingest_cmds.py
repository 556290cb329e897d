"""`anjian ingest`, `anjian show`, `anjian export`, `anjian correct`."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.console import Console, Table
from cli.context import catch_up_index, database, settings, warn_pending_index

if TYPE_CHECKING:
    from rich.table import Table as RichTable

    from core.taxonomy import ZhEnum
    from pipeline.process import IngestResult, Pipeline

err = Console(stderr=True)


@dataclass
class Entry:
    """One entry under the folders given: a file to read, or something skipped (a RejectReason code)."""

    path: Path
    skip: str | None = None
    message: str | None = None


_SKIP_MESSAGES = {
    "symlink": "符号链接，未跟随（需要读取链接指向的文件时加 --follow-symlinks）",
    "special_file": "不是普通文件（设备、管道或套接字），未读取",
    "empty_folder": "空文件夹",
}


def _skip(path: Path, reason: str, message: str | None = None) -> Entry:
    return Entry(path, reason, message or _SKIP_MESSAGES[reason])


def _classify(path: Path, follow_symlinks: bool) -> Entry | None:
    """A file to read, a skipped entry, or None for a folder with contents (its contents get lines)."""
    if path.is_symlink():
        if not follow_symlinks:
            return _skip(path, "symlink")
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return _skip(path, "symlink", "符号链接形成循环，未读取")
        except OSError:
            return _skip(path, "symlink", "符号链接指向的文件不存在，未读取")
        if target.is_dir():
            return _skip(path, "symlink", "符号链接指向文件夹，未进入（避免重复或循环）")
        return Entry(path) if target.is_file() else _skip(path, "special_file")
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return _skip(path, "special_file", f"无法访问：{exc.strerror or exc}")
    if stat.S_ISDIR(mode):
        try:
            empty = not any(path.iterdir())
        except OSError as exc:
            return _skip(path, "special_file", f"无法打开文件夹：{exc.strerror or exc}")
        return _skip(path, "empty_folder") if empty else None
    return Entry(path) if stat.S_ISREG(mode) else _skip(path, "special_file")


def collect_entries(paths: list[Path], follow_symlinks: bool = False) -> list[Entry]:
    """Every entry under the folders given, recursively, exactly once and in a stable order: files to
    read (whatever their name: the content decides the type) and skipped entries with a reason. Files
    named explicitly are read (a named link is followed)."""
    entries: list[Entry] = []
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise typer.BadParameter(f"找不到 {p}")
        if not p.is_dir():  # named explicitly: read it (a named link is followed)
            entries.append(Entry(p) if p.is_file() else _classify(p, True) or Entry(p))
            continue
        inside: list[Entry] = []
        for root, dirs, files in os.walk(p, followlinks=False):
            here = Path(root)
            for name in dirs + files:
                entry = _classify(here / name, follow_symlinks)
                if entry is not None:
                    inside.append(entry)
        if not any(p.iterdir()):
            inside.append(_skip(p, "empty_folder"))
        entries.extend(
            sorted(inside, key=lambda e: str(e.path))
        )  # a folder in path order, the arguments as given
    return entries


def collect_files(paths: list[Path]) -> list[Path]:
    """The files to read under ``paths`` (skipped entries left out)."""
    return [e.path for e in collect_entries(paths) if e.skip is None]


DISK_FULL = "磁盘空间已满，本批次其余文件未处理；请清理磁盘后重新导入（已入库的文件会被识别为重复）。"


# A batch indexes its stored judgments together: one index commit per this many files or seconds
# (a commit per file cost a third of `anjian ingest`), so an upload is searchable within seconds.
INDEX_BATCH_FILES = 50
INDEX_BATCH_SECONDS = 3.0


def ingest_files(
    pipeline: Pipeline, files: list[Path] | list[Entry], *, as_json: bool, jobs: int = 1
) -> list[IngestResult]:
    """Every entry gets exactly one result, in input order; stored judgments are indexed in batches
    and a file's JSON line is written once its batch is indexed (with ``not_indexed`` if that failed).
    The pure stages run in ``jobs`` sandboxes at once (``pipeline.batch``), beside the storing. Skipped
    entries are reported where they stand. A full disk ends the batch: every file not yet done is
    reported ``disk_full``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from core.taxonomy import DocumentStatus, RejectReason
    from pipeline.process import IngestResult, is_disk_full

    entries = [e if isinstance(e, Entry) else Entry(e) for e in files]
    readable = [e.path for e in entries if e.skip is None]
    results: list[IngestResult] = []
    waiting: list[IngestResult] = []
    batch_started = time.monotonic()

    def index_and_report(batch: list[IngestResult]) -> None:
        ids = [r.judgment_id for r in batch if r.judgment_id is not None]
        if ids and not pipeline.index_judgments(ids):
            for r in batch:
                if r.judgment_id is not None:
                    r.warnings.append("not_indexed")
        if as_json:
            for r in batch:
                sys.stdout.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()

    # Indexing (tokenizing, the index commit) runs beside the storing: the batches in order, one at a time.
    indexer = _InOrder(index_and_report)

    def flush() -> None:
        nonlocal batch_started
        if waiting:
            indexer.put(list(waiting))
        waiting.clear()
        batch_started = time.monotonic()

    with Progress(
        TextColumn("[bold]入库[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err.real,
        transient=False,
        disable=not err.is_terminal and as_json,
    ) as progress:
        task = progress.add_task("", total=len(entries))
        position = 0  # entries reported so far

        def emit(result: IngestResult) -> None:
            results.append(result)
            waiting.append(result)
            if len(waiting) >= INDEX_BATCH_FILES or time.monotonic() - batch_started >= INDEX_BATCH_SECONDS:
                flush()
            progress.update(task, description=Path(result.path).name[:40])
            progress.advance(task)

        def skipped_up_to_next_file() -> None:
            nonlocal position
            while position < len(entries) and entries[position].skip is not None:
                e = entries[position]
                emit(
                    IngestResult(
                        str(e.path),
                        DocumentStatus.skipped,
                        reason=RejectReason[e.skip or "corrupt"],
                        message=e.message,
                    )
                )
                position += 1

        def done(result: IngestResult) -> None:
            nonlocal position
            skipped_up_to_next_file()
            emit(result)
            position += 1

        try:
            try:
                if len(readable) > 1:  # the next files are read while this one is stored
                    from pipeline.batch import ingest_batch

                    ingest_batch(pipeline, readable, jobs=min(jobs, len(readable)), on_result=done)
                else:
                    for f in readable:
                        try:
                            result = pipeline.ingest_path(f, index=False)
                        except FileNotFoundError as exc:
                            result = IngestResult(
                                str(f), DocumentStatus.rejected, reason=RejectReason.corrupt, message=str(exc)
                            )
                        done(result)
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                for e in entries[position:]:  # the file that hit the limit and every one after it
                    if e.skip is None:
                        emit(
                            IngestResult(
                                str(e.path),
                                DocumentStatus.rejected,
                                reason=RejectReason.disk_full,
                                message=DISK_FULL,
                            )
                        )
                    else:
                        emit(
                            IngestResult(
                                str(e.path),
                                DocumentStatus.skipped,
                                reason=RejectReason[e.skip],
                                message=e.message,
                            )
                        )
                position = len(entries)
            skipped_up_to_next_file()
        finally:
            flush()  # what was stored before an interruption is still indexed and reported
            indexer.close()
            _attach_to_suits(pipeline, results)
    return results


class _InOrder:
    """One background thread that runs ``fn`` on each batch put, in the order put. ``close`` waits for
    all of them and raises what ``fn`` raised (the first error stops the thread; later batches are
    left to the outbox, which the next command drains)."""

    def __init__(self, fn: Any) -> None:
        import queue
        import threading

        self._fn = fn
        self._queue: queue.Queue[Any] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="anjian-index", daemon=True)
        self._thread.start()

    def put(self, batch: Any) -> None:
        if self._error is None:
            self._queue.put(batch)

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            try:
                self._fn(batch)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller in close()
                self._error = exc
                return

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def _attach_to_suits(pipeline: Any, results: list[IngestResult]) -> None:
    """Stored judgments that belong to a registered suit attach to it (issue 15)."""
    from supervision.suits import GoLive, attach_stored

    ids = [r.judgment_id for r in results if r.judgment_id is not None]
    if ids:
        attach_stored(pipeline.db, ids, GoLive(pipeline.settings.supervision_start))


def summary_table(results: list[IngestResult]) -> RichTable:
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
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks", help="读取符号链接指向的文件 / follow symbolic links")
    ] = False,
) -> None:
    """导入裁判文书（PDF、扫描件、DOCX）/ Ingest judgment files."""
    from core.taxonomy import DocumentStatus, RejectReason
    from pipeline.process import Pipeline

    entries = collect_entries(paths, follow_symlinks)
    if any(e.skip is None for e in entries):  # a sandbox child starts while the store opens
        from pipeline.analysis import start_sandbox

        start_sandbox(settings())
    catch_up_index(database(), settings())
    pipeline = Pipeline(database(), settings())
    if jobs is None:
        from pipeline.batch import default_jobs

        jobs = default_jobs()
    pipeline.ocr_parallel = jobs  # a long scan's pages on every core too
    results = ingest_files(pipeline, entries, as_json=as_json, jobs=jobs)
    err.print(summary_table(results))
    for r in results:
        if r.status in (DocumentStatus.rejected, DocumentStatus.skipped):
            err.print(f"[yellow]{r.status.zh}[/yellow] {r.path}：{r.message}")
    if any(r.reason == RejectReason.disk_full for r in results):
        err.print("[red]磁盘空间已满，导入未能完成。请清理磁盘后重新运行同一命令。[/red]")
        raise typer.Exit(2)


def show(
    case: Annotated[str, typer.Argument(help="案号或编号 / case number or id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """显示一份裁判文书 / Print one judgment."""
    from core.store import StoreError, find_judgment, judgment_as_json

    warn_pending_index(database())
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

    catch_up_index(database(), settings())
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
