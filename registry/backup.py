"""Backups and restores of the whole database, consistent while the registry keeps writing.

A backup is one file in the database's own format (SQLite: a database file written by SQLite's
online backup API; PostgreSQL: `pg_dump --format=custom`) and a sidecar manifest
(`FILE.manifest.json`) holding the file's SHA-256, the schema revision and every table's row
count, counted inside the very snapshot the file holds. A restore checks the file against its
manifest and the restored tables against the counts.

SQLite: a read transaction is opened, the rows are counted, and the backup API copies the database
through that same transaction (it reuses an open read transaction of its source connection), so
writers carry on (WAL) and the copy is the counted snapshot.
PostgreSQL: a REPEATABLE READ transaction exports its snapshot, counts the rows, and `pg_dump
--snapshot` dumps exactly that snapshot. The password goes to pg_dump in its environment, never
on its command line (where `ps` shows it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url

from registry.db import build_engine, is_sqlite
from registry.errors import BackupError
from registry.i18n import _
from registry.repositories import backup as repo

MANIFEST_FORMAT = "registry-backup/1"
MANIFEST_SUFFIX = ".manifest.json"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup file holds: its kind, schema revision, row counts per table, and checksum."""

    engine: str  # "sqlite" or "postgresql"
    created_at: datetime
    revision: str | None
    counts: dict[str, int]
    sha256: str
    size: int

    def document(self) -> str:
        return json.dumps(
            {
                "format": MANIFEST_FORMAT,
                "engine": self.engine,
                "created_at": self.created_at.isoformat(),
                "revision": self.revision,
                "counts": self.counts,
                "sha256": self.sha256,
                "bytes": self.size,
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def read(cls, text: str) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(text)
            if data.get("format") != MANIFEST_FORMAT:
                raise ValueError(f"not a {MANIFEST_FORMAT} manifest")
            return cls(
                engine=str(data["engine"]),
                created_at=datetime.fromisoformat(data["created_at"]),
                revision=data["revision"],
                counts={str(k): int(v) for k, v in data["counts"].items()},
                sha256=str(data["sha256"]),
                size=int(data["bytes"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(_("the manifest cannot be read: {exc}", exc=exc)) from None


def manifest_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + MANIFEST_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(_("an in-memory SQLite database has nothing on disk to back up or restore into"))
    return Path(database)


def _libpq_environment(url: str) -> dict[str, str]:
    """pg_dump's and pg_restore's connection, as libpq environment variables (the password stays off argv)."""
    parsed = make_url(url)
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
        ("PGDATABASE", parsed.database),
    ):
        if value is not None:
            env[variable] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(_("{name} is not installed (Debian: apt-get install postgresql-client)", name=name))
    return path


def _run(arguments: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        # pg_dump and pg_restore name objects and connection problems, never row contents.
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            _(
                "{name} failed: {value}",
                name=Path(arguments[0]).name,
                value=message[-1] if message else result.returncode,
            )
        )


# --- backup --------------------------------------------------------------------------------------


def _backup_sqlite(engine: Engine, target: Path) -> tuple[str | None, dict[str, int]]:
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("BEGIN")  # deferred: the snapshot is taken by the first read, the counting below
        try:
            counts = repo.table_counts(conn)
            revision = repo.revision(conn)
            copy = sqlite3.connect(target)
            try:
                raw.backup(copy)  # in one step, through the open read transaction: the counted snapshot
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                copy.close()
        finally:
            raw.execute("ROLLBACK")
    return revision, counts


def _backup_postgres(engine: Engine, url: str, target: Path) -> tuple[str | None, dict[str, int]]:
    pg_dump = _tool("pg_dump")
    with engine.connect() as base:
        conn = base.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = repo.export_snapshot(conn)
            counts = repo.table_counts(conn)
            revision = repo.revision(conn)
            # The transaction stays open while pg_dump reads: an exported snapshot lives as long as it.
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
                  f"--file={target}"], _libpq_environment(url))  # fmt: skip
    return revision, counts


def backup(*, url: str, out: Path) -> Manifest:
    """Writes a consistent backup of the database at `url` to `out` (which must not exist) and its manifest."""
    if out.exists() or manifest_path(out).exists():
        raise BackupError(_("{out} (or its manifest) exists already; a backup never overwrites another", out=out))
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    engine = build_engine(url)
    try:
        if is_sqlite(url):
            revision, counts = _backup_sqlite(engine, partial)
        else:
            revision, counts = _backup_postgres(engine, url, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    manifest = Manifest(
        engine="sqlite" if is_sqlite(url) else "postgresql",
        created_at=datetime.now(UTC),
        revision=revision,
        counts=counts,
        sha256=_sha256(partial),
        size=partial.stat().st_size,
    )
    partial.rename(out)  # only a complete backup ever carries the name asked for
    manifest_path(out).write_text(manifest.document() + "\n", encoding="utf-8")
    return manifest


# --- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restored:
    manifest: Manifest | None
    counts: dict[str, int]
    differences: dict[str, tuple[int, int]]  # table: (in the manifest, restored), where they differ


def _check_file(backup_file: Path) -> Manifest | None:
    if not backup_file.is_file():
        raise BackupError(_("{backup_file} is not a file", backup_file=backup_file))
    sidecar = manifest_path(backup_file)
    if not sidecar.exists():
        return None
    manifest = Manifest.read(sidecar.read_text(encoding="utf-8"))
    if _sha256(backup_file) != manifest.sha256:
        raise BackupError(
            _(
                "{backup_file} does not match its manifest (SHA-256 differs): it is damaged or not that backup",
                backup_file=backup_file,
            )
        )
    return manifest


def _restore_sqlite(url: str, backup_file: Path) -> None:
    target = _sqlite_path(url)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)  # page by page over whatever the target held
            destination.execute("PRAGMA journal_mode=WAL")  # as registry.db runs it
        finally:
            destination.close()
    finally:
        source.close()


def _restore_postgres(url: str, backup_file: Path, *, replace: bool) -> None:
    pg_restore = _tool("pg_restore")
    arguments = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if replace:
        arguments += ["--clean", "--if-exists"]
    env = _libpq_environment(url)
    _run([*arguments, f"--dbname={env.get('PGDATABASE', '')}", str(backup_file)], env)


def restore(*, url: str, backup_file: Path, replace: bool = False) -> Restored:
    """Loads a backup into the database at `url`. Refused when that database holds any table, unless `replace`.

    Stop the API first: a restore replaces everything, and its workers' matching indexes would be stale.
    """
    manifest = _check_file(backup_file)
    kind = "sqlite" if is_sqlite(url) else "postgresql"
    if manifest is not None and manifest.engine != kind:
        raise BackupError(
            _(
                "{backup_file} is a {engine} backup; it cannot be restored into {kind}",
                backup_file=backup_file,
                engine=manifest.engine,
                kind=kind,
            )
        )
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            tables = repo.table_names(conn)
        if tables and not replace:
            raise BackupError(
                _(
                    "the database is not empty ({len} tables); restore into a new, empty database, or pass --replace "
                    "to overwrite everything it holds",
                    len=len(tables),
                )
            )
        engine.dispose()
        if kind == "sqlite":
            _restore_sqlite(url, backup_file)
        else:
            _restore_postgres(url, backup_file, replace=replace)
        with engine.connect() as conn:
            counts = repo.table_counts(conn)
    finally:
        engine.dispose()
    expected = manifest.counts if manifest is not None else {}
    differences = {
        table: (expected.get(table, 0), counts.get(table, 0))
        for table in sorted(set(expected) | set(counts))
        if expected.get(table, 0) != counts.get(table, 0)
    }
    if manifest is None:
        differences = {}
    return Restored(manifest=manifest, counts=counts, differences=differences)
