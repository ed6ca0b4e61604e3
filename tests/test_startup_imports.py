"""What the serving process loads at start-up: the bot, its server and its jobs, and none of
the libraries only reports and exports use (matplotlib, reportlab, openpyxl, python-docx,
icalendar, pypdf). They cost tens of MB a process, and a small provider runs sparbot on the
smallest VM it can buy: they are imported when a report or an export is first asked for."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("matplotlib", "reportlab", "openpyxl", "docx", "icalendar", "pypdf", "numpy", "PIL")

START_UP = """
import json, sys
from sparbot import cli, jobs
from sparbot.bot import server
from sparbot.bot.app import create_bolt_app, declared_entries, make_deps
from sparbot.config import Settings
from sparbot.db import make_engine, session_factory
from sparbot.devtools.fake_slack import FakeSlack
with FakeSlack(validate_reference=False) as slack:  # it says who the bot is at start-up
    settings = Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="secret",
                        SLACK_API_URL=slack.api_url, _env_file=None)
    app = create_bolt_app(make_deps(settings, session_factory(make_engine("sqlite://"))))
declared_entries()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_serving_loads_no_report_library_until_one_is_asked_for() -> None:
    result = subprocess.run([sys.executable, "-c", START_UP], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "slack_bolt" in loaded and "sqlalchemy" in loaded  # it did start the bot
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
