"""Accounts and sessions: no default password, admin from ANJIAN_ADMIN_PASSWORD at first start, a printed
demo account, argon2 hashes, a per-data-dir random session key (0600), cookie flags, audit of logins,
and the `anjian user` / `anjian token` / `anjian serve` commands."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from test_web_support import login

from api.app import create_app
from core.db import Database
from core.models import AuditEntry, User
from core.settings import Settings, load_settings


def make_settings(tmp_path: Path, **kw: object) -> Settings:
    return load_settings(data_dir=tmp_path / "data", database_url=None, es_url=None, broker_url=None, **kw)


def users(db: Database) -> list[User]:
    with db.session() as s:
        return list(s.scalars(select(User)))


def test_no_account_exists_without_an_admin_password(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    app = create_app(settings)
    assert users(app.state.db) == []
    r = TestClient(app).post("/login", data={"username": "admin", "password": "admin", "csrf_token": "x"})
    assert r.status_code in (401, 403)


def test_admin_from_env_at_first_start_only_and_hashed_with_argon2(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, admin_password="first-start-secret"))
    (admin,) = users(app.state.db)
    assert admin.username == "admin" and admin.role == "admin"
    assert admin.password_hash.startswith("$argon2id$") and "first-start-secret" not in admin.password_hash
    # a later start with another password does not touch the existing account
    app2 = create_app(make_settings(tmp_path, admin_password="another-password"))
    c = TestClient(app2)
    login(c, "admin", "first-start-secret")
    with app2.state.db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "login" in actions


def test_demo_account_is_printed_and_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(make_settings(tmp_path, demo=True))
    out = capsys.readouterr().out
    assert "演示账号" in out
    password = re.search(r"密码 password:\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    login(TestClient(app), "demo", password)
    # the next start prints a new password (the old one stops working)
    app2 = create_app(make_settings(tmp_path, demo=True))
    second = re.search(r"密码 password:\s+(\S+)", capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    assert second != password
    login(TestClient(app2), "demo", second)


def test_session_key_is_random_per_data_dir_private_and_reused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    create_app(settings)
    key_file = settings.data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key) >= 48
    create_app(settings)
    assert key_file.read_text() == key
    other = make_settings(tmp_path / "other")
    create_app(other)
    assert (other.data_dir / "secret_key").read_text() != key
    # an explicit key is used as is, and no file is written
    explicit = make_settings(tmp_path / "explicit", secret_key="k" * 40)
    create_app(explicit)
    assert not (explicit.data_dir / "secret_key").exists()


@pytest.mark.parametrize("https_only", [False, True])
def test_session_cookie_flags(tmp_path: Path, https_only: bool) -> None:
    app = create_app(make_settings(tmp_path, admin_password="cookie-test-pw", session_https_only=https_only))
    c = TestClient(app, base_url="https://testserver" if https_only else "http://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={"username": "admin", "password": "cookie-test-pw", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert ("secure" in cookie) is https_only


def test_failed_logins_are_audited(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, admin_password="right-password"))
    c = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
    r = c.post("/login", data={"username": "admin", "password": "wrong-password", "csrf_token": token})
    assert r.status_code == 401 and "用户名或密码不正确" in r.text
    with app.state.db.session() as s:
        assert [
            e.username for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))
        ] == ["admin"]


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`anjian …` in-process against a store in tmp_path (the CLI reads ANJIAN_* once per process: reset it)."""
    from typer.testing import CliRunner

    from cli import context
    from cli.main import app

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)

    def run(*args: str, stdin: str = "") -> Any:
        context.settings.cache_clear()
        context.database.cache_clear()
        return CliRunner().invoke(app, list(args), input=stdin)

    yield run
    context.settings.cache_clear()
    context.database.cache_clear()


