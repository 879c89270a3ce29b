"""`registry export`: a registry's records as an interchange CSV or workbook, or as a Spanish export.

What it writes imports back unchanged, so a state can take its data out and bring it back.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import deferred, engine_for, fail
from registry.actor import Actor
from registry.i18n import _, translate

if TYPE_CHECKING:
    from api import readiness
    from registry import db, exports, policy, record_types
    from registry.services import audit, jurisdiction
    from registry.services import exports as export_service
else:  # imported when a command runs, not for --help (see api.cli.common)
    readiness = deferred("api.readiness")
    db = deferred("registry.db")
    exports = deferred("registry.exports")
    policy = deferred("registry.policy")
    record_types = deferred("registry.record_types")
    audit = deferred("registry.services.audit")
    jurisdiction = deferred("registry.services.jurisdiction")
    export_service = deferred("registry.services.exports")


class Kind(StrEnum):
    missing = "missing"
    remains = "remains"


class FileFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class Language(StrEnum):
    en = "en"
    es = "es"


def export_records(
    kind: Annotated[Kind, typer.Option(help="missing: reports; remains: unidentified remains")],
    out: Annotated[Path, typer.Option(help="The file to write", dir_okay=False)],
    file_format: Annotated[FileFormat, typer.Option("--format", help="csv or xlsx")] = FileFormat.csv,
    lang: Annotated[
        Language, typer.Option(help="en: the interchange format; es: Spanish headers and values (as states export)")
    ] = Language.en,
    source: Annotated[str | None, typer.Option(help="Only this registry (national accounts; e.g. JAL)")] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Export as this account: its jurisdiction decides which registry")
    ] = None,
    national: Annotated[bool, typer.Option(help="Export as the registry's operator, every registry")] = False,
) -> None:
    """Write the registry's current records (not withdrawn) in the interchange format or as a Spanish export."""
    if (user is None) == (not national):
        raise fail(_("say who exports: --user USERNAME (an account) or --national (the registry's operator)"), 2)
    rtype = record_types.REPORTS if kind is Kind.missing else record_types.REMAINS
    code = source.strip().upper() if source else None
    with engine_for() as engine:
        readiness.check_ready(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            if user is None:
                actor = Actor(id=f"export:{out.name[:80]}", role=jurisdiction.SYSTEM_ROLE, jurisdiction=None, via="cli")
            else:
                actor = jurisdiction.account_actor(session, user, policy.Action.record_read)
            columns, rows = export_service.exported_rows(session=session, rtype=rtype, actor=actor, source=code)
            with out.open("wb") as target:
                if file_format is FileFormat.xlsx:
                    sheet = "Registros" if lang is Language.es else rtype.kind.value
                    written = exports.write_xlsx(target, columns, rows, lang.value, sheet)
                else:
                    written = exports.write_csv(target, columns, rows, lang.value)
            audit.record(
                session, actor=actor, action="records.export", record_kind=rtype.kind.value,
                detail={"rows": written, "format": file_format.value, "lang": lang.value, "source": code},
            )  # fmt: skip
    typer.echo(
        _(
            "wrote {written} {record}s to {name} ({value}, {value2}); restricted fields (contacts, investigation "
            "file, circumstances) are never exported",
            written=written,
            record=translate(rtype.label),
            name=out.name,
            value=file_format.value,
            value2="Spanish" if lang is Language.es else "interchange format",
        )
    )
