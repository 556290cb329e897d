# The 案鉴 application image: the web app/API, the workers and the scheduler all run from it.
#   docker build -t anjian:latest .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_THREAD_LIMIT=1 \
    ANJIAN_DATA_DIR=/data \
    LANG=C.UTF-8

# OCR (Tesseract + simplified Chinese), PDF repair and rendering, CJK fonts for reports,
# LibreOffice (headless Writer) to turn generated DOCX bulletins into PDF; tini reaps the
# sandbox's child processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-chi-sim qpdf poppler-utils fonts-noto-cjk \
      libreoffice-writer-nogui tini curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin anjian \
 && mkdir -p /data && chown anjian:anjian /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY core ./core
COPY ingest ./ingest
COPY classify ./classify
COPY search ./search
COPY pipeline ./pipeline
COPY registry ./registry
COPY supervision ./supervision
COPY workers ./workers
COPY api ./api
COPY reports ./reports
COPY cli ./cli
# every package imported once at build time: `anjian --help` alone imports lazily and would not notice one missing
RUN pip install . \
 && python -c "import core, ingest, classify, search, pipeline, registry, supervision, reports, workers, api, cli, api.app, workers.tasks" \
 && anjian --help >/dev/null

USER anjian
VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["tini", "--"]
CMD ["anjian", "serve", "--host", "0.0.0.0", "--port", "8000"]