def test_user_and_token_commands(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("user", "add", "zhang", "--role", "viewer", "--password-stdin", stdin="zhang-password\n")
    assert r.exit_code == 0, r.output
    r = run_cli("user", "add", "short", "--password-stdin", stdin="abc\n")
    assert r.exit_code == 1 and "至少 8 个字符" in r.stderr
    r = run_cli("user", "add", "li", "--role", "agency", "--password-stdin", stdin="li-password-1\n")
    assert r.exit_code == 1 and "--agency" in r.stderr
    r = run_cli(
        "user", "add", "li", "--role", "agency", "--agency", "77", "--password-stdin", stdin="li-password-1\n"
    )
    assert r.exit_code == 1 and "单位名录中没有编号为“77”的单位" in r.stderr
    r = run_cli("user", "passwd", "zhang", "--password-stdin", stdin="new-password-2\n")
    assert r.exit_code == 0, r.output
    r = run_cli("token", "create", "zhang")
    assert r.exit_code == 0 and r.stdout.strip().startswith("aj_")
    token = r.stdout.strip()
    app = create_app(make_settings(tmp_path))
    me = TestClient(app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me == {
        "username": "zhang",
        "role": "viewer",
        "role_zh": "只读用户",
        "agency_id": None,
        "active": True,
    }
    login(TestClient(app), "zhang", "new-password-2")
    listing = run_cli("user", "list")
    assert "zhang" in listing.stdout and "只读用户" in listing.stdout
    r = run_cli("user", "disable", "zhang")
    assert r.exit_code == 0 and "已停用账号 zhang" in r.stdout
    assert (
        TestClient(app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    assert "停用" in run_cli("user", "list").stdout
    assert run_cli("user", "enable", "zhang").exit_code == 0
    assert (
        TestClient(app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert run_cli("user", "disable", "nobody").exit_code == 1


def test_serve_starts_without_keyboard_and_answers_healthz(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ANJIAN_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve did not answer /healthz within 60 s"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.postgres
def test_accounts_and_audit_on_postgresql(pg_settings: Settings) -> None:
    settings = pg_settings.model_copy(update={"admin_password": "postgres-admin-pw"})
    app = create_app(settings)
    c = TestClient(app)
    csrf = login(c, "admin", "postgres-admin-pw")
    r = c.post(
        "/api/users",
        json={"username": "wang", "password": "wang-password", "role": "viewer"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 201, r.text
    with app.state.db.session() as s:
        entries = {(e.action, e.username) for e in s.scalars(select(AuditEntry))}
    assert ("login", "admin") in entries and ("user_add", "admin") in entries
    app.state.db.dispose()


def test_login_never_redirects_off_site_and_pages_carry_security_headers(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, admin_password="redirect-test-pw"))
    c = TestClient(app)
    page = c.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert (
        page.headers["x-frame-options"] == "SAMEORIGIN"
        and page.headers["x-content-type-options"] == "nosniff"
    )
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={
            "username": "admin",
            "password": "redirect-test-pw",
            "csrf_token": token,
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/search"
    # the session is renewed at login: the pre-login CSRF token no longer works
    r = c.post("/api/collections/basket", json={"add": []}, headers={"X-CSRF-Token": token})
    assert r.status_code == 403


def test_admin_manages_users_on_the_users_page_with_csrf_and_audit(tmp_path: Path) -> None:
    """GIVEN an administrator WHEN they create an agency user and an analyst on the 用户 page, reset a password and
    disable an account THEN it works with the form's CSRF token only, the changes take effect at once (a disabled
    user's session and API token stop working), every change is in the audit log under the administrator's
    name, and nobody else can reach the page."""
    from api.services.accounts import create_token
    from registry.agencies import add_agency

    app = create_app(make_settings(tmp_path, admin_password="admin-users-page"))
    with app.state.db.session() as s:
        agency_id = add_agency(s, "承德市人力资源和社会保障局").id
    admin = TestClient(app)
    csrf = login(admin, "admin", "admin-users-page")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "用户管理" in page.text and "承德市人力资源和社会保障局" in page.text
    assert 'href="/admin/users"' in admin.get("/search").text  # in the administrator's menu
    for label in ("用户名", "角色", "所属单位", "初始密码", "再次输入密码", "单位用户", "只读用户"):
        assert label in page.text

    def can_login(username: str, password: str) -> bool:
        c = TestClient(app)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
        r = c.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=False,
        )
        return r.status_code == 303

    def post(url: str, **data: str) -> str:
        r = admin.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/admin/users", r.text
        return admin.get("/admin/users").text

    # without the form's CSRF token: refused
    r = admin.post(
        "/admin/users",
        data={"username": "li", "role": "analyst", "password": "x" * 12, "password2": "x" * 12},
    )
    assert r.status_code == 403
    assert "两次输入的密码不一致" in post(
        "/admin/users", username="li", role="analyst", password="li-password-1", password2="li-password-2"
    )
    assert "单位用户必须指定所属单位" in post(
        "/admin/users", username="zhao", role="agency", password="zhao-password", password2="zhao-password"
    )
    assert "已创建账号“zhao”（单位用户）" in post(
        "/admin/users",
        username="zhao",
        role="agency",
        password="zhao-password",
        password2="zhao-password",
        agency_id=str(agency_id),
    )
    text = post(
        "/admin/users", username="li", role="analyst", password="li-password-1", password2="li-password-1"
    )
    assert "已创建账号“li”（分析员）" in text
    assert "已存在" in post(
        "/admin/users", username="li", role="viewer", password="li-password-9", password2="li-password-9"
    )
    with app.state.db.session() as s:
        zhao = s.scalar(select(User).where(User.username == "zhao"))
        assert zhao is not None and zhao.role == "agency" and zhao.agency_id == str(agency_id)
        token = create_token(s, "li")
    li = TestClient(app)
    li_csrf = login(li, "li", "li-password-1")
    # nobody but an administrator reaches the page or its forms
    assert li.get("/admin/users").status_code == 403
    assert 'href="/admin/users"' not in li.get("/search").text
    assert (
        li.post(
            "/admin/users",
            data={
                "csrf_token": li_csrf,
                "username": "x1",
                "role": "admin",
                "password": "p" * 12,
                "password2": "p" * 12,
            },
        ).status_code
        == 403
    )
    # reset a password: the old one stops working
    assert "已重置“li”的密码" in post("/admin/users/li/password", password="li-new-password")
    assert "密码至少" in post("/admin/users/li/password", password="short")
    assert not can_login("li", "li-password-1") and can_login("li", "li-new-password")
    assert li.get("/api/auth/me").status_code == 401  # the session opened with the old password has ended
    li_csrf = login(li, "li", "li-new-password")
    # disable: the open session, the API token and a new login all fail; the administrator cannot disable themselves
    assert "已停用账号“li”" in post("/admin/users/li/active", active="0")
    assert li.get("/api/auth/me").status_code == 401
    assert (
        TestClient(app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    assert not can_login("li", "li-new-password")
    assert "不能停用自己" in post("/admin/users/admin/active", active="0")
    # …and the JSON API does the same for scripts: re-enable
    r = admin.patch("/api/users/li", json={"active": True}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["active"] is True
    assert can_login("li", "li-new-password")
    with app.state.db.session() as s:
        entries = [
            (e.action, e.username, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    for expected in (
        ("user_add", "admin", "zhao"),
        ("user_add", "admin", "li"),
        ("user_passwd", "admin", "li"),
        ("user_disable", "admin", "li"),
        ("user_enable", "admin", "li"),
    ):
        assert expected in entries
    audit_page = admin.get("/admin/audit").text
    assert "停用账号" in audit_page and "重置密码" in audit_page and "新增账号" in audit_page
