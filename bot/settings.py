"""Configuration from the environment and an optional `.env` file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

SLACK_API_URL_DEFAULT = "https://slack.com/api/"
DATABASE_URL_DEFAULT = "sqlite+aiosqlite:///als.db"

# What a person should do about each setting, used in the one-line error that ends the program.
HINTS: dict[str, str] = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "copy the Signing Secret from Basic Information > App Credentials",
    "SLACK_CLIENT_ID": "copy the Client ID from Basic Information > App Credentials",
    "SLACK_CLIENT_SECRET": "copy the Client Secret from Basic Information > App Credentials",
    "SLACK_APP_TOKEN": "create an app-level token (xapp-...) with connections:write under Basic Information",
    "SLACK_API_URL": "give the base URL of Slack's Web API, such as https://slack.com/api/",
    "DATABASE_URL": "use sqlite+aiosqlite:///als.db or postgresql+asyncpg://user@host/dbname",
    "PORT": "use a whole number between 1 and 65535",
    "LOG_LEVEL": "use DEBUG, INFO, WARNING or ERROR",
    "MIGRATE_ON_START": "use true or false",
    "SHUTDOWN_TIMEOUT_SECONDS": "use a number of seconds between 1 and 600",
    "SWEEP_INTERVAL_SECONDS": "use a number of seconds between 0.2 and 3600",
    "OUTBOX_LEASE_SECONDS": "use a number of seconds between 1 and 3600",
    "SCHEDULED_POSTS_PER_MINUTE": "use a number between 1 and 6000",
}


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line a person can act on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL_DEFAULT
    database_url: str = DATABASE_URL_DEFAULT
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    migrate_on_start: bool = True
    shutdown_timeout_seconds: float = Field(default=20.0, ge=1, le=600)
    sweep_interval_seconds: float = Field(default=60.0, ge=0.2, le=3600)
    outbox_lease_seconds: float = Field(default=120.0, ge=1, le=3600)
    scheduled_posts_per_minute: float = Field(default=240.0, ge=1, le=6000)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("the URL must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def oauth(self) -> bool:
        """Installed to many workspaces through Slack's OAuth flow, rather than run with one bot token."""
        return self.slack_bot_token is None and (
            self.slack_client_id is not None or self.slack_client_secret is not None
        )

    @property
    def slack_authorize_url(self) -> str:
        """Where the install page sends people: Slack's, or the one beside a stand-in's Web API."""
        return self.slack_api_url.removesuffix("api/") + "oauth/v2/authorize"

    def require_slack(self) -> None:
        """Raise ConfigError naming the first credential the chosen mode needs but lacks."""
        if self.slack_bot_token is not None and (self.slack_client_id or self.slack_client_secret):
            raise ConfigError(
                "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set: keep the bot token "
                "for one workspace, or the client credentials to install to many, not both."
            )
        if self.oauth:
            if self.slack_client_id is None:
                raise ConfigError(_missing("SLACK_CLIENT_ID"))
            if self.slack_client_secret is None:
                raise ConfigError(_missing("SLACK_CLIENT_SECRET"))
            if self.socket_mode:
                raise ConfigError("SLACK_APP_TOKEN is set: installing to many workspaces needs HTTP mode, unset it.")
        elif self.slack_bot_token is None:
            raise ConfigError(_missing("SLACK_BOT_TOKEN"))
        if not self.socket_mode and self.slack_signing_secret is None:
            raise ConfigError(_missing("SLACK_SIGNING_SECRET"))

    @property
    def has_any_slack_credential(self) -> bool:
        return any(
            v is not None
            for v in (
                self.slack_bot_token,
                self.slack_signing_secret,
                self.slack_app_token,
                self.slack_client_id,
                self.slack_client_secret,
            )
        )


def normalize_database_url(value: str) -> str:
    value = value.strip()
    for plain, async_driver in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if value.startswith(plain):
            return async_driver + value[len(plain) :]
    if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ValueError("only SQLite (sqlite+aiosqlite://) and PostgreSQL (postgresql+asyncpg://) are supported")
    return value


def _missing(name: str) -> str:
    return f"{name} is not set: {HINTS[name]}, and put it in the environment or in .env."


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "a setting"
        reason = str(error["msg"]).removeprefix("Value error, ")
        hint = HINTS.get(name, "fix it")
        raise ConfigError(f"{name} is invalid ({reason}): {hint}, in the environment or in .env.") from None
