"""Accounts against an attacker: a copied session cookie dies at logout, password change and disable;
guessing passwords is throttled (429, in Chinese, audited) per account and per address; API tokens can be
listed, revoked (CLI and API), expire, and die with a password reset. Real app, real SQLite store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from test_web_support import csrf_of, login

from api.app import create_app
from api.services.accounts import create_token, create_user, set_active, set_password
from core.models import ApiToken, AuditEntry
from core.settings import load_settings

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    application = create_app(
        load_settings(data_dir=tmp_path / "data", database_url=None, es_url=None, broker_url=None)
    )
    with application.state.db.session() as s:
        create_user(s, "zhang", PASSWORD, "analyst")
        create_user(s, "li", PASSWORD, "viewer")
    yield application
    application.state.db.dispose()


def _copy_of(c: TestClient) -> TestClient:
    """A second browser holding a copy of the first one's cookie (what a thief would have)."""
    thief = TestClient(c.app)
    thief.cookies.set("anjian_session", c.cookies["anjian_session"])
    return thief


def test_a_cookie_copied_before_logout_is_refused_after_it(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    csrf = login(c, "zhang")
    thief = _copy_of(c)
    assert thief.get("/api/auth/me").status_code == 200
    assert c.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    r = thief.get("/api/auth/me")
    assert r.status_code == 401 and r.json()["error"]["message"] == "请先登录"


@pytest.mark.parametrize("how", ["password", "disable"])
def test_password_change_and_disable_end_every_session(app, how: str) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    login(c, "zhang")
    thief = _copy_of(c)
    with app.state.db.session() as s:
        if how == "password":
            set_password(s, "zhang", "another-password-1")
        else:
            set_active(s, "zhang", False, by="admin")
            set_active(s, "zhang", True, by="admin")  # re-enabled: the old sessions stay dead
    assert thief.get("/api/auth/me").status_code == 401
    assert c.get("/api/auth/me").status_code == 401


def _try(c: TestClient, username: str, password: str) -> Any:
    token = csrf_of(c.get("/login").text)
    return c.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/search"},
        follow_redirects=False,
    )


def test_twenty_wrong_passwords_throttle_the_account_even_for_the_right_one(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    codes = [_try(c, "zhang", f"wrong-{i}").status_code for i in range(20)]
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}
    right = _try(c, "zhang", PASSWORD)
    assert right.status_code == 429 and "登录失败次数过多" in right.text
    api = c.post(
        "/api/auth/login",
        json={"username": "zhang", "password": PASSWORD},
        headers={"X-CSRF-Token": csrf_of(c.get("/login").text)},
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "too_many_attempts"
    with app.state.db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.username == "zhang"))]
    assert actions.count("login_failed") == 10 and "login_throttled" in actions and "login" not in actions


def test_the_throttle_counts_per_address_too(app) -> None:  # type: ignore[no-untyped-def]
    """Guessing across many user names from one address is stopped as well."""
    c = TestClient(app)
    for i in range(10):
        assert _try(c, f"guess{i}", "x").status_code == 401
    assert _try(c, "li", PASSWORD).status_code == 429


def test_unknown_users_get_the_same_answer_as_wrong_passwords(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    unknown, wrong = _try(c, "nobody", "whatever-1"), _try(c, "zhang", "whatever-1")
    assert unknown.status_code == wrong.status_code == 401
    assert "用户名或密码不正确" in unknown.text and "用户名或密码不正确" in wrong.text


def test_tokens_are_listed_revoked_expire_and_die_with_a_password_reset(
    app, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cli import context
    from cli.main import app as cli

    with app.state.db.session() as s:
        first = create_token(s, "zhang", "nightly")
        second = create_token(s, "zhang", "weekly", expires_days=30)
    api = TestClient(app)
    auth = {"Authorization": f"Bearer {first}"}
    assert api.get("/api/auth/me", headers=auth).status_code == 200
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    context.settings.cache_clear()
    context.database.cache_clear()
    try:
        listing = CliRunner().invoke(cli, ["token", "list"])
        assert listing.exit_code == 0 and "nightly" in listing.stdout and "weekly" in listing.stdout
        assert first not in listing.stdout  # the token itself is never shown again
        tokens = api.get("/api/auth/tokens", headers=auth).json()
        nightly = next(t["id"] for t in tokens if t["name"] == "nightly")
        revoked = CliRunner().invoke(cli, ["token", "revoke", str(nightly)])
        assert revoked.exit_code == 0, revoked.output
        assert api.get("/api/auth/me", headers=auth).status_code == 401
        assert "已撤销" in CliRunner().invoke(cli, ["token", "list", "zhang"]).stdout
    finally:
        context.database().dispose()
        context.settings.cache_clear()
        context.database.cache_clear()
    weekly = {"Authorization": f"Bearer {second}"}
    with app.state.db.session() as s:  # 31 days later
        s.execute(
            update(ApiToken)
            .where(ApiToken.name == "weekly")
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        )
    assert api.get("/api/auth/me", headers=weekly).status_code == 401
    with app.state.db.session() as s:
        third = create_token(s, "zhang", "after")
        set_password(s, "zhang", "reset-password-1")
    assert api.get("/api/auth/me", headers={"Authorization": f"Bearer {third}"}).status_code == 401


def test_a_token_is_revoked_through_the_api_by_its_owner_only(app) -> None:  # type: ignore[no-untyped-def]
    with app.state.db.session() as s:
        mine = create_token(s, "zhang", "mine")
        theirs = create_token(s, "li", "theirs")
    c = TestClient(app)
    ids = {
        t["name"]: t["id"]
        for t in c.get("/api/auth/tokens", headers={"Authorization": f"Bearer {theirs}"}).json()
    }
    zhang = {"Authorization": f"Bearer {mine}"}
    assert c.delete(f"/api/auth/tokens/{ids['theirs']}", headers=zhang).status_code == 404
    own = {t["name"]: t["id"] for t in c.get("/api/auth/tokens", headers=zhang).json()}
    assert c.delete(f"/api/auth/tokens/{own['mine']}", headers=zhang).json() == {"ok": True}
    assert c.get("/api/auth/me", headers=zhang).status_code == 401
    assert c.get("/api/auth/me", headers={"Authorization": f"Bearer {theirs}"}).status_code == 200
