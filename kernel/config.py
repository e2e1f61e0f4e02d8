"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kernel.texts import LANGUAGES

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/sammen.db"
TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Every setting Sammen reads; `.env.example` documents each of them."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    coordinator_ids: Annotated[tuple[int, ...], NoDecode] = ()
    # One of kernel.texts.LANGUAGES (checked below), so a new language is listed only there.
    default_language: str = "da"
    timezone: str = "Europe/Copenhagen"
    volunteer_retention_months: int = Field(default=24, ge=1, le=120)
    lead_retention_days: int = Field(default=30, ge=1, le=365)
    # Hours before the start at which people going are reminded, each once per start; the
    # earliest is also when a shortfall must be decided (services.minimum).
    reminder_offsets_hours: Annotated[tuple[int, ...], NoDecode] = (24, 2)
    # A call for volunteers goes this many hours before an activity still short, to at most
    # `call_limit_per_week` calls a person a week.
    call_ahead_hours: int = Field(default=72, ge=1, le=336)
    call_limit_per_week: int = Field(default=2, ge=0, le=14)
    # How long an invitation link (/invite) can be opened.
    invitation_valid_days: int = Field(default=14, ge=1, le=365)
    coordinator_contact: str = Field(default="", max_length=200)
    pseudonym_secret: SecretStr | None = None
    playground_host: str = "127.0.0.1"
    playground_port: int = Field(default=8080, ge=0, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_means_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        bot_id, _, secret = value.get_secret_value().strip().partition(":")
        if not (bot_id.isdigit() and secret):
            raise ValueError("must look like 123456789:AA... (the token BotFather gave you)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("default_language")
    @classmethod
    def _spoken_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL ending in /bot")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            try:
                return tuple(int(part) for part in parts if part)
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("reminder_offsets_hours", mode="before")
    @classmethod
    def _split_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            try:
                value = tuple(int(part) for part in parts if part)
            except ValueError:
                raise ValueError("must be hours separated by commas, like 24,2") from None
        if isinstance(value, int):
            value = (value,)
        return value

    @field_validator("reminder_offsets_hours")
    @classmethod
    def _offsets_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(not 1 <= hours <= 168 for hours in value):
            raise ValueError("must be one or more hours from 1 to 168, like 24,2")
        # Largest first: the earliest reminder is the one the minimum decision waits for.
        return tuple(sorted(set(value), reverse=True))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Copenhagen") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def sqlite_path(self) -> Path | None:
        """The database file for a SQLite URL, None for PostgreSQL or in-memory SQLite."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :].split("?", 1)[0]
        if not path or path == ":memory:":
            return None
        return Path(path)


def describe_error(error: ValidationError) -> str:
    """One line naming each bad setting, for a start-up that fails kindly."""
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]).upper() or "settings"
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {message}")
    return "Configuration error: " + "; ".join(problems)
