"""``anjian eval extract``: field accuracy against a labelled corpus, per kind of file.

Every file a judgment names (text PDF, scan, DOCX) is read into a throw-away store on its own and
scored on what was read from it alone; a rejected file is wrong on every field.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

FIELDS = [
    "case_no",
    "court",
    "doc_kind",
    "procedure",
    "judgment_date",
    "defendants",
    "plaintiffs",
    "agency_head_appeared",
]
KINDS = ["text_pdf", "scan_pdf", "docx"]
# A null label of these means the text does not state it (a masked ××××年××月××日): right only when the
# record is null too. Other null labels mean "not labelled" and are skipped.
NULL_SCORED = {"judgment_date"}
_BRACKETS = str.maketrans(
    {
        "(": "（",
        ")": "）",
        "〔": "（",
        "〕": "）",
        "[": "（",
        "]": "）",
        "［": "（",
        "］": "）",
        "【": "（",
        "】": "）",
        "﹝": "（",
        "﹞": "）",
    }
)

# (record or None, reject reason or None) for one file
Reader = Callable[[Path], tuple[Any, str | None]]


def _norm_value(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "value"):  # enums
        value = value.value
    if isinstance(
        value, str
    ):  # bracket styles and spaces only: the project's own normaliser would hide its mistakes
        return "".join(value.split()).translate(_BRACKETS)
    return value


def field_correct(field: str, got: Any, expected: Any) -> bool | None:
    """Exact match after unifying bracket styles and spaces; lists as sets. A None label is skipped,
    except for the fields in ``NULL_SCORED``, where only a None value is right."""
    if expected is None:
        return (got is None or got == []) if field in NULL_SCORED else None
    if isinstance(expected, list):
        return {_norm_value(x) for x in got or []} == {_norm_value(x) for x in expected}
    return _norm_value(got) == _norm_value(expected)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def evaluate(
    corpus_dir: Path,
    reader: Reader,
    *,
    kinds: Iterable[str] = KINDS,
    limit: int | None = None,
    ids: set[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Read every named file and score it; returns the ``eval extract`` JSON object."""
    judgments = load_jsonl(corpus_dir / "judgments.jsonl")
    labels = {r["id"]: r for r in load_jsonl(corpus_dir / "labels.jsonl")}
    kinds = [k for k in KINDS if k in set(kinds)]
    if ids:
        judgments = [j for j in judgments if j["id"] in ids]
    if limit is not None:
        judgments = judgments[:limit]
    n = {k: 0 for k in kinds}
    right = {k: {f: 0 for f in FIELDS} for k in kinds}
    counted = {k: {f: 0 for f in FIELDS} for k in kinds}
    rejected: list[dict[str, str | None]] = []
    misses: list[dict[str, Any]] = []
    for judgment in judgments:
        label = labels.get(judgment["id"])
        if label is None:
            continue
        for kind in kinds:
            rel = (judgment.get("files") or {}).get(kind)
            if not rel:
                continue
            path = corpus_dir / rel
            if progress:
                progress(rel)
            try:
                record, reason = reader(path)
            except Exception as exc:  # one broken file must not end the evaluation: it counts as a miss
                print(f"读取失败 {rel}: {type(exc).__name__}: {exc}", file=sys.stderr)
                record, reason = None, "error"
            n[kind] += 1
            if record is None:
                rejected.append({"file": rel, "reason": reason})
            for f in FIELDS:
                ok = (
                    field_correct(f, getattr(record, f, None), label.get(f))
                    if record is not None
                    else (None if label.get(f) is None else False)
                )
                if ok is None:
                    continue
                counted[kind][f] += 1
                right[kind][f] += int(ok)
                if not ok:
                    got = getattr(record, f, None) if record is not None else None
                    misses.append({"file": rel, "field": f, "label": label.get(f), "value": _plain(got)})
    accuracy = {
        k: {f: (round(right[k][f] / counted[k][f], 4) if counted[k][f] else None) for f in FIELDS}
        for k in kinds
    }
    return {"n": n, "accuracy": accuracy, "rejected": rejected, "misses": misses}


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def pipeline_reader(store_dir: Path) -> Reader:
    """Read each file through the real pipeline into a throw-away store (no classification, no index)."""
    from core.db import Database
    from core.settings import load_settings
    from pipeline.process import Pipeline

    settings = load_settings(data_dir=store_dir, database_url=None, es_url=None, broker_url=None)
    pipeline = Pipeline(Database(settings), settings, index=False, classify=False)

    def read(path: Path) -> tuple[Any, str | None]:
        result = pipeline.ingest_path(path)
        if result.record is None and result.status.value == "duplicate":
            # the same bytes as a file already read: score what this file says, read again
            return pipeline.understand(pipeline.read(path.read_bytes(), path.name)), None
        if result.record is None:
            return None, result.reason.value if result.reason else result.status.value
        return result.record, None

    return read


