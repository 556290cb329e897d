"""Property-based requests over the whole OpenAPI (schemathesis + hypothesis): whatever the parameters
and bodies, the API never answers 5xx. Real app over a real store of corpus judgments, signed in with an
analyst's API token (so routes are exercised past the login); a few examples per operation, so the run
stays within a few minutes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from test_web_support import add_user, build_store  # noqa: E402

from api.app import create_app  # noqa: E402
from api.services.accounts import create_token  # noqa: E402

EXAMPLES = 30


def test_no_request_makes_the_api_fail(tmp_path: Path, corpus_dir: Path) -> None:
    store = build_store(tmp_path / "data", corpus_dir, max_upload_mb=5)
    add_user(store, "analyst1", "analyst")
    with store.db.session() as s:
        token = create_token(s, "analyst1", "schemathesis")
    app = create_app(store.settings, db=store.db)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    codes: list[int] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            codes.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

        check()
    store.db.dispose()
    assert 200 in codes and len(codes) > 10 * operations  # past the login, many requests
    assert operations >= 20
    assert failures == [], "\n".join(dict.fromkeys(failures))
