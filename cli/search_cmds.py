"""`anjian search` and `anjian reindex`."""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from cli.console import Console, Table, escape
from cli.context import catch_up_index, database, settings

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

out = Console()
err = Console(stderr=True)

FACET_TITLES = {
    "court": "法院",
    "year": "年份",
    "procedure": "审级",
    "outcome": "结果",
    "cause": "败诉原因",
    "action_type": "行为类型",
    "field": "领域",
    "defendant": "被告",
}


def _snippet_markup(snippet: str) -> str:
    """<mark>…</mark> HTML → rich markup (bold yellow), entities decoded."""
    import html

    parts = re.split(r"(<mark>.*?</mark>)", snippet)
    shown = []
    for p in parts:
        if p.startswith("<mark>"):
            shown.append("[bold yellow]" + escape(html.unescape(p[6:-7])) + "[/bold yellow]")
        else:
            shown.append(escape(html.unescape(p)))
    return "".join(shown)


def search_json(result) -> dict:  # type: ignore[no-untyped-def]
    return {
        "total": result.total,
        "hits": [
            {
                "id": h.id,
                "case_no": h.case_no,
                "title": h.title,
                "court": h.court,
                "judgment_date": h.judgment_date,
                "outcome": h.outcome,
                "score": h.score,
                "snippet": h.snippet,
            }
            for h in result.hits
        ],
        "facets": {
            k: [{"value": f.value, "count": f.count, **({"label": f.label} if f.label else {})} for f in v]
            for k, v in result.facets.items()
        },
        "suggestions": list(getattr(result, "suggestions", []) or []),
    }


def search_cmd(
    query: Annotated[str, typer.Argument(help='检索式，例如 "强制拆除 原因:违反法定程序 年份:2021..2023"')],
    page: Annotated[int, typer.Option("--page", min=1, help="第几页")] = 1,
    size: Annotated[int, typer.Option("--size", min=1, max=200, help="每页条数")] = 20,
    sort: Annotated[
        str, typer.Option("--sort", help="relevance（相关度）或 date（日期，新的在前）")
    ] = "relevance",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """检索裁判文书 / Search judgments (words, OR, -exclude, "phrase", 字段:值)."""
    from search import open_backend
    from search.errors import QuerySyntaxError, SearchError

    if sort not in ("relevance", "date", "date_asc"):
        raise typer.BadParameter("--sort 只能是 relevance 或 date")
    try:
        result = open_backend(settings()).search(query, page=page, size=size, sort=sort)
    except QuerySyntaxError as exc:
        if as_json:
            sys.stdout.write(
                json.dumps({"error": {"code": "query_syntax", "message": exc.message_zh}}, ensure_ascii=False)
                + "\n"
            )
        else:
            err.print(f"[red]检索式有误：[/red]{escape(exc.message_zh)}")
        raise typer.Exit(2) from None
    except SearchError as exc:
        err.print(f"[red]{escape(exc.message_zh)}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(search_json(result), ensure_ascii=False, indent=1) + "\n")
        return
    _print_result(result, page, size)


def reindex_cmd(
    check: Annotated[bool, typer.Option("--check", help="只比较索引与数据库，不重建")] = False,
) -> None:
    """从数据库重建检索索引（新建后原子切换）/ Rebuild the search index from the database."""
    from pipeline.indexing import reindex_from_db
    from search import open_backend

    backend = open_backend(settings())
    db = database()
    if check:
        _check(backend, db)
        return
    catch_up_index(db, settings())
    started = time.perf_counter()
    n = reindex_from_db(db, backend)
    err.print(f"已重建检索索引：{n} 份裁判文书，用时 {time.perf_counter() - started:.1f} 秒。")


def similar_cmd(
    judgment_id: Annotated[int, typer.Argument(help="案件编号（裁判文书 ID）")],
    size: Annotated[int, typer.Option("--size", min=1, max=100, help="返回几件类案")] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON（与 anjian search --json 相同的结构）")
    ] = False,
) -> None:
    """类案：与这件案件相似的案件 / Similar cases of one judgment."""
    from pipeline.feedback import not_similar_ids
    from search import open_backend
    from search.errors import SearchError

    try:
        with database().session() as s:
            exclude = sorted(not_similar_ids(s, judgment_id))
        result = open_backend(settings()).similar(judgment_id, size=size, exclude=exclude)
    except SearchError as exc:
        err.print(f"[red]{escape(exc.message_zh)}[/red]")
        raise typer.Exit(1) from None
    if result.total == 0 and not result.hits:
        if as_json:
            sys.stdout.write(json.dumps(search_json(result), ensure_ascii=False, indent=1) + "\n")
            return
        err.print(f"找不到编号为 {judgment_id} 的案件，或它没有类案。")
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(search_json(result), ensure_ascii=False, indent=1) + "\n")
        return
    _print_result(result, 1, size)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    register_eval(eval_app)
    app.command("search")(search_cmd)
    app.command("similar")(similar_cmd)
    app.command("reindex")(reindex_cmd)


