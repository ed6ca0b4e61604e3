"""Small state that travels through Slack: button values and modals' private_metadata."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Carried(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)


class ModalContext(_Carried):
    """Where a modal came from: the case it is about and where to answer."""

    ref: str | None = None  # the case's reference, as the form shows it
    case: str | None = None  # the case's token (#123): which case, whatever team holds "ZA"
    channel_id: str | None = None
    thread_ts: str | None = None  # post the result in this thread (a message shortcut)
    decision_id: int | None = None  # the decision being edited

    @property
    def lookup(self) -> str | None:
        """What names the case: its token, or (a form opened before tokens) its reference."""
        return self.case or self.ref


class NudgeRef(_Carried):
    """What a digest's button is about: the nudge's subject and its case."""

    subject: str
    ref: str  # the case's token (#123), or its reference in a digest sent before tokens
    action_id: int | None = None


class DismissContext(_Carried):
    subject: str
    ref: str | None = None  # the nudge's case (None in forms opened before it was kept)
    channel_id: str
    message_ts: str
    block_id: str
    suppression_id: int


class EmailContext(_Carried):
    """The e-mail form: which case and placement, and to whom."""

    ref: str  # shown
    placement_id: int
    to: str
    case: str | None = None  # the case's token (#123)

    @property
    def lookup(self) -> str:
        return self.case or self.ref


class RosterPosition(_Carried):
    page: int = 1
    mine: bool = False
