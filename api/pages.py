"""Server-rendered pages (Chinese): 检索, 案件, 看板, 汇编, 上传, 单位, and the login page.

Pages read through the same service functions as the JSON API; actions on a page (correct a tag, upload,
export) call the JSON API from the page's script with the session's CSRF token.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.access import Scope
from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep, client_ip, csrf_token
from api.errors import ApiError, Unauthorized, to_api_error
from api.services import accounts, cases, search, stats
from api.services import agencies as agency_service
from api.services.sessions import TooManyAttempts
from core.models import Role
from core.taxonomy import ActionType, LossCause, Outcome
from core.taxonomy import Field as EnforcementField

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)

NAV = [
    ("/search", "检索"),
    ("/dashboard", "看板"),
    ("/collections", "汇编"),
    ("/bulletin", "通报"),
    ("/upload", "上传"),
    ("/agencies", "单位"),
    ("/suits", "应诉"),
    ("/lessons", "以案促改"),
    ("/reminders", "提醒"),
]


def nav_for(scope: Scope | None) -> list[tuple[str, str]]:
    """The menu of this user: no item that leads to a page of actions they cannot take. 上传 needs an account
    that may write; an agency user's 单位 page would hold only their own row, read-only."""
    if scope is None:
        return []
    hidden = set()
    if not scope.can_write:
        hidden.add("/upload")
    if scope.restricted:
        hidden.add("/agencies")
    return [(href, label) for href, label in NAV if href not in hidden]


def page(
    request: Request, name: str, scope: Scope | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    role = scope.role if scope else None
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "scope": scope,
            "role_zh": role.zh if role else None,
            "nav": nav_for(scope),
            "csrf": csrf_token(request),
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
    )


def render_error(request: Request, err: ApiError) -> HTMLResponse:
    """The error page, with the signed-in user's menu so that they can go on from it."""
    return page(request, "error.html", _scope_of_session(request), status_code=err.status, error=err)


def _scope_of_session(request: Request) -> Scope | None:
    from api.access import scope_for

    try:
        with request.app.state.db.session() as s:
            user = accounts.session_user(s, request.session)
            return scope_for(s, user) if user is not None else None
    except Exception:  # noqa: BLE001 - an error page never fails for want of a menu
        return None


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/search"


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/search") -> HTMLResponse:
    return page(request, "login.html", None, next=_safe_next(next), error=None)


@router.post("/login", dependencies=[CsrfDep])
def login(
    request: Request,
    s: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/search",
) -> Response:
    try:
        user = accounts.authenticate(s, username.strip(), password, ip=client_ip(request))
    except (Unauthorized, TooManyAttempts) as exc:
        return page(
            request,
            "login.html",
            None,
            status_code=exc.status,
            next=_safe_next(next),
            error=exc.message,
            username=username,
        )
    accounts.start_session(s, request.session, user, ip=client_ip(request))
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CsrfDep])
def logout(request: Request, s: SessionDep) -> RedirectResponse:
    accounts.end_session(s, request.session)
    return RedirectResponse("/login", status_code=303)


