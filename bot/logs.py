"""Logging set-up: one line per record, and no message bodies from the Slack libraries."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# slack_bolt and slack_sdk log request and response bodies at DEBUG, which would put what members
# wrote into the logs; they never go below INFO whatever LOG_LEVEL says.
QUIET_LIBRARIES = ("slack_bolt", "slack_sdk", "aiohttp.access", "apscheduler", "sqlalchemy", "alembic")


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    floor = max(logging.getLevelName(level), logging.INFO)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(floor if name != "aiohttp.access" else logging.WARNING)
