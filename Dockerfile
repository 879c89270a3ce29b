FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY registry ./registry
COPY api ./api
COPY matching ./matching
COPY seed ./seed
COPY migrations ./migrations
# pg_dump and pg_restore, for `registry backup` and `registry restore` against PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
RUN pip install . && useradd --system --uid 10001 registry
USER registry
EXPOSE 8000
CMD ["sh", "-c", "registry db upgrade && registry serve --host 0.0.0.0 --port 8000"]
