"""`anjian serve`, `anjian user add/list/passwd`, `anjian token create/list/revoke`."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from cli.console import Console, Table
from cli.context import catch_up_index, database, settings

err = Console(stderr=True)
user_app = typer.Typer(help="账号管理 / Accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API 令牌 / API tokens for scripts.", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise typer.BadParameter("没有终端可输入密码：请用 --password-stdin 从标准输入传入密码")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输一次 / again: ") != first:
        raise typer.BadParameter("两次输入的密码不一致")
    return first


def _fail(exc: Exception) -> None:
    err.print(f"[red]{getattr(exc, 'message', exc)}[/red]")
    raise typer.Exit(1)


def serve(
    host: Annotated[str, typer.Option(help="监听地址 / bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
) -> None:
    """启动网页与 API（无消息队列时同时启动内置后台任务）/ Start the web app and API."""
    import uvicorn

    from api.app import create_app

    s = settings()
    catch_up_index(database(), s)
    app = create_app(s, background_worker=s.broker_url is None, db=database())
    err.print(f"案鉴已启动：http://{host}:{port}/  （API 文档 /docs，健康检查 /healthz）")
    uvicorn.run(app, host=host, port=port, log_level="info")


def user_add(
    username: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[
        str, typer.Option(help="admin 管理员 / analyst 分析员 / agency 单位用户 / viewer 只读")
    ] = "analyst",
    agency: Annotated[str | None, typer.Option(help="单位用户所属单位（单位名录编号）")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码")] = False,
) -> None:
    """新增账号（密码在提示时输入，或 --password-stdin）/ Add an account."""
    from api.services.accounts import create_user

    password = _read_password(password_stdin)
    from core.models import Role

    if Role.parse(role) == Role.agency and not agency:  # the service's message names no command-line flag
        _fail(
            ValueError("单位用户必须指定所属单位：请加 --agency 单位编号（anjian agencies list 可查看编号）")
        )
    try:
        with database().session() as s:
            user = create_user(s, username, password, role, agency)
            typer.echo(
                f"已创建账号 {user.username}（{user.role}{'，单位 ' + user.agency_id if user.agency_id else ''}）"
            )
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _fail(exc)


def user_list() -> None:
    """列出账号 / List accounts."""
    from api.services.accounts import list_users
    from core.models import Role

    table = Table("用户名", "角色", "所属单位", "状态", "最近登录")
    with database().session() as s:
        for u in list_users(s):
            role = Role.parse(u.role)
            table.add_row(
                u.username,
                role.zh if role else u.role,
                u.agency_id or "",
                "启用" if u.active else "停用",
                u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "",
            )
    Console().print(table)


def user_passwd(
    username: Annotated[str, typer.Argument(help="用户名")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码")] = False,
) -> None:
    """修改密码 / Set a password."""
    from api.services.accounts import set_password

    password = _read_password(password_stdin)
    try:
        with database().session() as s:
            set_password(s, username, password)
        typer.echo(f"已修改 {username} 的密码")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


def user_disable(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """停用账号（不能登录，会话和 API 令牌随即失效）/ Disable an account."""
    _set_active(username, False)


def user_enable(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """重新启用账号 / Enable an account again."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    from api.services.accounts import set_active

    try:
        with database().session() as s:
            set_active(s, username, active, by=None)
        typer.echo(f"已{'启用' if active else '停用'}账号 {username}")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


def token_create(
    username: Annotated[str, typer.Argument(help="令牌所属用户")],
    name: Annotated[str, typer.Option(help="令牌用途，便于识别")] = "script",
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", help="有效天数；缺省为一直有效直到撤销")
    ] = None,
) -> None:
    """为脚本创建 API 令牌（只显示一次）/ Create an API token (shown once)."""
    from api.services.accounts import create_token

    try:
        with database().session() as s:
            token = create_token(s, username, name, expires_days)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    typer.echo(token)
    err.print("令牌只显示这一次。使用：Authorization: Bearer <令牌>")


def token_list(
    username: Annotated[str | None, typer.Argument(help="只列出该用户的令牌")] = None,
) -> None:
    """列出 API 令牌（不显示令牌本身）/ List API tokens."""
    from api.services.accounts import list_tokens

    states = {"active": "有效", "revoked": "已撤销", "expired": "已过期"}
    with database().session() as s:
        rows = list_tokens(s, username)
    table = Table(title=f"API 令牌（共 {len(rows)} 个）")
    for col in ("编号", "用户", "用途", "创建", "最近使用", "到期", "状态"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["username"],
            r["name"],
            f"{r['created_at']:%Y-%m-%d}" if r["created_at"] else "",
            f"{r['last_used_at']:%Y-%m-%d %H:%M}" if r["last_used_at"] else "从未",
            f"{r['expires_at']:%Y-%m-%d}" if r["expires_at"] else "不过期",
            states[r["state"]],
        )
    Console().print(table)


def token_revoke(
    token_id: Annotated[int, typer.Argument(help="令牌编号（anjian token list 可查看）")],
) -> None:
    """撤销一个 API 令牌，立即失效 / Revoke an API token."""
    from api.services.accounts import revoke_token

    try:
        with database().session() as s:
            revoke_token(s, token_id, by=None)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    typer.echo(f"已撤销令牌 {token_id}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the ``anjian`` app."""
    app.command("serve")(serve)
    user_app.command("add")(user_add)
    user_app.command("list")(user_list)
    user_app.command("passwd")(user_passwd)
    user_app.command("disable")(user_disable)
    user_app.command("enable")(user_enable)
    token_app.command("create")(token_create)
    token_app.command("list")(token_list)
    token_app.command("revoke")(token_revoke)
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
