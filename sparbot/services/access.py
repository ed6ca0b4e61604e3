"""Who may use the bot, and as what. Staff, the jobcenter's consultants and admins are
configured by Slack user id; with none configured the bot is open (for a first trial),
and says so at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    JOBCENTER = "jobcenter"


@dataclass(frozen=True)
class Access:
    staff: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()
    jobcenter: frozenset[str] = frozenset()

    @property
    def open(self) -> bool:
        """No one configured: everyone in the workspace counts as staff."""
        return not (self.staff or self.admins or self.jobcenter)

    def role_of(self, user_id: str | None) -> Role | None:
        if user_id is None:
            return None
        if user_id in self.admins or self.open:  # a trial with nobody configured: all admin
            return Role.ADMIN
        if user_id in self.staff:
            return Role.STAFF
        if user_id in self.jobcenter:
            return Role.JOBCENTER
        return None
