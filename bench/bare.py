"""The floor: a Bolt app that only acks (commands, buttons, forms), behind the same gate
and waitress server as `sparbot serve`. `python -m bench.bare --api URL --port N`."""

from __future__ import annotations

import argparse

from slack_bolt import App
from slack_sdk import WebClient

from bench.serving import SECRET
from sparbot.bot.server import build_wsgi_app, make_server
from sparbot.db import make_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    bare = App(signing_secret=SECRET, client=WebClient(token="xoxb-bench", base_url=args.api))
    bare.command("/spar")(lambda ack: ack())
    bare.action("roster-page")(lambda ack: ack())
    bare.view("hours-modal")(lambda ack: ack())
    make_server(build_wsgi_app(bare, make_engine("sqlite://"), signing_secret=SECRET),
                "127.0.0.1", args.port).run()


if __name__ == "__main__":
    main()
