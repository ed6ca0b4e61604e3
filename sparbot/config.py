"""Settings from the environment and a .env file. Tokens are SecretStr: never printed."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sparbot.enums import HolidayPolicy, Language
from sparbot.services.access import Access
from sparbot.services.agenda_rules import AgendaRules
from sparbot.services.attendance import AttendanceRules
from sparbot.services.internship_length import InternshipLimits, parse_limits
from sparbot.services.meetings import (
    MeetingRules,
    parse_attendees,
    parse_clock_time,
    parse_closure_days,
    parse_weekday,
)

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
    # What each team's calendar URL is derived from (default: the signing secret).
    calendar_secret: SecretStr | None = Field(default=None, alias="SPARBOT_CALENDAR_SECRET")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    channel: str | None = Field(default=None, alias="SPARBOT_CHANNEL")
    tz: str = Field(default="Europe/Copenhagen", alias="SPARBOT_TZ")
    language: Language = Field(default=Language.DA, alias="SPARBOT_LANGUAGE")

    # The weekly sparring meeting (see sparbot/services/meetings.py).
    meeting_weekday: str = Field(default="tuesday", alias="SPARBOT_MEETING_DAY")
    meeting_time: str = Field(default="10:00", alias="SPARBOT_MEETING_TIME")
    meeting_minutes: int = Field(default=60, ge=10, le=480, alias="SPARBOT_MEETING_MINUTES")
    minutes_per_case: int = Field(default=8, ge=1, le=120, alias="SPARBOT_MINUTES_PER_CASE")
    agenda_post_time: str = Field(default="14:00", alias="SPARBOT_AGENDA_POST_TIME")
    holiday_policy: HolidayPolicy = Field(default=HolidayPolicy.MOVE,
                                          alias="SPARBOT_HOLIDAY_POLICY")
    closure_days: str = Field(default="", alias="SPARBOT_CLOSURE_DAYS")
    jobcenter_attendees: str = Field(default="", alias="SPARBOT_JOBCENTER_ATTENDEES")
    ending_weeks: int = Field(default=4, ge=1, le=26, alias="SPARBOT_ENDING_WEEKS")
    unpaid_weeks: int = Field(default=8, ge=1, le=52, alias="SPARBOT_UNPAID_WEEKS")
    flat_hours_weeks: int = Field(default=8, ge=1, le=52, alias="SPARBOT_FLAT_HOURS_WEEKS")
    rotation_weeks: int = Field(default=8, ge=1, le=52, alias="SPARBOT_ROTATION_WEEKS")
    # Attendance: under this percentage in this many weeks running is raised at the
    # meeting; so are this many weeks (of the last four) with a day absent without notice.
    attendance_low_percent: int = Field(default=75, ge=1, le=100,
                                        alias="SPARBOT_ATTENDANCE_LOW_PERCENT")
    attendance_low_weeks: int = Field(default=3, ge=1, le=4,
                                      alias="SPARBOT_ATTENDANCE_LOW_WEEKS")
    attendance_no_show_weeks: int = Field(default=2, ge=1, le=4,
                                          alias="SPARBOT_ATTENDANCE_NO_SHOW_WEEKS")
    # The longest company internship without a new assessment, and per programme.
    internship_weeks: int = Field(default=13, ge=1, le=104, alias="SPARBOT_INTERNSHIP_WEEKS")
    internship_weeks_by_programme: str = Field(
        default="", alias="SPARBOT_INTERNSHIP_WEEKS_BY_PROGRAMME")
    nudge_time: str = Field(default="08:30", alias="SPARBOT_NUDGE_TIME")
    db_attempts: int = Field(default=6, ge=1, le=20, alias="SPARBOT_DB_ATTEMPTS")
    retention_months: int = Field(default=12, ge=1, le=120, alias="SPARBOT_RETENTION_MONTHS")
    audit_retention_months: int = Field(default=36, ge=6, le=240,
                                        alias="SPARBOT_AUDIT_RETENTION_MONTHS")
    staff: str = Field(default="", alias="SPARBOT_STAFF")
    admins: str = Field(default="", alias="SPARBOT_ADMINS")
    jobcenter_users: str = Field(default="", alias="SPARBOT_JOBCENTER_USERS")
    smtp_host: str | None = Field(default=None, alias="SMTP_HOST")
    smtp_port: int = Field(default=587, alias="SMTP_PORT")
    smtp_user: str | None = Field(default=None, alias="SMTP_USER")
    smtp_password: SecretStr | None = Field(default=None, alias="SMTP_PASSWORD")
    smtp_from: str | None = Field(default=None, alias="SMTP_FROM")
    smtp_starttls: bool = Field(default=True, alias="SMTP_STARTTLS")
    overdue_repeats: int = Field(default=3, ge=1, le=30, alias="SPARBOT_OVERDUE_REPEATS")
    # Longer than any one send can take (timeouts and Retry-After included): a claim this
    # old was left by a process that died, and another replica checks what it did.
    send_timeout_seconds: int = Field(default=600, ge=1, le=86_400,
                                      alias="SPARBOT_SEND_TIMEOUT")

    @field_validator("meeting_weekday")
    @classmethod
    def _weekday_known(cls, value: str) -> str:
        parse_weekday(value)
        return value

    @field_validator("meeting_time", "agenda_post_time", "nudge_time")
    @classmethod
    def _time_shape(cls, value: str) -> str:
        parse_clock_time(value)
        return value

    @field_validator("internship_weeks_by_programme")
    @classmethod
    def _limits_shape(cls, value: str) -> str:
        parse_limits(value)
        return value

    @field_validator("closure_days")
    @classmethod
    def _closures_shape(cls, value: str) -> str:
        parse_closure_days(value)
        return value

    def abandoned_before(self, now: datetime) -> datetime:
        """A send claimed before this moment was left by a process that died."""
        return now - timedelta(seconds=self.send_timeout_seconds)

    def access(self) -> Access:
        def ids(text: str) -> frozenset[str]:
            return frozenset(word.strip() for word in text.split(",") if word.strip())

        return Access(staff=ids(self.staff), admins=ids(self.admins),
                      jobcenter=ids(self.jobcenter_users))

    def meeting_rules(self) -> MeetingRules:
        return MeetingRules(
            weekday=parse_weekday(self.meeting_weekday),
            starts_at=parse_clock_time(self.meeting_time),
            minutes=self.meeting_minutes,
            minutes_per_case=self.minutes_per_case,
            post_at=parse_clock_time(self.agenda_post_time),
            holiday_policy=self.holiday_policy,
            closures=frozenset(parse_closure_days(self.closure_days)),
            jobcenter_attendees=parse_attendees(self.jobcenter_attendees),
        )

    def agenda_rules(self) -> AgendaRules:
        return AgendaRules(ending_weeks=self.ending_weeks, unpaid_weeks=self.unpaid_weeks,
                           flat_hours_weeks=self.flat_hours_weeks,
                           rotation_weeks=self.rotation_weeks,
                           attendance=AttendanceRules(
                               low_share=self.attendance_low_percent / 100,
                               low_weeks=self.attendance_low_weeks,
                               no_show_weeks=self.attendance_no_show_weeks),
                           internship=InternshipLimits(
                               weeks=self.internship_weeks,
                               by_programme=parse_limits(self.internship_weeks_by_programme)))

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

    def require_slack(self, *, socket_mode: bool, signing_secret: bool = True) -> None:
        """Stop with one line if a token needed for this mode is missing."""
        needed = ["SLACK_BOT_TOKEN"]
        if socket_mode:
            needed.append("SLACK_APP_TOKEN")
        elif signing_secret:
            needed.append("SLACK_SIGNING_SECRET")
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
