"""An Alembic configuration that works from a source checkout and from an installed package alike."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s")
    # ConfigParser treats % as interpolation; the URL may hold an escaped password.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config
