"""Where prompts/ and migrations/ live: beside the package in a checkout, inside it when
installed from a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_resources" / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"sparbot resource {name!r} is missing from the installation")