def document_text_reader(corpus_dir: Path) -> Reader:
    """Fallback while file reading is unavailable: parse the corpus's document_text for every file."""
    from ingest.errors import Rejected
    from ingest.parse import parse_text

    by_file: dict[str, str] = {}
    for j in load_jsonl(corpus_dir / "judgments.jsonl"):
        for rel in (j.get("files") or {}).values():
            if rel:
                by_file[str((corpus_dir / rel).resolve())] = j["document_text"]

    def read(path: Path) -> tuple[Any, str | None]:
        try:
            return parse_text(by_file[str(path.resolve())]), None
        except Rejected as exc:
            return None, exc.reason.value

    return read


def _print_table(result: dict[str, Any], details: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="字段抽取准确率 / extraction accuracy")
    table.add_column("字段 field")
    for kind in result["n"]:
        table.add_column(f"{kind} (n={result['n'][kind]})", justify="right")
    for f in FIELDS:
        cells = []
        for kind in result["n"]:
            v = result["accuracy"][kind][f]
            cells.append("—" if v is None else f"{v:.1%}")
        table.add_row(f, *cells)
    console = Console()
    console.print(table)
    if result["rejected"]:
        console.print(f"拒收 rejected: {len(result['rejected'])}")
        for r in result["rejected"]:
            console.print(f"  {r['file']}: {r['reason']}")
    if details:
        console.print(f"未命中 misses: {len(result['misses'])}")
        for m in result["misses"]:
            label = json.dumps(m["label"], ensure_ascii=False)
            value = json.dumps(m["value"], ensure_ascii=False)
            console.print(
                f"  {m['file']}  {m['field']}  标注 {label}  抽取 {value}", markup=False, highlight=False
            )


def extract_cmd(
    corpus_dir: Annotated[
        Path, typer.Argument(help="语料目录（含 judgments.jsonl、labels.jsonl）/ corpus folder")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="输出一个 JSON 对象 / print one JSON object")
    ] = False,
    kinds: Annotated[str, typer.Option(help="文件种类，逗号分隔 / file kinds")] = ",".join(KINDS),
    limit: Annotated[int | None, typer.Option(help="只评前 N 篇 / first N judgments")] = None,
    ids: Annotated[str | None, typer.Option(help="只评这些编号，逗号分隔 / only these ids")] = None,
    details: Annotated[
        bool,
        typer.Option("--details", help="逐条列出未命中：文件、字段、标注、抽取值 / print every miss"),
    ] = False,
    from_text: Annotated[
        bool,
        typer.Option(
            "--from-text",
            help="不读文件，解析 judgments.jsonl 的 document_text / parse document_text instead",
        ),
    ] = False,
) -> None:
    """字段抽取评测：每个文件单独读入临时库并与标注比对。Field accuracy per kind of file."""
    corpus_dir = corpus_dir.resolve()
    if not (corpus_dir / "judgments.jsonl").exists() or not (corpus_dir / "labels.jsonl").exists():
        typer.echo(f"找不到 judgments.jsonl / labels.jsonl：{corpus_dir}", err=True)
        raise typer.Exit(2)
    kind_list = [k.strip() for k in kinds.split(",") if k.strip()]
    unknown = set(kind_list) - set(KINDS)
    if unknown:
        typer.echo(f"未知文件种类 unknown kinds: {', '.join(sorted(unknown))}", err=True)
        raise typer.Exit(2)
    id_set = {i.strip() for i in ids.split(",") if i.strip()} if ids else None

    def progress(rel: str) -> None:
        print(f"… {rel}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="anjian-eval-") as tmp:
        reader = document_text_reader(corpus_dir) if from_text else pipeline_reader(Path(tmp))
        result = evaluate(corpus_dir, reader, kinds=kind_list, limit=limit, ids=id_set, progress=progress)
    if as_json:
        if not details:
            result.pop("misses")
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result, details)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``anjian eval extract``."""
    eval_app.command("extract")(extract_cmd)