def eval_search(
    corpus: Annotated[
        Path, typer.Argument(help="带标注的语料目录（judgments.jsonl + labels.jsonl）")
    ] = DEFAULT_CORPUS,
    engine: Annotated[
        str, typer.Option("--engine", help="embedded 或 es（用 ANJIAN_ES_URL，临时别名）")
    ] = "embedded",
    verbose: Annotated[bool, typer.Option("--verbose", help="逐条列出每个检索式")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="输出一个 JSON 对象（缺省亦为 JSON）/ one JSON object")
    ] = True,
) -> None:
    """检索质量：由标注写出的检索式，每条应找到的裁判文书，查全率与查准率 / Search recall and precision."""
    import os
    import tempfile
    import uuid

    from core.db import Database
    from core.settings import load_settings
    from pipeline.corpus import store_corpus
    from pipeline.indexing import reindex_from_db
    from search import open_backend
    from search.evaluation import (
        load_corpus,
        quality_table,
        run_table,
        snippet_evidence,
        summary,
        typo_suggestions,
    )

    judgments, labels = load_corpus(corpus)
    with tempfile.TemporaryDirectory(prefix="anjian-eval-search-") as tmp:
        overrides: dict = {"data_dir": Path(tmp) / "data", "database_url": None, "es_url": None}
        if engine == "es":
            if not os.environ.get("ANJIAN_ES_URL"):
                raise typer.BadParameter("--engine es 需要设置 ANJIAN_ES_URL")
            overrides.update(
                es_url=os.environ["ANJIAN_ES_URL"], es_index=f"anjian-eval-{uuid.uuid4().hex[:8]}"
            )
        cfg = load_settings(**overrides)
        db = Database(cfg)
        corpus_of = store_corpus(db, judgments, labels)
        backend = open_backend(cfg)
        reindex_from_db(db, backend)
        rows = run_table(backend, quality_table(judgments, labels), corpus_of)
        evidence = snippet_evidence(backend, corpus_of, labels)
        typos = typo_suggestions(backend)
        if engine == "es":
            backend.drop_all()  # type: ignore[attr-defined]
        db.dispose()
    result = summary(rows)
    result["engine"] = engine
    result["filter_snippets_with_evidence"] = evidence
    result["did_you_mean"] = typos
    if verbose:
        result["rows"] = [
            {
                "query": r.case.query,
                "kind": r.case.kind,
                "expected": len(r.case.expected),
                "found": len(r.found),
                "recall": round(r.recall, 3),
                "precision": round(r.precision, 3),
            }
            for r in rows
        ]
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


CLASSIFIER_MODES = ("cv", "source", "shipped")


def _classified(judgments: dict[str, dict], labels: dict[str, dict], mode: str = "cv") -> dict[str, dict]:
    """The labels with outcome, action type, field and loss causes replaced by what the classifier decides, so
    类案 are measured on machine labels, as they are used. ``cv``: each judgment classified by a model trained on
    the other 4 of 5 folds (never on itself); ``source``: by a model trained on the other source collections
    (``source_repo``: leave one source out); ``shipped``: the shipped model, which was trained on this corpus
    (optimistic)."""
    from classify import load_model, train_model
    from classify.decide import classify_record
    from classify.evaluate import Labelled, held_out_classifications
    from ingest.parse import parse_text

    ids = sorted(cid for cid in judgments if cid in labels)
    records = {cid: parse_text(judgments[cid]["document_text"]) for cid in ids}
    if mode == "shipped":
        model = load_model()
        decided = {cid: classify_record(records[cid], model) for cid in ids}
    else:
        items = [Labelled(cid, records[cid], labels[cid]) for cid in ids]
        groups = source_groups([judgments[cid] for cid in ids]) if mode == "source" else None
        decided = dict(zip(ids, held_out_classifications(items, 5, train_model, groups=groups), strict=True))
    out = {}
    for cid, c in decided.items():
        out[cid] = {
            **labels[cid],
            "outcome": c.outcome.value,
            "action_type": c.action_type.value if c.action_type else None,
            # None: the classifier's tables read the type from the 案由 or the claims; a number: the model's
            "action_type_probability": c.action_type_probability,
            "field": c.field.value if c.field else None,
            "loss_causes": c.cause_codes(),
            "cause_evidence": {t.cause.value: t.evidence[0].text for t in c.loss_causes if t.evidence},
        }
    return out


def source_groups(rows: list[dict], min_size: int = 10) -> list[str]:
    """The source collection of each corpus judgment (``source_repo``); collections of fewer than ``min_size``
    judgments are pooled into one group, so that every held-out group is a real test."""
    names = [str(r.get("source_repo") or "?") for r in rows]
    sizes = Counter(names)
    return [n if sizes[n] >= min_size else "small collections" for n in names]


