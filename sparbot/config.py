"""Settings from the environment and a .env file. Tokens are SecretStr: never printed."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sparbot.enums import Language

DEFAULT_DATABASE_URL = "sqlite:///sparbot.db"
SLACK_API_URL = "https://slack.com/api/"


class SettingsError(SystemExit):
    """Start-up stops with one clear line naming the setting (never its value)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=SLACK_API_URL, alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    channel: str | None = Field(default=None, alias="SPARBOT_CHANNEL")
    tz: str = Field(default="Europe/Copenhagen", alias="SPARBOT_TZ")
    language: Language = Field(default=Language.DA, alias="SPARBOT_LANGUAGE")

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            # psycopg 3 is the driver we ship; plain URLs from hosting panels work too.
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("tz")
    @classmethod
    def _tz_known(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError("is not a known time zone, e.g. Europe/Copenhagen") from error
        return value

    def require_slack(self, *, socket_mode: bool) -> None:
        """Stop with one line if a token needed for this mode is missing."""
        needed = ["SLACK_BOT_TOKEN"]
        needed.append("SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET")
        values = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_APP_TOKEN": self.slack_app_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
        }
        for name in needed:
            if values[name] is None:
                raise SettingsError(f"sparbot: the setting {name} is missing (set it in the "
                                    "environment or in .env; see README, 'Configuration')")


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        alias = _alias_of(field)
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"sparbot: the setting {alias} is malformed: {reason}") from None


def _alias_of(field: str) -> str:
    info = Settings.model_fields.get(field)
    return info.alias if info is not None and info.alias else field.upper()
