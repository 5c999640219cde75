from __future__ import annotations

import pytest

from bot.settings import ConfigError, Settings, load_settings


def load(**values: object) -> Settings:
    return load_settings(_env_file=None, **values)


def test_defaults() -> None:
    settings = load()
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite+aiosqlite:///als.db"
    assert settings.port == 3000
    assert settings.log_level == "INFO"
    assert settings.migrate_on_start
    assert not settings.socket_mode
    assert not settings.has_any_slack_credential


def test_urls_are_normalised() -> None:
    assert load(slack_api_url="http://127.0.0.1:9/api").slack_api_url == "http://127.0.0.1:9/api/"
    assert load(database_url="postgresql://u@h/db").database_url == "postgresql+asyncpg://u@h/db"
    assert load(database_url="postgres://u@h/db").database_url == "postgresql+asyncpg://u@h/db"
    assert load(database_url="sqlite:///x.db").database_url == "sqlite+aiosqlite:///x.db"


@pytest.mark.parametrize(
    ("values", "name"),
    [
        ({"port": "x"}, "PORT"),
        ({"port": 0}, "PORT"),
        ({"log_level": "chatty"}, "LOG_LEVEL"),
        ({"slack_bot_token": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        ({"database_url": "mysql://x"}, "DATABASE_URL"),
    ],
)
def test_bad_values_name_the_variable(values: dict[str, object], name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(**values)
    message = str(caught.value)
    assert message.startswith(f"{name} is invalid")
    assert "\n" not in message


def test_the_mode_decides_what_is_required() -> None:
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET is not set"):
        load(slack_bot_token="xoxb-1").require_slack()
    load(slack_bot_token="xoxb-1", slack_app_token="xapp-1").require_slack()  # Socket Mode: no secret needed
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN is not set"):
        load(slack_signing_secret="s").require_slack()
    assert load(slack_bot_token="  ").slack_bot_token is None  # blank is unset


def test_client_credentials_without_a_bot_token_mean_installing_to_many_workspaces() -> None:
    settings = load(slack_client_id="1.2", slack_client_secret="s", slack_signing_secret="x")
    assert settings.oauth
    assert settings.has_any_slack_credential
    settings.require_slack()  # no bot token needed
    assert not load(slack_bot_token="xoxb-1", slack_signing_secret="x").oauth


def test_the_consent_page_sits_beside_the_web_api() -> None:
    assert load().slack_authorize_url == "https://slack.com/oauth/v2/authorize"
    assert load(slack_api_url="http://127.0.0.1:9/api/").slack_authorize_url == "http://127.0.0.1:9/oauth/v2/authorize"


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"slack_client_id": "1.2"}, "SLACK_CLIENT_SECRET is not set"),
        ({"slack_client_secret": "s"}, "SLACK_CLIENT_ID is not set"),
        ({"slack_client_id": "1.2", "slack_client_secret": "s", "slack_bot_token": "xoxb-1"}, "not both"),
        ({"slack_client_id": "1.2", "slack_client_secret": "s", "slack_app_token": "xapp-1"}, "needs HTTP mode"),
    ],
)
def test_oauth_settings_that_cannot_work_are_refused(values: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load(slack_signing_secret="x", **values).require_slack()
