"""`anjian migrate`, `anjian worker`, `anjian beat`, `anjian submit`, `anjian jobs`, `anjian batch`, `anjian backup`, `anjian restore`."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Annotated

import typer

from cli.console import Console, Table
from cli.context import catch_up_index, database, settings

err = Console(stderr=True)
STATE_STYLE = {"queued": "dim", "running": "cyan", "done": "green", "failed": "red"}
STATE_ZH = {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "失败"}


def print_batch(status: dict) -> None:
    c = Console()
    counts = status["counts"]
    c.print(
        f"[bold]批次 {status['id']}[/bold]（{status['created_at']}，共 {status['total']} 个文件）："
        + "，".join(f"{STATE_ZH[k]} {v}" for k, v in counts.items() if v)
    )
    table = Table()
    for col in ("任务", "文件", "状态", "结果", "说明"):
        table.add_column(col)
    for f in status["files"]:
        style = STATE_STYLE.get(f["state"], "")
        result = f["status"] or ""
        if f["reason"]:
            result += f"（{f['reason']}）"
        table.add_row(
            str(f["job_id"]),
            f["filename"],
            f"[{style}]{STATE_ZH.get(f['state'], f['state'])}[/{style}]",
            result,
            (f["message"] or "")[:80],
        )
    c.print(table)


def migrate() -> None:
    """把数据库结构升级到最新版本（升级后、启动前运行）/ Upgrade the database schema to the newest version."""
    from sqlalchemy import text

    from core.db import Database

    db = Database(settings())  # migrates every branch to its head
    with db.engine.connect() as conn:
        heads = sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version")))
    db.dispose()
    err.print(f"数据库结构已是最新：{', '.join(heads)}")


def worker(
    queues: Annotated[
        str, typer.Option("--queues", "-Q", help="队列，逗号分隔：default,ocr")
    ] = "default,ocr",
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="并发进程（线程）数")] = 1,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Celery 节点名，如 ocr1@%h")] = None,
    loglevel: Annotated[str, typer.Option("--loglevel", "-l")] = "INFO",
) -> None:
    """启动后台处理进程 / Run a background worker (Celery with ANJIAN_BROKER_URL, else in-process)."""
    s = settings()
    catch_up_index(database(), s)
    if s.broker_url:
        from workers.celery_app import make_celery

        served = [q.strip() for q in queues.split(",") if q.strip()]
        celery = make_celery(s.broker_url, s.result_backend, queues=served)  # time limit by queue
        argv = [
            "worker",
            "-Q",
            ",".join(served),
            "-c",
            str(concurrency),
            "-l",
            loglevel,
            "--without-gossip",
            "--without-mingle",
        ]
        if name:
            argv += ["-n", name]
        celery.worker_main(argv)
        return
    _embedded_foreground(concurrency)


def beat(loglevel: Annotated[str, typer.Option("--loglevel", "-l")] = "INFO") -> None:
    """启动定时任务（每晚索引核对、重新训练）/ Run the scheduler (needs ANJIAN_BROKER_URL)."""
    s = settings()
    if not s.broker_url:
        err.print(
            "[red]未配置 ANJIAN_BROKER_URL：内置模式下定时任务由 anjian serve 的后台线程执行，无需 beat。[/red]"
        )
        raise typer.Exit(2)
    from workers.celery_app import make_celery

    s.data_dir.mkdir(parents=True, exist_ok=True)
    celery = make_celery(s.broker_url, s.result_backend)
    celery.start(["beat", "-l", loglevel, "-s", str(s.data_dir / "celerybeat-schedule")])


def submit(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹（递归）")],
    user: Annotated[str | None, typer.Option("--user", help="提交人")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="等待处理完成（内置模式下就在本进程处理）")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """提交文件到后台排队处理 / Queue files for background ingestion; prints the batch id."""
    from cli.ingest_cmds import collect_files
    from workers.dispatch import submit_files
    from workers.jobs import batch_status

    files = collect_files(paths)
    if not files:
        err.print("[yellow]没有找到可导入的文件[/yellow]")
        raise typer.Exit(1)
    s, db = settings(), database()
    batch_id = submit_files(db, s, [(f.name, f.read_bytes()) for f in files], user=user)
    err.print(f"已提交批次 {batch_id}（{len(files)} 个文件）。查看进度：anjian batch {batch_id}")
    if wait:
        status = _wait(batch_id)
    else:
        status = batch_status(db, batch_id)
    if as_json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
    elif wait:
        print_batch(status)


def jobs(
    limit: Annotated[int, typer.Option("--limit")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """最近的批次及进度 / Recent batches and their progress."""
    from workers.jobs import recent_batches

    rows = recent_batches(database(), limit)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="最近的批次")
    for col in ("批次", "提交时间", "提交人", "文件", *STATE_ZH.values()):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["created_at"] or "",
            r["user"] or "",
            str(r["total"]),
            *(str(r["counts"][k]) for k in STATE_ZH),
        )
    Console().print(table)


def batch(
    batch_id: Annotated[int, typer.Argument(help="批次编号")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """一个批次中每个文件的状态 / Status of each file of a batch."""
    from workers.jobs import batch_status

    try:
        status = batch_status(database(), batch_id)
    except KeyError as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        print_batch(status)


def backup(path: Annotated[Path, typer.Argument(help="备份文件（.tar 或 .tar.gz）")]) -> None:
    """备份内置存储（数据库、原件、索引、模型），服务运行中也安全 / Back up the embedded store."""
    from workers.backup import BackupError, create_backup

    try:
        manifest = create_backup(settings(), path)
    except BackupError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    err.print(
        f"已备份到 {path}：{manifest['counts']['judgments']} 份裁判文书，"
        f"{manifest['counts']['files']} 个文件，{manifest['bytes'] / 1e6:.1f} MB"
    )


def restore(
    path: Annotated[Path, typer.Argument(help="anjian backup 生成的备份文件")],
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="恢复到的数据目录；缺省为 ANJIAN_DATA_DIR")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有数据（先移到 .old 目录）")] = False,
) -> None:
    """从备份恢复内置存储（请先停止服务）/ Restore the embedded store from a backup (stop the service first)."""
    from workers.backup import BackupError, database_target, restore_backup

    target = data_dir or settings().data_dir
    try:
        db_path = None if data_dir is not None else database_target(settings())
        manifest = restore_backup(path, target, force=force, db_path=db_path)
    except BackupError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    err.print(
        f"已恢复到 {target}（数据库 {db_path or target / 'anjian.db'}）："
        f"{manifest['counts']['judgments']} 份裁判文书（备份于 {manifest['created_at']}）"
    )


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(worker)
    app.command()(beat)
    app.command()(submit)
    app.command()(jobs)
    app.command()(batch)
    app.command()(backup)
    app.command()(restore)


def _wait(batch_id: int) -> dict:
    from workers.jobs import batch_status

    s, db = settings(), database()
    if s.broker_url:
        import time

        while not (status := batch_status(db, batch_id))["finished"]:
            time.sleep(1)
        return status
    from workers.embedded import EmbeddedRunner
    from workers.tasks import WorkerContext

    runner = EmbeddedRunner(WorkerContext(s, db), maintenance=False)
    runner.run_until_idle(timeout=24 * 3600)
    return batch_status(db, batch_id)


def _embedded_foreground(threads: int) -> None:
    """No broker: run the in-process worker in the foreground until Ctrl-C / SIGTERM."""
    import threading

    from workers.embedded import start_embedded

    s, db = settings(), database()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    runner = start_embedded(db, s, threads=max(threads, s.embedded_workers))
    err.print(f"内置后台处理已启动（{runner.threads} 个线程，存储 {s.resolved_database_url}）。Ctrl-C 停止。")
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    runner.stop()
