"""The docker-compose stack is valid and keeps its promises: no default secrets, health checks, start order.

No Docker engine runs here: the file is validated with Debian's ``docker-compose config`` when it is
installed (``apt-get install docker-compose``) and always against the Compose Specification's JSON schema
(vendored in tests/data).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COMPOSE = REPO / "docker-compose.yml"
LONG_RUNNING = {"postgres", "redis", "elasticsearch", "api", "worker", "worker-ocr", "beat"}
APP_SERVICES = {"api", "worker", "worker-ocr", "beat"}
SECRETS = {"POSTGRES_PASSWORD": "pw-for-tests", "ANJIAN_SECRET_KEY": "k" * 40}


def _compose_cli(args: list[str], env_file: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [exe, "--env-file", str(env_file), "-f", str(COMPOSE), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def _env_file(tmp_path: Path, **values: str) -> Path:
    text = (REPO / ".env.example").read_text("utf-8")
    for k, v in values.items():
        text = re.sub(rf"^{k}=.*$", f"{k}={v}", text, flags=re.M)
    path = tmp_path / ".env"
    path.write_text(text, "utf-8")
    return path


def _interpolated(tmp_path: Path) -> dict:
    """The compose file with ${VAR} filled in from the example settings plus the two secrets."""
    yaml = pytest.importorskip("yaml")
    values = {}
    for line in _env_file(tmp_path, **SECRETS).read_text("utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            values[k.strip()] = v.strip()

    def sub(m: re.Match[str]) -> str:
        name, op, default = m.group(1), m.group(2) or "", m.group(3) or ""
        if values.get(name):
            return values[name]
        assert op != ":?", f"{name} is required"
        return default

    def fill(node: object) -> object:  # as compose does: after parsing, inside string values only
        if isinstance(node, dict):
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        if isinstance(node, str):
            return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", sub, node.replace("$$", "\0")).replace(
                "\0", "$"
            )
        return node

    return fill(yaml.safe_load(COMPOSE.read_text("utf-8")))  # type: ignore[return-value]


def test_docker_compose_accepts_the_file_with_the_example_settings(tmp_path: Path) -> None:
    result = _compose_cli(["config", "-q"], _env_file(tmp_path, **SECRETS))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_no_default_secrets_the_stack_refuses_to_start(tmp_path: Path, missing: str) -> None:
    """GIVEN .env copied from .env.example with one secret left empty WHEN compose reads it THEN it stops
    and names the missing setting."""
    given = {k: v for k, v in SECRETS.items() if k != missing}
    result = _compose_cli(["config", "-q"], _env_file(tmp_path, **given))
    assert result.returncode != 0
    assert missing in result.stderr


def test_file_matches_the_compose_specification_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "tests" / "data" / "compose_spec.json").read_text("utf-8"))
    doc = {k: v for k, v in _interpolated(tmp_path).items() if not k.startswith("x-")}
    jsonschema.Draft201909Validator(schema).validate(doc)


def test_services_health_checks_and_start_order(tmp_path: Path) -> None:
    doc = _interpolated(tmp_path)
    services = doc["services"]
    assert LONG_RUNNING <= set(services)
    for name in LONG_RUNNING:
        assert "healthcheck" in services[name], name
    for name in APP_SERVICES:
        deps = services[name]["depends_on"]
        for infra in ("postgres", "redis", "elasticsearch"):
            assert deps[infra]["condition"] == "service_healthy", (name, infra)
        assert deps["migrate"]["condition"] == "service_completed_successfully"
        env = services[name]["environment"]
        assert env["ANJIAN_ENVIRONMENT"] == "production"
        assert env["ANJIAN_BROKER_URL"].startswith("redis://redis:")
        assert env["ANJIAN_ES_URL"] == "http://elasticsearch:9200"
        assert "anjian-data:/data" in services[name]["volumes"]  # uploads visible to every worker
    assert services["api"]["command"][:4] == ["anjian", "serve", "--host", "0.0.0.0"]
    assert "default" in services["worker"]["command"] and "ocr" in services["worker-ocr"]["command"]
    es = services["elasticsearch"]
    assert es["image"] == "docker.elastic.co/elasticsearch/elasticsearch:8.15.3"
    assert es["environment"]["discovery.type"] == "single-node"
    assert "-Xms1g" in es["environment"]["ES_JAVA_OPTS"] and "-Xmx1g" in es["environment"]["ES_JAVA_OPTS"]
    assert any(v.endswith(":/usr/share/elasticsearch/data") for v in es["volumes"])
    assert not es.get("ports"), "Elasticsearch without security must not be published"


def test_every_variable_is_documented_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text("utf-8")))
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (REPO / ".env.example").read_text("utf-8"), flags=re.M))
    assert used <= documented, used - documented
    for secret in SECRETS:
        assert re.search(rf"^{secret}=$", (REPO / ".env.example").read_text("utf-8"), flags=re.M), secret


def test_image_has_the_system_tools_the_pipeline_needs() -> None:
    dockerfile = (REPO / "Dockerfile").read_text("utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    for pkg in (
        "tesseract-ocr",
        "tesseract-ocr-chi-sim",
        "qpdf",
        "poppler-utils",
        "fonts-noto-cjk",
        "libreoffice-writer-nogui",
    ):
        assert re.search(rf"\s{re.escape(pkg)}(\s|$)", dockerfile), pkg
    assert "USER anjian" in dockerfile  # not root
    ignored = (REPO / ".dockerignore").read_text("utf-8").split()
    assert ".env" in ignored and ".git" in ignored  # no secrets or history in the image


def test_the_image_copies_every_package_the_project_installs() -> None:
    """GIVEN the packages pyproject.toml installs WHEN the image is built THEN each folder is copied into it
    (a missing one builds — `anjian --help` imports lazily — and fails at the first request that needs it)."""
    import tomllib

    found = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"]
    packages = [p.rstrip("*") for p in found["find"]["include"]]
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (REPO / "Dockerfile").read_text("utf-8"), re.M))
    assert packages and [p for p in packages if p not in copied] == []
