"""`anjian train`, `anjian classify CASE`, `anjian eval classify CORPUS_DIR`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.console import Console, Table
from cli.context import database, settings

if TYPE_CHECKING:
    from classify.types import Classification

out = Console()
err = Console(stderr=True)
REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def _section_zh(code: str | None) -> str:
    from core.taxonomy import SectionName

    return SectionName[code].zh if code and code in SectionName.__members__ else "正文"


def print_classification(c: Classification, title: str) -> None:
    out.print(f"[bold]{title}[/bold]")
    out.print(f"结果 outcome：{c.outcome.zh}（{c.outcome.value}）")
    if c.withdrawn_after_correction is not None:
        out.print(f"行政机关先行纠正后撤诉：{'是' if c.withdrawn_after_correction else '否'}")
    out.print(f"裁判主文 ruling forms：{'、'.join(c.ruling_forms) or '—'}")
    if c.action_type:
        p = f"（{c.action_type_probability:.0%}）" if c.action_type_probability is not None else ""
        out.print(f"行为类型 action type：{c.action_type.zh}{p}")
    if c.field:
        p = f"（{c.field_probability:.0%}）" if c.field_probability is not None else "（按机关名称）"
        out.print(f"执法领域 field：{c.field.zh}{p}")
    if not c.loss_causes:
        return
    out.print("[bold]败诉原因及依据 / loss causes with evidence[/bold]")
    for t in c.loss_causes:
        how = t.source.value
        if t.probability is not None:
            how += f"，模型概率 {t.probability:.2f}"
        if t.rules:
            how += f"，规则 {', '.join(t.rules)}"
        out.print(f"● {t.cause.zh}（{t.cause.value}）— {how}")
        for e in t.evidence:
            where = _section_zh(e.section)
            out.print(f"    “{e.text}”", highlight=False, soft_wrap=True)
            out.print(f"    [dim]（{where}，第 {e.start}–{e.end} 字）[/dim]")


def train_cmd(
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="带标注的语料目录 / labelled corpus (default ../shared/corpus)"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="模型文件 / artefact path (in the models folder)")
    ] = None,
    shipped: Annotated[
        bool, typer.Option("--shipped", help="写入随软件发布的模型 / write the packaged artefact")
    ] = False,
    corrections: Annotated[bool, typer.Option(help="加入审核人员的更正 / add reviewers' corrections")] = True,
    from_pdf: Annotated[
        bool, typer.Option(help="从文本PDF读取 / read each judgment from its text PDF")
    ] = True,
) -> None:
    """训练败诉原因、行为类型和执法领域模型 / Train the classifier from the corpus and corrections."""
    from pipeline.training import TrainingUnavailable, train_from_store

    cfg = settings()
    corpus_dir = (
        corpus
        or cfg.training_corpus
        or (DEFAULT_CORPUS if (DEFAULT_CORPUS / "labels.jsonl").exists() else None)
    )
    db = None
    if corrections:
        try:
            db = database()
        except Exception as exc:  # no store yet: train from the corpus alone
            err.print(f"[yellow]未读取审核更正（{exc}）[/yellow]")
    try:
        done = train_from_store(db, cfg, corpus_dir, from_pdf=from_pdf, target=output, shipped=shipped)
    except TrainingUnavailable as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    err.print(
        f"已训练 {done['examples']} 个样本（其中审核更正 {done['corrected']} 篇），{done['cause_heads']} 个败诉原因模型，"
        f"用时 {done['seconds']} 秒 → {done['path']}（{done['version']}）"
    )


def classify_cmd(
    case: Annotated[str, typer.Argument(help="案号或编号 / case number or judgment id")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """判断败诉与否及败诉原因（附本院认为原文）/ Classify one stored judgment, with evidence."""
    from classify import ClassifyError, apply_corrections, classify_record, load_model_for, thresholds_for
    from core.store import StoreError, find_judgment

    cfg = settings()
    try:
        model = load_model_for(cfg)
    except ClassifyError as exc:
        err.print(f"[red]模型不可用：{exc}[/red]")
        raise typer.Exit(2) from exc
    try:
        with database().session() as s:
            j = find_judgment(s, case)
            from ingest.record import JudgmentRecord

            record = JudgmentRecord.model_validate(j.record)
            corrections = [{"field": c.field, "value": c.value} for c in j.corrections]
            title = f"{j.case_no or ''} {j.title or ''}".strip()
    except StoreError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    result = apply_corrections(classify_record(record, model, thresholds_for(cfg)), corrections)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        print_classification(result, title)


def eval_classify(
    corpus_dir: Annotated[Path, typer.Argument(help="语料目录（shared/corpus 格式）/ corpus folder")],
    as_json: Annotated[bool, typer.Option("--json", help="输出一个 JSON 对象")] = False,
    cv: Annotated[int, typer.Option("--cv", help="K 折交叉验证（0：用发布的模型）/ K-fold CV")] = 0,
    limit: Annotated[int | None, typer.Option("--limit", help="只评测前 N 篇")] = None,
    from_pdf: Annotated[bool, typer.Option(help="从文本PDF读取（如用户上传）/ read the text PDFs")] = True,
    patterns: Annotated[
        bool,
        typer.Option("--patterns", help="列出每条短语规则及其支持文书数 / every phrase pattern's support"),
    ] = False,
) -> None:
    """在带标注的语料上评测分类 / Evaluate outcome, causes, action type and field."""
    # classify (scikit-learn, numpy) is imported by the commands that run it, not on every CLI start
    from classify import load_model_for, thresholds_for, train_model
    from classify.corpus import labelled_items
    from classify.evaluate import Labelled, cross_validate, evaluate

    if not (corpus_dir / "labels.jsonl").exists():
        raise typer.BadParameter(f"{corpus_dir} 中没有 labels.jsonl")
    from classify.evaluate import score
    from classify.patterns import Item, honest_figures, pattern_support

    cfg = settings()
    items = [Labelled(i.id, r, i.label) for i, r in labelled_items(corpus_dir, limit, from_pdf)]
    plain = [Item(it.id, it.record, it.label) for it in items]
    if patterns:
        rows = pattern_support(plain)
        if as_json:
            sys.stdout.write(json.dumps({"n": len(items), "patterns": rows}, ensure_ascii=False) + "\n")
        else:
            _print_patterns(rows)
        return
    if cv and cv > 1:
        result = cross_validate(items, cv, train_model, thresholds_for(cfg))
    else:
        result = evaluate(items, load_model_for(cfg), thresholds_for(cfg))
    # side by side: as run (CV or installed model), rules alone, single-support patterns removed
    result["cause_figures"] = {
        "as_run": result["causes_micro_f1"],
        **honest_figures(plain, thresholds_for(cfg), score),
    }
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        _print_scores(result)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command("train")(train_cmd)
    app.command("classify")(classify_cmd)
    eval_app.command("classify")(eval_classify)


def _print_patterns(rows: list[dict[str, Any]]) -> None:
    table = Table(title="短语规则及其支持文书数 / phrase patterns and their document support")
    for col in ("id", "cause", "support", "wrong", "pattern"):
        table.add_column(col)
    for r in rows:
        style = "red" if r["support"] < 2 else ""
        table.add_row(r["id"], r["cause"], str(r["support"]), str(r["wrong"]), r["pattern"], style=style)
    out.print(table)


def _print_scores(result: dict[str, Any]) -> None:
    out.print(f"判决数 n={result['n']}  结果准确率 {result['outcome_accuracy']:.1%}")
    out.print(f"败诉原因 micro-F1 {result['causes_micro_f1']:.3f}  macro-F1 {result['causes_macro_f1']:.3f}")
    out.print(
        f"行为类型准确率 {result['action_type_accuracy']:.1%}  执法领域准确率 {result['field_accuracy']:.1%}"
    )
    out.print(
        f"依据位于本院认为部分 {result['evidence_in_reasoning']:.1%}  "
        f"仅为裁判依据句 {result['evidence_bare_citation']:.1%}  与标注句一致 {result['evidence_matches_label']:.1%}"
    )
    f = result.get("cause_figures") or {}
    if f:
        out.print(
            f"败诉原因 micro-F1：本次 {f['as_run']:.3f}  仅规则 {f['rules_only']:.3f}  "
            f"去掉单篇支持的短语 {f['single_support_removed']:.3f}"
        )
    table = Table(title="各败诉原因 / per cause")
    for col in ("cause", "precision", "recall", "f1", "support"):
        table.add_column(col)
    for cause, m in result["causes"].items():
        table.add_row(
            cause, f"{m['precision']:.2f}", f"{m['recall']:.2f}", f"{m['f1']:.2f}", str(m["support"])
        )
    out.print(table)
