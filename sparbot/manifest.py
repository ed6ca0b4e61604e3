"""The Slack app manifest for this configuration: least-privilege scopes, /spar with user
escaping, the App Home, interactivity; Socket Mode or HTTP request URLs."""

from __future__ import annotations

from typing import Any

from sparbot.bot.server import EVENTS_PATH

BOT_SCOPES = [
    "chat:write",  # replies, confirmations by DM, the agenda in the team's channel
    "commands",  # /spar
    "files:write",  # exports, delivered to the person who asked, in a DM
    "im:write",  # opening that DM
    "im:history",  # after a crash: did a digest DM reach Slack? (never re-sent blind)
    "groups:read",  # the team's channel is private before cases go there; who is in it
    "groups:history",  # after a crash: how much of the agenda reached the team's channel
    "users:read",  # people's names, for exports, the PDF and the CLI
    "users:read.email",  # a person given by e-mail, linked to their Slack account
]
BOT_EVENTS = ["app_home_opened", "user_change"]


def build_manifest(*, name: str = "sparbot", base_url: str | None = None,
                   socket_mode: bool = False) -> dict[str, Any]:
    request_url = f"{base_url.rstrip('/')}{EVENTS_PATH}" if base_url else None
    command: dict[str, Any] = {
        "command": "/spar",
        "description": "Sager, timer, opfølgning og sparringsmøde",
        "usage_hint": "sag ZA · sager mine · timer ZA 3x3 · hjælp",
        "should_escape": True,
    }
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": BOT_EVENTS},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    if not socket_mode:
        if request_url is None:
            raise ValueError("HTTP mode needs the public base URL (--url https://…)")
        command["url"] = request_url
        settings["event_subscriptions"]["request_url"] = request_url
        settings["interactivity"]["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Sparringsmødet, sagerne og opfølgningen – samlet i Slack.",
            "long_description": (
                "sparbot holder styr på borgernes forløb (ved initialer eller pseudonym, "
                "aldrig CPR-nummer), praktikker og timetal, bygger dagsordenen til det "
                "ugentlige sparringsmøde, registrerer beslutninger med ansvarlige og "
                "minder mentorer og virksomhedskonsulenter om opfølgning og løntimer. "
                "Skriv /spar hjælp for at komme i gang."),
            "background_color": "#1d4e3f",
        },
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": True},
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [command],
            "shortcuts": [{"name": "Registrér som beslutning", "type": "message",
                           "callback_id": "decision-from-message",
                           "description": "Gør beskeden til en beslutning på sagen"}],
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": settings,
    }
