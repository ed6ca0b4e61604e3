#!/usr/bin/env bash
# The container's entrypoint (also exercised by the tests outside Docker): migrate the
# database, waiting for it if it is still starting, then run the bot in the mode asked for.
#   SPARBOT_MODE=serve (default): HTTP mode on 0.0.0.0:$PORT (default 3000)
#   SPARBOT_MODE=run: Socket Mode, with /healthz alone on 0.0.0.0:$PORT (the healthcheck)
set -euo pipefail
SPARBOT="${SPARBOT_BIN:-sparbot}"
"$SPARBOT" db upgrade
case "${SPARBOT_MODE:-serve}" in
  serve) exec "$SPARBOT" serve --host "${HOST:-0.0.0.0}" --port "${PORT:-3000}" --no-upgrade ;;
  run) exec "$SPARBOT" run --no-upgrade --health-host "${HOST:-0.0.0.0}" --health-port "${PORT:-3000}" ;;
  *) echo "SPARBOT_MODE must be serve or run, not '${SPARBOT_MODE}'" >&2; exit 2 ;;
esac