def eval_similar(
    corpus: Annotated[
        Path, typer.Argument(help="带标注的语料目录（judgments.jsonl + labels.jsonl）")
    ] = DEFAULT_CORPUS,
    labels_as_classified: Annotated[
        bool,
        typer.Option("--labels", help="用标注代替机器分类结果（只衡量检索，不衡量分类器）"),
    ] = False,
    classifier: Annotated[
        str,
        typer.Option(
            "--classifier",
            help="机器分类结果从哪来：cv（五折交叉验证，模型没见过被查的文书，缺省）、"
            "source（留出一个来源集合）或 shipped（随附模型，训练时见过这些文书，偏乐观）",
        ),
    ] = "cv",
    engine: Annotated[
        str, typer.Option("--engine", help="embedded 或 es（用 ANJIAN_ES_URL，临时别名）")
    ] = "embedded",
    verbose: Annotated[bool, typer.Option("--verbose", help="逐件列出")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出一个 JSON 对象（缺省亦为 JSON）")] = True,
) -> None:
    """类案质量：precision@5（同一行为类型；程序性裁定对实体判决不算）与 nDCG@10（类型、领域、败诉原因分级）。"""
    import os
    import tempfile
    import uuid

    from core.db import Database
    from core.settings import load_settings
    from pipeline.corpus import store_corpus
    from pipeline.indexing import reindex_from_db
    from search import open_backend
    from search.evaluation import load_corpus, similar_summary, similar_table

    if classifier not in CLASSIFIER_MODES:
        raise typer.BadParameter(f"--classifier 只能是 {'、'.join(CLASSIFIER_MODES)}")
    judgments, labels = load_corpus(corpus)
    stored = labels if labels_as_classified else _classified(judgments, labels, classifier)
    with tempfile.TemporaryDirectory(prefix="anjian-eval-similar-") as tmp:
        overrides: dict = {"data_dir": Path(tmp) / "data", "database_url": None, "es_url": None}
        if engine == "es":
            if not os.environ.get("ANJIAN_ES_URL"):
                raise typer.BadParameter("--engine es 需要设置 ANJIAN_ES_URL")
            overrides.update(
                es_url=os.environ["ANJIAN_ES_URL"], es_index=f"anjian-eval-{uuid.uuid4().hex[:8]}"
            )
        cfg = load_settings(**overrides)
        db = Database(cfg)
        corpus_of = store_corpus(db, judgments, stored)
        backend = open_backend(cfg)
        reindex_from_db(db, backend)
        rows = similar_table(backend, corpus_of, labels)  # relevance always from the labels
        source_of = dict(zip(judgments, source_groups(list(judgments.values())), strict=True))
        if engine == "es":
            backend.drop_all()  # type: ignore[attr-defined]
        db.dispose()
    result: dict = {
        "engine": engine,
        "stored_labels": "labels" if labels_as_classified else f"classifier ({classifier})",
        **similar_summary(rows),
        "by_source": {
            name: similar_summary([r for r in rows if source_of[r["query"]] == name])["all"]
            for name in sorted(set(source_of.values()))
        },
    }
    if verbose:
        result["rows"] = rows
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


def register_eval(eval_app: typer.Typer) -> None:
    eval_app.command("search")(eval_search)
    eval_app.command("similar")(eval_similar)


def _check(backend, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from core.models import Judgment

    with db.session() as s:
        in_db = set(s.scalars(select(Judgment.id)))
    in_index = backend.ids()
    missing, extra = sorted(in_db - in_index), sorted(in_index - in_db)
    out.print(
        f"数据库 {len(in_db)} 份，索引 {len(in_index)} 份；索引缺 {len(missing)} 份，多出 {len(extra)} 份。"
    )
    if missing or extra:
        out.print(f"缺：{missing[:20]}  多出：{extra[:20]}  —— 运行 anjian reindex 修复。")
        raise typer.Exit(1)


def _print_result(result, page: int, size: int) -> None:  # type: ignore[no-untyped-def]
    pages = max(1, -(-result.total // size))
    table = Table(
        title=f"共 {result.total} 份（第 {page}/{pages} 页，{result.took_ms:.0f} 毫秒）", show_lines=True
    )
    table.add_column("ID", justify="right")
    table.add_column("案号 / 法院 / 日期")
    table.add_column("摘要")
    for h in result.hits:
        head = "\n".join(escape(x) for x in (h.case_no or "", h.court or "", h.judgment_date or "") if x)
        table.add_row(str(h.id), head, _snippet_markup(h.snippet))
    out.print(table)
    if not result.hits and getattr(result, "suggestions", None):
        out.print("您是不是要找：" + "  ".join(f"[bold]{escape(x)}[/bold]" for x in result.suggestions))
    for name, values in result.facets.items():
        if values:
            shown = "  ".join(f"{escape(v.label or v.value)}({v.count})" for v in values[:8])
            out.print(f"[bold]{FACET_TITLES.get(name, name)}[/bold]：{shown}")
