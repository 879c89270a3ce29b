"""Settings, read from the environment with the REGISTRY_ prefix (or a .env file)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from registry.i18n import SUPPORTED, supported

DEFAULT_DATABASE_URL = "sqlite:///registry.sqlite3"
# The key a checkout ships with: good enough for tests and a sandbox, never for real records.
DEVELOPMENT_SECRET_KEY = "change-me-in-production-this-is-not-a-secret"  # noqa: S105 (public by design)
# Shortest secret key accepted on a database of real records (characters; 32 random bytes in base64 are 43).
MIN_SECRET_KEY_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL; the default is a SQLite file in the working directory.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET_KEY),
        description="Key that signs access tokens; a database of real records needs one of its own "
        f"(at least {MIN_SECRET_KEY_LENGTH} characters).",
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

    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For is believed; "
        "none by default, so the client address is the peer's.",
    )
    password_checks_max: int = Field(
        default=2, ge=1, le=64, description="Password verifications (Argon2) one process runs at once."
    )
    audit_key: SecretStr | None = Field(
        default=None,
        description="Key, kept outside the database, that signs the audit chain's head in anchors; "
        "without it an anchor holds the head's hash only.",
    )
    refresh_idle_minutes: int = Field(
        default=60,
        ge=1,
        le=7 * 24 * 60,
        description="A refresh token unused this long expires: an idle session ends, an active one is renewed.",
    )
    refresh_absolute_hours: int = Field(
        default=12,
        ge=1,
        le=30 * 24,
        description="Longest a sign-in session lasts however active it is (a working day); then sign in again.",
    )

    default_language: str = Field(
        default="es-MX",
        description="Language of the texts a person reads when neither the account nor the client asks for one "
        "(es-MX or en; es and en-US are understood as those).",
    )
    problem_type_base: str = Field(
        default="/problems/",
        description="Where problem `type` URIs point: each is this base and the problem's slug; the default "
        "is the API's own /problems/ pages (GET /problems/{slug}).",
    )
    dna_frequency_table: str = Field(
        default="SW Hispanic",
        description="The allele-frequency table DNA likelihood ratios use by default (one of the shipped "
        "populations: SW Hispanic, SE Hispanic, US Hispanic); a search may name another.",
    )
    dna_theta: float = Field(
        default=0.01, ge=0.0, lt=0.5, description="The coancestry coefficient θ of DNA likelihood ratios (NRC II)."
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        """A proxy that is not an address or a network is refused at start, not at the first sign-in."""
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network (CIDR)") from None
        return value

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        """A default the registry cannot speak is refused at start, not shown as English to every clerk."""
        tag = supported(value)
        if tag is None:
            raise ValueError(f"{value!r} is not a language this registry speaks ({', '.join(SUPPORTED)})")
        return tag

    def secret_key_is_weak(self) -> bool:
        """Whether the token key is the public development key or too short for real records."""
        key = self.secret_key.get_secret_value()
        return key == DEVELOPMENT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH


@lru_cache
def get_settings() -> Settings:
    return Settings()
