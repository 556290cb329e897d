#!/usr/bin/env bash
# Installs everything 案鉴 needs on a fresh Debian machine with Python 3.11:
# system packages (OCR, PDF tools, CJK fonts, LibreOffice for PDF reports; chromium with --browser)
# and a virtual environment in .venv with the project installed.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;  # the test tools: chromium for the browser test, docker-compose to validate the stack
  esac
done

packages=(tesseract-ocr tesseract-ocr-chi-sim qpdf poppler-utils fonts-noto-cjk libreoffice-writer-nogui)
if [ "$want_browser" = 1 ]; then packages+=(chromium docker-compose); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
extra=""
if [ "${ANJIAN_SETUP_DEV:-0}" = 1 ]; then extra="[dev]"; fi
echo "==> installing the project into .venv"
.venv/bin/pip install -q --disable-pip-version-check -e ".${extra}" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import core, ingest, classify, search"
# The project's own bytecode, compiled once here: where PYTHONDONTWRITEBYTECODE is set (containers, some CI)
# Python would otherwise compile every module it imports on every `anjian` call (≈40 ms of `anjian search`).
.venv/bin/python -m compileall -q -j 0 core ingest classify search pipeline registry supervision reports workers api cli >/dev/null || true 