@router.get("/search")
def search_page(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    q: str = "",
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
    sort: str = "relevance",
) -> HTMLResponse:
    error, result = None, None
    try:
        result = search.run_search(s, settings, scope, q, page_no, 20, sort)
    except Exception as exc:  # noqa: BLE001 - a malformed query is shown on the page, not as an error page
        err = to_api_error(exc)
        if err.status >= 500 and err.code == "internal":
            raise
        error = err.message
    pages = max(1, -(-(result or {}).get("total", 0) // 20))
    basket = set(request.session.get("basket", []))

    def link(**kw: Any) -> str:
        params = {"q": q, "sort": sort, "page": 1} | kw
        return "/search?" + urlencode(params)

    return page(
        request,
        "search.html",
        scope,
        q=q,
        sort=sort,
        result=result,
        error=error,
        page_no=page_no,
        pages=pages,
        link=link,
        basket=basket,
    )


@router.get("/cases/{judgment_id}")
def case_page(
    judgment_id: int, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    detail = cases.case_detail(s, scope, judgment_id)
    similar = cases.similar_cases(s, settings, scope, judgment_id)
    pdfs = []
    for d in detail["documents"]:
        if d["is_pdf"] and d["status"] in ("stored", "linked"):
            try:
                _, path = cases.visible_document(s, settings, scope, d["id"])
                count = cases.pdf_page_count(settings, path)
                if count:  # a web page stored under a .pdf name has no page images
                    pdfs.append({**d, "page_count": count})
            except ApiError:
                continue
    return page(
        request,
        "case.html",
        scope,
        case=detail,
        similar=similar,
        pdfs=pdfs,
        in_basket=judgment_id in set(request.session.get("basket", [])),
        **_review_choices(),
    )


def _review_choices() -> dict[str, Any]:
    return {
        "outcomes": [(o.value, o.zh) for o in Outcome],
        "causes": [(c.value, c.zh) for c in LossCause],
        "action_types": [(a.value, a.zh) for a in ActionType],
        "fields": [(f.value, f.zh) for f in EnforcementField],
    }


@router.get("/cases/{judgment_id}/review")
def case_review_fragment(judgment_id: int, request: Request, scope: ScopeDep, s: SessionDep) -> HTMLResponse:
    """The case page's tags panel, fields and history alone: redrawn in place after a save."""
    detail = cases.case_detail(s, scope, judgment_id)
    return page(request, "_case_review.html", scope, case=detail, **_review_choices())


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    period: str = "",
    period_from: str = "",
    period_to: str = "",
    trend: str = "year",
    agency_id: str = "",
    unit_scope: str = "ours",
    show: str = "",
    saved: str = "",
) -> HTMLResponse:
    chosen = int(agency_id) if agency_id.isdigit() else None
    error, data = None, None
    wanted = f"{period_from.strip()}..{period_to.strip()}" if period_from.strip() else period.strip()
    try:
        data = stats.dashboard(
            s, scope, period=wanted, trend=trend, agency_id=chosen, settings=settings, unit_scope=unit_scope
        )
    except Exception as exc:  # noqa: BLE001 - a bad period is shown on the page
        err = to_api_error(exc)
        if err.status >= 500 or err.status == 403:
            raise
        error = err.message
    data_json = json.dumps(data or {}, ensure_ascii=False).replace("</", "<\\/")
    return page(
        request,
        "dashboard.html",
        scope,
        data=data,
        data_json=data_json,
        error=error,
        period=period,
        period_from=period_from,
        period_to=period_to,
        trend=trend,
        agency_id=chosen,
        unit_scope=(data or {}).get("filters", {}).get("unit_scope", unit_scope),
        show_all=show == "all",
        saved=saved,
        here=_dashboard_query(period, period_from, period_to, trend, agency_id, unit_scope),
        has_documents=_has_documents(s),
        agencies=stats.agency_choices(s, scope),
        recurrences=_recurrences(s, scope, chosen),
    )


def _dashboard_query(*values: str) -> dict[str, str]:
    """The dashboard's filters, to keep them in every link and form of the page."""
    keys = ("period", "period_from", "period_to", "trend", "agency_id", "unit_scope")
    return {k: v for k, v in zip(keys, values, strict=True) if v}


def _has_documents(s: Any) -> bool:
    from sqlalchemy import select

    from core.models import Judgment

    return s.scalar(select(Judgment.id).limit(1)) is not None


@router.post("/dashboard/key-targets", dependencies=[CsrfDep])
def dashboard_key_target(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    period: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    agency_id: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "confirm",
    back: Annotated[str, Form()] = "",
) -> Response:
    """The dashboard's 确认 / 改选 / 撤销确认 form (bureau staff); back to the dashboard with its filters."""
    chosen = int(agency_id) if agency_id.isdigit() and action != "withdraw" else None
    if action != "withdraw" and chosen is None:
        raise ApiError("请选择要确认的单位", code="key_targets")
    stats.confirm_key_target(s, scope, period=period, kind=kind, agency_id=chosen, settings=settings)
    target = back if back.startswith("?") else ""
    sep = "&" if target else "?"
    return RedirectResponse(f"/dashboard{target}{sep}saved={kind}#key-targets", status_code=303)


def _recurrences(s: Any, scope: Scope, chosen: int | None) -> list[dict[str, Any]]:
    """同类问题反弹 for the dashboard: the user's agency, the agency chosen, or every agency."""
    from api.services.loop import mine
    from supervision.meetings import recurrences

    try:
        ids = mine(scope)
    except ApiError:
        return []
    if ids is None and chosen is not None:
        ids = [chosen]
    return recurrences(s, ids)


@router.get("/agencies")
def agencies_page(request: Request, scope: ScopeDep, s: SessionDep) -> HTMLResponse:
    try:
        data, unavailable = agency_service.overview(s, scope), None
    except ApiError as exc:
        data, unavailable = {"agencies": [], "unmatched": []}, exc.message
    from core.taxonomy import Field
    from registry.agencies import AgencyKind, AgencyLevel

    return page(
        request,
        "agencies.html",
        scope,
        data=data,
        unavailable=unavailable,
        kinds=[(k.value, k.zh) for k in AgencyKind],
        levels=[(k.value, k.zh) for k in AgencyLevel],
        fields=[(f.value, f.zh) for f in Field],
    )


@router.get("/admin/audit")
def audit_page(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    user: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> HTMLResponse:
    from api.services import audit_log

    if not scope.is_admin:
        raise ApiError("仅管理员可以查看审计日志", code="forbidden", status=403)
    error = None
    try:
        f = audit_log.AuditFilter(
            user.strip(),
            action.strip(),
            audit_log.parse_day(since, "起始日期"),
            audit_log.parse_day(until, "截止日期"),
        )
    except ApiError as exc:
        error, f = exc.message, audit_log.AuditFilter(user.strip(), action.strip())
    data = audit_log.audit_page(s, f, page_no)

    def link(n: int) -> str:
        return "/admin/audit?" + urlencode(
            {"user": user, "action": action, "since": since, "until": until, "page": n}
        )

    return page(
        request,
        "audit.html",
        scope,
        data=data,
        error=error,
        chosen={"user": user, "action": action, "since": since, "until": until},
        users=audit_log.audit_users(s),
        actions_zh=accounts.AUDIT_ACTIONS_ZH,
        link=link,
    )


# -- 用户: accounts for administrators (list, create, reset password, disable) -------------------------
def _require_admin(scope: Scope) -> None:
    if not scope.is_admin:
        raise ApiError("仅管理员可以管理用户", code="forbidden", status=403)


def redirect_with_flash(request: Request, url: str, kind: str, text: str) -> RedirectResponse:
    """After a form post: back to ``url`` with a message shown once (kind "info" or "error")."""
    request.session["flash"] = {"kind": kind, "text": text}
    return RedirectResponse(url, status_code=303)


def form_error(exc: Exception) -> str:
    """The Chinese message of a user's error for a form page; anything else (5xx) is raised, not shown."""
    from api.errors import to_api_error

    err = to_api_error(exc)
    if err.status >= 500:
        raise exc
    return err.message


def _flash(request: Request, kind: str, text: str) -> RedirectResponse:
    return redirect_with_flash(request, "/admin/users", kind, text)


def _agency_options(s: Any) -> list[dict[str, Any]]:
    from registry.agencies import list_agencies

    return [{"id": a["id"], "name": a["name"]} for a in list_agencies(s)]


@router.get("/admin/users")
def users_page(request: Request, scope: ScopeDep, s: SessionDep) -> HTMLResponse:
    _require_admin(scope)
    return page(
        request,
        "users.html",
        scope,
        users=accounts.users_overview(s),
        roles=[(r.value, r.zh) for r in Role],
        agencies=_agency_options(s),
        flash=request.session.pop("flash", None),
        min_password=accounts.MIN_PASSWORD_LEN,
    )


@router.post("/admin/users", dependencies=[CsrfDep])
def users_create(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    password2: Annotated[str, Form()],
    agency_id: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _require_admin(scope)
    if password != password2:
        return _flash(request, "error", "两次输入的密码不一致，账号未创建")
    try:
        user = accounts.create_user(
            s,
            username.strip(),
            password,
            role,
            agency_id.strip() or None,
            by=scope.username,
            ip=client_ip(request),
        )
    except ApiError as exc:
        return _flash(request, "error", f"账号未创建：{exc.message}")
    role_zh = Role.parse(user.role)
    return _flash(request, "info", f"已创建账号“{user.username}”（{role_zh.zh if role_zh else user.role}）")


@router.post("/admin/users/{username}/password", dependencies=[CsrfDep])
def users_password(
    username: str, request: Request, scope: ScopeDep, s: SessionDep, password: Annotated[str, Form()]
) -> RedirectResponse:
    _require_admin(scope)
    try:
        accounts.set_password(s, username, password, by=scope.username, ip=client_ip(request))
    except ApiError as exc:
        return _flash(request, "error", f"密码未修改：{exc.message}")
    return _flash(request, "info", f"已重置“{username}”的密码，请当面或以安全方式告知本人")


@router.post("/admin/users/{username}/active", dependencies=[CsrfDep])
def users_active(
    username: str, request: Request, scope: ScopeDep, s: SessionDep, active: Annotated[str, Form()]
) -> RedirectResponse:
    _require_admin(scope)
    enable = active == "1"
    try:
        accounts.set_active(s, username, enable, by=scope.username, ip=client_ip(request))
    except ApiError as exc:
        return _flash(request, "error", exc.message)
    return _flash(request, "info", f"已{'启用' if enable else '停用'}账号“{username}”")
