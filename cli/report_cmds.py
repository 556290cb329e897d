"""`anjian stats`, `anjian bulletin`, `anjian collection`, `anjian agencies …`, `anjian ledger …`,
`anjian followup …`: the reports area (statistics, rankings, documents for meetings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.console import Console
from cli.console import Table as RichTable
from cli.context import database, settings

out = Console(narrow_when_piped=160)
err = Console(stderr=True)

BY_HELP = "agency（单位）| township（乡镇街道）| department（部门）| field（领域）| action_type（行为类型）| cause（原因）| court（法院）| month | quarter | year"
DEF_HELP = (
    "败诉率口径：concluded（÷审结，缺省）或 merits（÷实体判决），可加 +corrected（自行纠正后撤诉计为败诉）"
)


def _import(importer: Any, path: Path) -> Any:
    """Run a file importer in one transaction; a missing or malformed file is a clear message, not a trace."""
    from registry.agencies import RegistryError

    if not path.exists():
        raise _fail(f"找不到 {path}")
    try:
        with database().session() as s:
            return importer(s, path)
    except RegistryError as exc:
        raise _fail(str(exc)) from exc


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]{message}[/red]")
    return typer.Exit(1)


def _print_table(title: str, columns: list[str], rows: list[list[object]], note: str = "") -> None:
    t = RichTable(title=title, caption=note or None, caption_justify="left")
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    out.print(t)


def _dump(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


PERIOD_HELP = "2024、2024Q2、2024-05，或范围 2022..2024、2022Q1..2023Q4、2022..（至今）；缺省为全部期间"
SINCE_HELP = "某期间以来，例如 2022（即 --period 2022..）"


def stats_cmd(
    by: Annotated[str, typer.Option("--by", help=BY_HELP)] = "agency",
    then: Annotated[str | None, typer.Option("--then", help="再按第二个维度分组（同 --by 的取值）")] = None,
    period: Annotated[str | None, typer.Option("--period", help=PERIOD_HELP)] = None,
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
    definition: Annotated[str, typer.Option("--definition", help=DEF_HELP)] = "concluded",
    ours: Annotated[bool, typer.Option("--ours", help="只统计名录中的本县单位")] = False,
    agency: Annotated[
        list[int] | None, typer.Option("--agency", help="只统计这些单位（编号，可多次）")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="另存为 .csv 或 .xlsx")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    query: Annotated[
        str | None,
        typer.Option(
            "--query", help='只统计检索结果（同 anjian search 的检索式），例如 "原因:程序违法 年份:2023"'
        ),
    ] = None,
) -> None:
    """发案量、败诉率、负责人出庭率与排名 / Loss-rate statistics and rankings."""
    from core.spreadsheet import write_table
    from reports.caseindex import stats_report
    from reports.stats import GroupBy, RankingRules, StatsError

    try:
        group_by = GroupBy(by)
        then_by = GroupBy(then) if then else None
    except ValueError as exc:
        raise _fail(f"--by / --then 只能是：{BY_HELP}") from exc
    from reports.sample import query_report
    from search.errors import QuerySyntaxError, SearchError

    options: dict[str, Any] = dict(
        by=group_by,
        then=then_by,
        period=period,
        since=since,
        definition=definition,
        agency_ids=agency,
        ours_only=ours,
    )
    try:
        rules = RankingRules.from_settings(settings())
        with database().session() as s:
            if query is not None:
                report = query_report(s, settings(), query, rules=rules, **options)
            else:
                report = stats_report(s, rules=rules, **options)
    except StatsError as exc:
        raise _fail(str(exc)) from exc
    except QuerySyntaxError as exc:
        raise _fail(f"检索式有误：{exc.message_zh}") from exc
    except SearchError as exc:
        raise _fail(exc.message_zh) from exc
    table = report.to_table()
    if output:
        try:
            write_table(table, output)
        except ValueError as exc:
            raise _fail(str(exc)) from exc
        err.print(f"已导出 {output}")
    if as_json:
        _dump(report.to_json())
        return
    _print_table(table.title, table.columns, table.rows, table.note)
    for k in report.key_targets:
        kind = "乡镇（街道）" if k.kind == "township" else "部门"
        out.print(f"重点监督对象（{kind}）：{'、'.join(k.names)}（败诉 {k.losses} 件）")


def bulletin_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件：.docx 或 .pdf")],
    quarter: Annotated[str | None, typer.Option("--quarter", help="季度，例如 2024Q2")] = None,
    period: Annotated[str | None, typer.Option("--period", help=PERIOD_HELP)] = None,
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
    definition: Annotated[str, typer.Option("--definition", help=DEF_HELP)] = "concluded",
    ours: Annotated[bool, typer.Option("--ours", help="只统计名录中的本县单位")] = False,
    number: Annotated[str | None, typer.Option("--number", help="发文字号，例如 垫司通〔2024〕3号")] = None,
    title: Annotated[str | None, typer.Option("--title", help="通报标题（默认：关于…的通报）")] = None,
    issuing_body: Annotated[
        str | None, typer.Option("--issuing-body", help="发文机关（默认：设置 ANJIAN_ISSUING_BODY）")
    ] = None,
) -> None:
    """生成季度（或任一期间）通报（DOCX / PDF）/ Quarterly bulletin."""
    from reports.bulletin import make_bulletin
    from reports.officialdoc import RenderError
    from reports.stats import StatsError

    if not (quarter or period or since):
        raise _fail("请用 --quarter 2024Q2、--period 2022..2024 或 --since 2022 指定通报期间")
    try:
        with database().session() as s:
            r = make_bulletin(
                s,
                settings(),
                quarter,
                output,
                period=period,
                since=since,
                definition=definition,
                ours_only=ours,
                number=number,
                title=title,
                issuing_body=issuing_body,
            )
    except (RenderError, StatsError) as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已生成 {r.path}：{r.period} 发案 {r.cases} 件，败诉 {r.losses} 件")


def collection_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件：.docx 或 .pdf")],
    cause: Annotated[list[str] | None, typer.Option("--cause", help="败诉原因（代码或中文，可多次）")] = None,
    field: Annotated[list[str] | None, typer.Option("--field", help="执法领域（代码或中文，可多次）")] = None,
    year: Annotated[int | None, typer.Option("--year", help="裁判日期所在年度")] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="期间，例如 2024Q2 或范围 2022..2024（与 --year 二选一）"),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
    agency: Annotated[list[int] | None, typer.Option("--agency", help="单位编号（可多次）")] = None,
    ids: Annotated[list[int] | None, typer.Option("--id", help="人工选定的裁判文书编号（可多次）")] = None,
    title: Annotated[str | None, typer.Option("--title", help="汇编标题")] = None,
    issuing_body: Annotated[
        str | None, typer.Option("--issuing-body", help="封面的发文机关（默认：设置 ANJIAN_ISSUING_BODY）")
    ] = None,
    number: Annotated[str | None, typer.Option("--number", help="封面的文号（可不填）")] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="最后一遍检查发现疑似姓名时不生成文件（默认自动隐名并列出）")
    ] = False,
) -> None:
    """生成典型案例汇编（DOCX / PDF）/ Typical warning-case collection."""
    from core.taxonomy import Field, LossCause
    from reports.collection import CollectionFilter, NothingSelected, UnresolvedNames, make_collection
    from reports.deidentify import mask_name
    from reports.officialdoc import RenderError
    from reports.stats import Period, StatsError, parse_period

    causes, fields = [], []
    for c in cause or []:
        code = LossCause.parse(c)
        if code is None:
            raise _fail(f"不认识的败诉原因「{c}」：可选 {', '.join(x.value for x in LossCause)}")
        causes.append(code.value)
    for f in field or []:
        field_code = Field.parse(f)
        if field_code is None:
            raise _fail(f"不认识的执法领域「{f}」")
        fields.append(field_code.value)
    try:
        if year and (period or since):
            raise StatsError("--year 与 --period/--since 只能选一个")
        p = Period.parse(str(year)) if year else parse_period(period, since)
    except StatsError as exc:
        raise _fail(str(exc)) from exc
    flt = CollectionFilter(causes=causes, fields=fields, period=p, agency_ids=agency, judgment_ids=ids or [])
    try:
        with database().session() as s:
            r = make_collection(
                s,
                settings(),
                flt,
                output,
                title=title,
                strict=strict,
                issuing_body=issuing_body,
                number=number,
            )
    except NothingSelected as exc:
        raise _fail(str(exc)) from exc
    except UnresolvedNames as exc:
        for case, hit in exc.findings:
            err.print(f"疑似姓名「{hit.name}」（{case}）：…{hit.context}…")
        raise _fail(str(exc)) from exc
    except RenderError as exc:
        raise _fail(str(exc)) from exc
    for case, hit in r.findings:
        err.print(f"已自动隐名「{hit.name}」→「{mask_name(hit.name)}」（{case}）：…{hit.context}…")
    err.print(f"已生成 {r.path}：{r.cases} 个案例")


def benchmarks_load(
    path: Annotated[
        Path, typer.Argument(help=".csv 或 .xlsx（列：层级、地区、年度、案件数、败诉数、败诉率）")
    ],
) -> None:
    """导入对标数据（全省、全市等的发案量与败诉率），通报与统计中放在本县败诉率旁边。"""
    from reports.benchmarks import BenchmarkError, load_benchmarks

    if not path.exists():
        raise _fail(f"找不到 {path}")
    try:
        with database().session() as s:
            n = load_benchmarks(s, path)
    except BenchmarkError as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已导入对标数据 {n} 行")


def benchmarks_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """列出对标数据。"""
    from reports.benchmarks import list_benchmarks

    with database().session() as s:
        rows = list_benchmarks(s)
    if as_json:
        _dump(rows)
        return
    _print_table(
        f"对标数据（{len(rows)} 行）",
        ["层级", "地区", "年度", "案件数", "败诉数", "败诉率"],
        [
            [r["level"], r["region"], r["year"], r["cases"], r["losses"], f"{r['rate'] * 100:.1f}%"]
            for r in rows
        ],
    )


def agencies_import(
    path: Annotated[
        Path,
        typer.Argument(
            help=".csv 或 .xlsx（列：单位全称、类型、层级、所属政府、执法领域、本县单位、简称、曾用名）"
        ),
    ],
) -> None:
    """导入单位名录（已有的单位按全称更新）。"""
    from registry.agencies import import_file

    n = _import(import_file, path)
    err.print(f"已导入 {n} 个单位")


def agencies_sample() -> None:
    """导入演示用单位名录（registry/data/sample_agencies.csv）。"""
    from registry.agencies import load_sample_registry

    with database().session() as s:
        n = load_sample_registry(s)
    err.print(f"已导入演示名录 {n} 个单位")


def agencies_export(path: Annotated[Path, typer.Argument(help=".csv 或 .xlsx")]) -> None:
    """导出单位名录。"""
    from registry.agencies import export_file

    try:
        with database().session() as s:
            n = export_file(s, path)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已导出 {n} 个单位到 {path}")


def agencies_list(
    ours: Annotated[bool, typer.Option("--ours", help="只列本县单位")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """列出名录中的单位。"""
    from registry.agencies import list_agencies

    with database().session() as s:
        rows = list_agencies(s, ours_only=ours)
    if as_json:
        _dump(rows)
        return
    _print_table(
        f"单位名录（{len(rows)} 个）",
        ["编号", "单位全称", "类型", "本县", "别名"],
        [
            [
                r["id"],
                r["name"],
                r["kind_zh"],
                "是" if r["ours"] else "否",
                "、".join(a["alias"] for a in r["aliases"]),
            ]
            for r in rows
        ],
    )


def agencies_unmatched(
    scan: Annotated[bool, typer.Option("--scan", help="先把所有裁判文书的被告与名录匹配一遍")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """列出未能匹配到名录的被告名称（待人工确认）。"""
    from registry.agencies import scan_judgment_defendants, unmatched

    with database().session() as s:
        if scan:
            matches = scan_judgment_defendants(s)
            err.print(
                f"已匹配 {sum(m.agency_id is not None for m in matches.values())}/{len(matches)} 个被告名称"
            )
        rows = unmatched(s)
    if as_json:
        _dump(rows)
        return
    _print_table(
        f"待匹配的被告名称（{len(rows)} 个）",
        ["名称", "最接近的单位", "相似度", "出现次数"],
        [[r["name"], r["candidate"] or "", f"{r['confidence']:.2f}", r["seen"]] for r in rows],
    )


def agencies_resolve(
    name: Annotated[str, typer.Argument(help="待匹配的被告名称")],
    agency: Annotated[
        int | None, typer.Option("--agency", help="它是哪个单位（编号）；不填表示不是本名录单位")
    ] = None,
) -> None:
    """确认一个被告名称属于哪个单位（作为别名保存）。"""
    from registry.agencies import RegistryError, resolve_unmatched

    try:
        with database().session() as s:
            resolve_unmatched(s, name, agency)
    except RegistryError as exc:
        raise _fail(str(exc)) from exc
    err.print("已保存")


def ledger_import(
    path: Annotated[Path, typer.Argument(help=".csv 或 .xlsx（列：案号、单位、收案日期、结案日期、结果）")],
) -> None:
    """导入案件台账，并按案号与裁判文书关联。"""
    from supervision.ledger import import_ledger_file

    r = _import(import_ledger_file, path)
    err.print(
        f"读入 {r['read']} 行；与裁判文书关联 {r['matched_judgments']} 件；匹配到名录单位 {r['matched_agencies']} 行"
    )


def ledger_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """列出台账。"""
    from supervision.ledger import list_ledger

    with database().session() as s:
        rows = list_ledger(s)
    if as_json:
        _dump(rows)
        return
    _print_table(
        f"案件台账（{len(rows)} 行）",
        ["案号", "单位", "收案日期", "结果", "裁判文书"],
        [
            [r["case_no"], r["agency"], r["received_date"], r["outcome"], r["judgment_id"] or "未到"]
            for r in rows
        ],
    )


def followup_set(
    args: Annotated[list[str] | None, typer.Argument(help="（已停用）")] = None,
) -> None:
    """已停用：报备跟踪已并入应诉案件登记簿，请用 anjian suits register / anjian suits report。"""
    raise _fail(
        "「anjian followup set」已由应诉案件登记簿取代：登记新案用「anjian suits register」，"
        "报送败诉原因分析和整改措施用「anjian suits report」。原有记录已迁入登记簿（anjian suits list）。"
    )


def followup_list(
    args: Annotated[list[str] | None, typer.Argument(help="（已停用）")] = None,
) -> None:
    """已停用：请用 anjian suits list（逾期：anjian suits list --overdue）。"""
    raise _fail(
        "「anjian followup list」已由「anjian suits list」取代（逾期情况：anjian suits list --overdue）。"
    )


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    agencies_app = typer.Typer(
        help="单位名录：导入、导出、查看、待匹配名称 / Agency registry.", no_args_is_help=True
    )
    ledger_app = typer.Typer(help="案件台账导入 / Import existing ledgers.", no_args_is_help=True)
    followup_app = typer.Typer(
        help="（已停用，见 anjian suits）/ Replaced by anjian suits.", no_args_is_help=True
    )
    app.add_typer(agencies_app, name="agencies")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(followup_app, name="followup")
    benchmarks_app = typer.Typer(help="对标数据：导入、查看 / Benchmark figures.", no_args_is_help=True)
    app.add_typer(benchmarks_app, name="benchmarks")
    benchmarks_app.command("load")(benchmarks_load)
    benchmarks_app.command("list")(benchmarks_list)
    app.command("stats")(stats_cmd)
    app.command("bulletin")(bulletin_cmd)
    app.command("collection")(collection_cmd)
    agencies_app.command("import")(agencies_import)
    agencies_app.command("load-sample")(agencies_sample)
    agencies_app.command("export")(agencies_export)
    agencies_app.command("list")(agencies_list)
    agencies_app.command("unmatched")(agencies_unmatched)
    agencies_app.command("resolve")(agencies_resolve)
    ledger_app.command("import")(ledger_import)
    ledger_app.command("list")(ledger_list)
    followup_app.command("set", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
        followup_set
    )
    followup_app.command("list", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
        followup_list
    )


def _calendar():  # type: ignore[no-untyped-def]
    from supervision.workdays import WorkCalendar

    st = settings()
    return WorkCalendar.load([getattr(st, "holidays_file", None), Path(st.data_dir) / "holidays.csv"])
