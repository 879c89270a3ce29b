"""Settings, read from the environment with the REGISTRY_ prefix (or a .env file)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///registry.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL; the default is a SQLite file in the working directory.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr("change-me-in-production-this-is-not-a-secret"),
        description="Key that signs access tokens.",
    )
    review_threshold: float = Field(default=0.5, ge=0.0, le=1.0, description="Pairs at or above go to review.")
    alert_threshold: float = Field(default=0.8, ge=0.0, le=1.0, description="Pairs at or above alert a clerk.")
    alert_limit: int = Field(default=3, ge=0, le=20, description="Most alerts returned with a saved record.")
    review_candidates_per_record: int = Field(
        default=20, ge=1, le=200, description="Candidates kept for review per record when it is saved."
    )
    max_body_bytes: int = Field(default=1_048_576, description="Largest JSON request body accepted.")
    max_upload_bytes: int = Field(default=200 * 1_048_576, description="Largest CSV upload accepted.")
    page_size_max: int = Field(default=200, description="Largest page a list endpoint returns.")
    import_batch_size: int = Field(default=2_000, description="Rows written per transaction by imports.")
    token_minutes: int = Field(default=15, ge=1, le=24 * 60, description="Lifetime of an access token.")
    token_issuer: str = Field(default="registry", description="`iss` of the access tokens this API signs.")
    token_audience: str = Field(default="registry-api", description="`aud` of the access tokens this API accepts.")
    login_window_seconds: int = Field(default=900, ge=1, description="Window over which failed logins count.")
    login_max_failures_per_account: int = Field(
        default=5, ge=1, description="Failed logins for one account within the window before 429."
    )
    login_max_failures_per_client: int = Field(
        default=20, ge=1, description="Failed logins from one client address within the window before 429."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
