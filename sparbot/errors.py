"""Errors a user can fix. Each has a message key rendered in the user's language."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Bad input or a request that cannot be met: said politely, nothing changed.

    `key` names a macro in prompts/<lang>/errors.md.j2; `field` (optional) names the modal
    input the error belongs to.
    """

    def __init__(self, key: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        # What a person typed is quoted back; 5,000 digits are not (a message has limits).
        self.params = {name: shortened(value) if isinstance(value, str) else value
                       for name, value in params.items()}

    def __repr__(self) -> str:
        return f"UserError({self.key!r}, field={self.field!r})"


QUOTED_MAX = 60


def shortened(text: str) -> str:
    return text if len(text) <= QUOTED_MAX else text[:QUOTED_MAX - 1] + "…"
