"""`anjian suits …` and `anjian reminders …`: the register of suits for bureau staff (issue 15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import database, settings
from cli.report_cmds import _calendar, _dump, _fail, _print_table, err


def _go_live() -> Any:
    from supervision.suits import GoLive

    return GoLive(settings().supervision_start)


def suits_register(
    papers_received: Annotated[str, typer.Option("--papers-received", help="收到应诉材料日期 2024-05-20")],
    plaintiff: Annotated[list[str], typer.Option("--plaintiff", help="原告（可多次）")],
    court: Annotated[str, typer.Option(help="受理法院")],
    sued_action: Annotated[str, typer.Option("--sued-action", help="被诉行政行为")],
    agency: Annotated[int, typer.Option("--agency", help="被诉单位编号（anjian agencies list）")],
    case_no: Annotated[str | None, typer.Option("--case-no", help="案号（可暂缺）")] = None,
    reported_on: Annotated[str | None, typer.Option("--reported-on", help="报备日期（缺省：今天）")] = None,
    action_type: Annotated[str | None, typer.Option("--action-type", help="行为类型，如 行政处罚")] = None,
    field: Annotated[str | None, typer.Option("--field", help="管理领域，如 自然资源")] = None,
) -> None:
    """登记一件应诉案件（同一案号的第二个被告作为共同被告加入），并显示应报日期。"""
    from supervision.obligations import suit_as_dict
    from supervision.suits import SuitError, defendants, register_suit

    try:
        with database().session() as s:
            r = register_suit(
                s,
                papers_received=papers_received,
                plaintiffs=plaintiff,
                court=court,
                sued_action=sued_action,
                agency_id=agency,
                case_no=case_no,
                reported_on=reported_on,
                action_type=action_type,
                field=field,
                by="cli",
                go_live=_go_live(),
            )
            d = suit_as_dict(s, r.suit, defendants(s, r.suit), _calendar(), dt.date.today(), _go_live())
    except SuitError as exc:
        raise _fail(str(exc)) from exc
    err.print(r.message)
    for a in d["agencies"]:
        if a["agency_id"] == agency and a["report_due"]:
            state = "按期" if a["report_on_time"] else "[red]逾期[/red]"
            err.print(f"应于 {a['report_due']} 前报备；本次报备 {a['reported_on']}，{state}")


def suits_list(
    status: Annotated[str | None, typer.Option(help="pending / decided / withdrawn / closed")] = None,
    agency: Annotated[int | None, typer.Option("--agency", help="只看此单位")] = None,
    overdue_only: Annotated[bool, typer.Option("--overdue", help="只列逾期未报或迟报的")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="另存为 .csv 或 .xlsx")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """列出登记簿中的案件及其报备义务（应报日期、是否逾期）。"""
    from supervision.obligations import list_suits

    with database().session() as s:
        rows = list_suits(
            s,
            _calendar(),
            dt.date.today(),
            _go_live(),
            agency_ids=[agency] if agency else None,
            status=status,
            overdue_only=overdue_only,
        )
    if as_json:
        _dump(rows)
        return
    table = []
    for r in rows:
        for o in r["obligations"] or [
            {"agency": "", "what_zh": "—", "due": "", "done_on": "", "state_zh": ""}
        ]:
            table.append(
                [
                    r["id"],
                    r["case_no"] or "（未填）",
                    o["agency"],
                    o["what_zh"],
                    o["due"],
                    o["done_on"] or "未报",
                    o["state_zh"],
                    r["status_zh"],
                ]
            )
    columns = ["编号", "案号", "单位", "事项", "应报日期", "报送日期", "情况", "案件状态"]
    if output:
        _export(output, "应诉案件报备情况", columns, table)
    _print_table(f"应诉案件登记簿（{len(rows)} 件）", columns, table)


def _export(output: Path, title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from core.spreadsheet import Table, write_table

    try:
        write_table(Table(title=title, columns=columns, rows=rows, note=""), output)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已导出 {output}")


def suits_show(suit_id: Annotated[int, typer.Argument(help="登记编号")]) -> None:
    """一件案件的全部信息（JSON）：被告单位、裁判文书、报备义务、历史。"""
    from supervision.obligations import suit_as_dict
    from supervision.suits import SuitError, defendants, get_suit

    try:
        with database().session() as s:
            suit = get_suit(s, suit_id)
            _dump(suit_as_dict(s, suit, defendants(s, suit), _calendar(), dt.date.today(), _go_live()))
    except SuitError as exc:
        raise _fail(str(exc)) from exc


def suits_report(
    suit_id: Annotated[int, typer.Argument(help="登记编号")],
    agency: Annotated[int | None, typer.Option("--agency", help="报送单位编号（仅一个被告时可省）")] = None,
    cause: Annotated[
        list[str] | None, typer.Option("--cause", help="败诉原因（可多次），如 违反法定程序")
    ] = None,
    analysis: Annotated[str, typer.Option(help="败诉原因分析")] = "",
    measure: Annotated[
        list[str] | None, typer.Option("--measure", help="整改措施：内容|责任人|期限|状态（可多次）")
    ] = None,
    reported_on: Annotated[str | None, typer.Option("--reported-on", help="报送日期（缺省：今天）")] = None,
) -> None:
    """报送败诉原因分析和整改措施（5 个工作日内）。"""
    from supervision.suits import SuitError, file_loss_report

    measures = []
    for m in measure or []:
        parts = [*m.split("|"), "", "", ""]
        measures.append(
            {"text": parts[0], "owner": parts[1], "due": parts[2] or None, "status": parts[3] or None}
        )
    try:
        with database().session() as s:
            file_loss_report(
                s,
                suit_id,
                agency_id=agency,
                causes=cause or [],
                analysis=analysis,
                measures=measures,
                reported_on=reported_on,
                by="cli",
            )
    except SuitError as exc:
        raise _fail(str(exc)) from exc
    err.print("已报送败诉原因分析和整改措施")


def suits_withdraw(
    suit_id: Annotated[int, typer.Argument(help="登记编号")],
    after_correction: Annotated[
        bool, typer.Option("--after-correction", help="行政机关纠正后原告撤诉（实质性化解）")
    ] = False,
) -> None:
    """登记原告撤诉。"""
    from supervision.suits import SuitError, record_withdrawal

    try:
        with database().session() as s:
            record_withdrawal(s, suit_id, after_correction=after_correction, by="cli")
    except SuitError as exc:
        raise _fail(str(exc)) from exc
    err.print("已登记撤诉")


def suits_proposals(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """未填案号的登记案件可能对应的裁判文书（需人工确认）。"""
    from supervision.suits import proposals

    with database().session() as s:
        rows = proposals(s)
    if as_json:
        _dump(rows)
        return
    _print_table(
        f"待确认的关联（{len(rows)} 条）",
        ["登记编号", "裁判文书编号", "案号", "理由"],
        [[r["suit_id"], r["judgment_id"], r["case_no"], r["reason"]] for r in rows],
    )


def suits_confirm(
    suit_id: Annotated[int, typer.Argument(help="登记编号")],
    judgment_id: Annotated[int, typer.Argument(help="裁判文书编号")],
) -> None:
    """确认一条关联：把裁判文书挂到登记的案件上。"""
    from supervision.suits import SuitError, confirm_proposal

    try:
        with database().session() as s:
            confirm_proposal(s, suit_id, judgment_id, go_live=_go_live(), by="cli", today=dt.date.today())
    except SuitError as exc:
        raise _fail(str(exc)) from exc
    err.print("已关联")


def suits_review(
    agency: Annotated[int | None, typer.Option("--agency", help="只看此单位")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """在审案件风险研判（诉中化解）：风险等级及理由、同类败诉、最相近的已决案件。"""
    from api.services.suits import similar_fn
    from supervision.review import RiskRule, review
    from supervision.suits import SuitError

    try:
        rule = RiskRule.parse(settings().risk_rule)
    except SuitError as exc:
        raise _fail(str(exc)) from exc
    with database().session() as s:
        rows = review(
            s,
            _calendar(),
            dt.date.today(),
            rule,
            agency_ids=[agency] if agency else None,
            similar=similar_fn(settings()),
        )
    if as_json:
        _dump(rows)
        return
    _print_table(
        f"在审案件风险研判（{len(rows)} 件）",
        ["编号", "案号", "已过工作日", "风险", "理由", "相近案件"],
        [
            [
                r["suit_id"],
                r["case_no"] or "（未填）",
                r["workdays_since_receipt"],
                r["risk_zh"],
                r["reason"],
                "；".join(
                    f"{x['case_no']}（{'、'.join(x['causes']) or x['outcome']}）" for x in r["similar"]
                ),
            ]
            for r in rows
        ],
    )


def suits_unreported(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="另存为 .csv 或 .xlsx")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """已有裁判文书但单位未报备的案件（上线日期之后）。"""
    from supervision.reconcile import unreported_judgments

    with database().session() as s:
        rows = unreported_judgments(s, _go_live())
    if as_json:
        _dump(rows)
        return
    columns = ["文书编号", "案号", "法院", "裁判日期", "被告"]
    table = [
        [r["judgment_id"], r["case_no"], r["court"], r["judgment_date"], "、".join(r["defendants"])]
        for r in rows
    ]
    if output:
        _export(output, "未报备案件", columns, table)
    _print_table(f"未报备（{len(rows)} 件）", columns, table)


def suits_reconcile(
    court_list: Annotated[Path, typer.Argument(help="法院季度案件名单 .csv 或 .xlsx")],
    out_dir: Annotated[
        Path | None, typer.Option("-o", "--out-dir", help="三张清单导出到此目录（.xlsx）")
    ] = None,
    register_missing: Annotated[
        bool,
        typer.Option(
            "--register-missing", help="把法院名单有、单位未报备的案件补录为“未报备”（计入逾期和通报）"
        ),
    ] = False,
) -> None:
    """与法院季度案件名单对账：法院有而单位未报备、单位报备而法院名单无、已结案未收到文书。"""
    from registry.agencies import RegistryError, read_table_file
    from supervision.reconcile import reconcile
    from supervision.reconcile import register_missing as back_fill

    if not court_list.exists():
        raise _fail(f"找不到 {court_list}")
    try:
        with database().session() as s:
            lists = reconcile(s, read_table_file(court_list))
            added = back_fill(s, lists["never_reported"], by="cli") if register_missing else 0
    except RegistryError as exc:
        raise _fail(str(exc)) from exc
    if register_missing:
        err.print(f"已补录 {added} 件未报备案件（无法匹配单位或缺立案日期的未补录）")
    titles = {
        "never_reported": "法院名单有、单位未报备",
        "not_in_court_list": "单位已报备、法院名单无",
        "judgment_not_received": "已结案、未收到裁判文书",
    }
    for key, title in titles.items():
        rows = lists[key]
        table = [[r.get("case_no"), r.get("court"), r.get("agency"), r["problem"]] for r in rows]
        columns = ["案号", "法院", "单位", "问题"]
        if out_dir:
            out_dir.mkdir(parents=True, exist_ok=True)
            _export(out_dir / f"{title}.xlsx", title, columns, table)
        _print_table(f"{title}（{len(rows)} 件）", columns, table)


def suits_export(output: Annotated[Path, typer.Argument(help="导出给法院的 .csv 或 .xlsx")]) -> None:
    """按法院名单的列导出登记簿（案号、法院、被告、原告、立案日期、结案日期、结果）。"""
    from supervision.reconcile import COLUMNS, register_rows

    with database().session() as s:
        rows = register_rows(s)
    _export(output, "行政应诉案件登记", COLUMNS, [list(r) for r in rows])


def _user(username: str) -> Any:
    from sqlalchemy import select

    from core.models import User

    with database().session() as s:
        user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise _fail(f"没有账号「{username}」")
    return user


def reminders_list(
    username: Annotated[str, typer.Argument(help="账号（单位账号只看本单位）")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """某个账号的待办提醒：待报送、已逾期、剩余工作日。"""
    from supervision.reminders import in_app

    user = _user(username)
    with database().session() as s:
        items = in_app(s, user, _calendar(), dt.date.today(), _go_live())
    if as_json:
        _dump(items)
        return
    _print_table(
        f"{username} 的提醒（{len(items)} 项）",
        ["编号", "事项", "应报日期", "情况", "提醒"],
        [[i["suit_id"], i["text"], i["due"], i["state_zh"], i["reminder"]] for i in items],
    )


def reminders_send(
    date: Annotated[str | None, typer.Option("--date", help="按此日期计算（缺省：今天）")] = None,
) -> None:
    """发送今天的提醒（到期前一个工作日、逾期当日，以及每日汇总），按各账号开启的邮件 / Webhook 渠道。
    每天运行一次（cron 或调度器）；同一提醒不会重复发送。"""
    from api.services.suits import delivery
    from supervision.reminders import send_reminders

    try:
        today = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError as exc:
        raise _fail(f"日期应写成 2024-05-20：{date}") from exc
    d = delivery(settings())
    if d.smtp is None:
        err.print("未配置 ANJIAN_SMTP_HOST：不发送邮件（Webhook 和系统内提醒照常）")
    with database().session() as s:
        counts = send_reminders(s, _calendar(), today, _go_live(), d)
    err.print(f"已发送 {counts['sent']} 条，失败 {counts['failed']} 条，已发过跳过 {counts['skipped']} 条")
    if counts["failed"]:
        raise typer.Exit(1)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    suits_app = typer.Typer(
        help="应诉案件登记簿：登记、报备、败诉报告 / Register of suits.", no_args_is_help=True
    )
    app.add_typer(suits_app, name="suits")
    suits_app.command("register")(suits_register)
    suits_app.command("list")(suits_list)
    suits_app.command("show")(suits_show)
    suits_app.command("report")(suits_report)
    suits_app.command("withdraw")(suits_withdraw)
    suits_app.command("proposals")(suits_proposals)
    suits_app.command("confirm")(suits_confirm)
    suits_app.command("review")(suits_review)
    suits_app.command("unreported")(suits_unreported)
    suits_app.command("reconcile")(suits_reconcile)
    suits_app.command("export")(suits_export)
    reminders_app = typer.Typer(help="报备提醒：查看、发送 / Reminders.", no_args_is_help=True)
    app.add_typer(reminders_app, name="reminders")
    reminders_app.command("list")(reminders_list)
    reminders_app.command("send")(reminders_send)
