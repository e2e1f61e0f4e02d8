"""Settings: defaults that run, and one clear line for each bad one."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.app import file_url_for
from kernel.config import DEFAULT_DATABASE_URL, Settings, describe_error


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "COORDINATOR_IDS", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    defaults = settings()
    assert defaults.telegram_bot_token is None
    assert defaults.database_url == DEFAULT_DATABASE_URL
    assert defaults.telegram_api_base_url == "https://api.telegram.org/bot"
    assert defaults.default_language == "da"


def test_coordinator_ids_are_read_from_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COORDINATOR_IDS", "111, 222;333")
    assert settings().coordinator_ids == (111, 222, 333)


@pytest.mark.parametrize(
    ("name", "value", "named_in_error"),
    [
        ("COORDINATOR_IDS", "111,abc", "COORDINATOR_IDS"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("VOLUNTEER_RETENTION_MONTHS", "0", "VOLUNTEER_RETENTION_MONTHS"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named_in_error: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        settings()
    line = describe_error(caught.value)
    assert line.startswith("Configuration error: ")
    assert named_in_error in line
    assert "\n" not in line


def test_file_downloads_live_next_to_the_bot_api() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
