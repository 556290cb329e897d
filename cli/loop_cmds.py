"""`anjian draft …` (collection drafts), `anjian meetings …` (以案促改), `anjian recurrences`, `anjian letter`
(《工作提醒函》), `anjian disclosure` (annual public disclosure), `anjian accountability …` (执法过错责任追究)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli.context import database, settings
from cli.report_cmds import _calendar, _dump, _fail, _print_table, err


def _day(value: str | None, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise _fail(f"{what}“{value}”不是有效日期，请写成 2024-05-20") from exc


def _errors() -> tuple[type[Exception], ...]:
    from reports.drafts import DraftError
    from reports.officialdoc import RenderError
    from supervision.meetings import MeetingError

    return (DraftError, RenderError, MeetingError)


# ---------------------------------------------------------------- drafts


def draft_create(
    ids: Annotated[list[int], typer.Option("--id", help="裁判文书编号（可多次）")],
    title: Annotated[str, typer.Option("--title", help="汇编标题")] = "",
) -> None:
    """用选定的裁判文书建立汇编草稿（保存在数据库中）。"""
    from reports import drafts

    try:
        with database().session() as s:
            d = drafts.create_draft(s, title, ids, user="cli")
            n = len(drafts.cases_of(s, d.id))
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已建立草稿 {d.id}：{n} 个案例")


def draft_list() -> None:
    """列出汇编草稿。"""
    from reports import drafts

    with database().session() as s:
        rows = drafts.list_drafts(s)
    _print_table(
        "汇编草稿",
        ["编号", "标题", "案例数", "最近导出"],
        [[r["id"], r["title"], r["cases"], r["exported_at"] or ""] for r in rows],
    )


def draft_show(draft_id: Annotated[int, typer.Argument(help="草稿编号")]) -> None:
    """草稿的预览（隐名后的文字、待确认的疑似姓名），JSON。"""
    from reports import drafts

    try:
        with database().session() as s:
            _dump(drafts.preview(s, draft_id))
    except _errors() as exc:
        raise _fail(str(exc)) from exc


def draft_edit(
    draft_id: Annotated[int, typer.Argument(help="草稿编号")],
    case_id: Annotated[int, typer.Argument(help="案例编号（见 draft show）")],
    field: Annotated[str, typer.Argument(help="title|summary|result|excerpt|lesson|significance")],
    text: Annotated[str, typer.Argument(help="新文字（空字符串：恢复系统生成的文字）")],
) -> None:
    """修改草稿中一个案例的一项内容（记入审计日志）。"""
    from reports import drafts

    try:
        with database().session() as s:
            drafts.edit_case(s, draft_id, case_id, field, text, user="cli")
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print("已保存")


def draft_resolve(
    draft_id: Annotated[int, typer.Argument(help="草稿编号")],
    case_id: Annotated[int, typer.Argument(help="案例编号")],
    name: Annotated[str, typer.Argument(help="疑似姓名")],
    action: Annotated[str, typer.Argument(help="mask（隐名）或 keep（保留）")],
) -> None:
    """确认最后一遍检查发现的疑似姓名。"""
    from reports import drafts

    try:
        with database().session() as s:
            drafts.resolve(s, draft_id, case_id, name, action, user="cli")
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print("已确认")


def draft_export(
    draft_id: Annotated[int, typer.Argument(help="草稿编号")],
    output: Annotated[Path, typer.Option("-o", "--output", help=".docx 或 .pdf")],
) -> None:
    """导出草稿（有未确认的疑似姓名时拒绝导出并逐条列出）。"""
    from reports import drafts

    try:
        with database().session() as s:
            r = drafts.export(s, settings(), draft_id, output, user="cli")
    except drafts.DraftBlocked as exc:
        for case_id, f in exc.pending:
            err.print(f"案例 {case_id}：疑似姓名「{f.name}」：…{f.context}…")
        raise _fail(str(exc)) from exc
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已生成 {r.path}：{r.cases} 个案例")


# ---------------------------------------------------------------- 以案促改


def meetings_add(
    agency: Annotated[int, typer.Option("--agency", help="单位编号")],
    held_on: Annotated[str, typer.Option("--date", help="会议日期 2024-05-20")],
    case: Annotated[list[str] | None, typer.Option("--case", help="使用的案例（案号，可多次）")] = None,
    collection: Annotated[int | None, typer.Option("--collection", help="使用的汇编草稿编号")] = None,
    judge: Annotated[str, typer.Option("--judge", help="邀请授课的法官")] = "",
    participants: Annotated[str, typer.Option("--participants", help="参加人员")] = "",
    measures: Annotated[str, typer.Option("--measures", help="会议确定的整改措施")] = "",
    minutes: Annotated[str, typer.Option("--minutes", help="会议纪要")] = "",
) -> None:
    """登记一次以案促改会议。"""
    from supervision.meetings import record_meeting

    try:
        with database().session() as s:
            m = record_meeting(
                s,
                agency,
                held_on,
                participants=participants,
                judge_invited=judge,
                cases_used=case or [],
                draft_id=collection,
                measures=measures,
                minutes=minutes,
                user="cli",
            )
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已登记 {m.held_on} 的以案促改会议（编号 {m.id}）")


def meetings_list(year: Annotated[int | None, typer.Option("--year", help="年度")] = None) -> None:
    """以案促改会议记录。"""
    from supervision.meetings import meetings

    with database().session() as s:
        rows = meetings(s, year)
    _print_table(
        "以案促改会议",
        ["单位", "日期", "使用案例", "邀请法官", "整改措施"],
        [
            [
                r["agency"],
                r["held_on"],
                "、".join(r["cases_used"]) or f"汇编 {r['draft_id']}",
                r["judge_invited"],
                r["measures"],
            ]
            for r in rows
        ],
    )


def meetings_missing(
    year: Annotated[int | None, typer.Option("--year", help="年度（缺省：今年）")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期（缺省：今天）")] = None,
) -> None:
    """本年度尚未开展以案促改的单位。"""
    from supervision.meetings import due_date, missing

    day = _day(as_of, "截至日期") or dt.date.today()
    y = year or day.year
    with database().session() as s:
        rows = missing(s, y, day)
    due = due_date(y, settings().lesson_meeting_due)
    _print_table(
        f"{y}年截至{day}尚未开展以案促改的单位（应于{due}前开展）",
        ["编号", "单位"],
        [[r["agency_id"], r["agency"]] for r in rows],
    )


def recurrences_cmd(agency: Annotated[int | None, typer.Option("--agency", help="单位编号")] = None) -> None:
    """同类问题反弹：同一单位在同一败诉原因或同类行为上再次败诉。"""
    from supervision.meetings import recurrences

    with database().session() as s:
        rows = recurrences(s, [agency] if agency else None)
    _print_table(
        "同类问题反弹",
        ["单位", "案号", "裁判日期", "此前败诉案件", "相同问题"],
        [
            [
                r["agency"],
                r["case_no"] or r["suit_id"],
                r["decided_on"],
                r["earlier_case_no"] or r["earlier_suit_id"],
                "、".join(r["same"]),
            ]
            for r in rows
        ],
    )


def letter_cmd(
    agency: Annotated[int, typer.Argument(help="单位编号（anjian agencies list）")],
    output: Annotated[Path, typer.Option("-o", "--output", help=".docx 或 .pdf")],
    date: Annotated[str | None, typer.Option("--date", help="发函日期（缺省：今天）")] = None,
) -> None:
    """生成给一个单位的《工作提醒函》：在审案件、败诉、逾期未报、同类问题反弹、未开展以案促改及办理期限。"""
    from reports.loop_docs import make_letter

    try:
        with database().session() as s:
            r = make_letter(s, settings(), agency, output, cal=_calendar(), today=_day(date, "发函日期"))
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已生成 {r.path}：{r.agency}，{r.items} 项提醒")


def disclosure_cmd(
    year: Annotated[int, typer.Option("--year", help="年度，例如 2024")],
    output: Annotated[Path, typer.Option("-o", "--output", help=".docx、.pdf 或 .xlsx")],
) -> None:
    """年度公开：各部门应诉案件数、败诉数、败诉率、复议纠错数、责任追究数（不含自然人信息）。"""
    from reports.loop_docs import make_disclosure

    try:
        with database().session() as s:
            t = make_disclosure(s, settings(), year, output)
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已生成 {output}：{len(t.rows)} 个单位")


def accountability_add(
    agency: Annotated[int, typer.Option("--agency", help="单位编号")],
    case: Annotated[str, typer.Option("--case", help="案件（案号或名称）")],
    fault: Annotated[str, typer.Option("--fault", help="认定的执法过错")],
    measure: Annotated[str, typer.Option("--measure", help="追究措施")],
    decided_on: Annotated[str, typer.Option("--date", help="追究决定日期")],
    suit: Annotated[int | None, typer.Option("--suit", help="应诉登记编号")] = None,
) -> None:
    """登记一件执法过错责任追究案件。"""
    from supervision.meetings import record_accountability

    try:
        with database().session() as s:
            row = record_accountability(s, agency, case, fault, measure, decided_on, suit_id=suit, user="cli")
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已登记（编号 {row.id}）")


def accountability_circular(
    quarter: Annotated[str, typer.Option("--quarter", help="季度，例如 2024Q2")],
    output: Annotated[Path, typer.Option("-o", "--output", help=".docx 或 .pdf")],
) -> None:
    """生成季度执法过错责任追究情况通报。"""
    from reports.loop_docs import make_accountability_circular

    try:
        with database().session() as s:
            n = make_accountability_circular(s, settings(), quarter, output)
    except _errors() as exc:
        raise _fail(str(exc)) from exc
    err.print(f"已生成 {output}：{n} 件")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    draft_app = typer.Typer(help="汇编草稿：编辑后导出 / Collection drafts.", no_args_is_help=True)
    app.add_typer(draft_app, name="draft")
    for name, fn in (
        ("create", draft_create),
        ("list", draft_list),
        ("show", draft_show),
        ("edit", draft_edit),
        ("resolve", draft_resolve),
        ("export", draft_export),
    ):
        draft_app.command(name)(fn)
    meetings_app = typer.Typer(help="以案促改会议 / Lesson meetings.", no_args_is_help=True)
    app.add_typer(meetings_app, name="meetings")
    meetings_app.command("add")(meetings_add)
    meetings_app.command("list")(meetings_list)
    meetings_app.command("missing")(meetings_missing)
    acc_app = typer.Typer(help="执法过错责任追究 / Fault accountability.", no_args_is_help=True)
    app.add_typer(acc_app, name="accountability")
    acc_app.command("add")(accountability_add)
    acc_app.command("circular")(accountability_circular)
    app.command("recurrences")(recurrences_cmd)
    app.command("letter")(letter_cmd)
    app.command("disclosure")(disclosure_cmd)
