"""Logging set-up: one line per record, and no message bodies from the Slack libraries."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The libraries' own logs can carry what members wrote: slack_bolt and slack_sdk log request and
# response bodies at DEBUG, SQLAlchemy logs statements and their parameters at INFO. They stay at
# WARNING whatever LOG_LEVEL says; the app's own loggers ("als.*") never log message text.
QUIET_LIBRARIES = (
    "slack_bolt",
    "slack_sdk",
    "aiohttp",
    "apscheduler",
    "sqlalchemy",
    "alembic",
    "asyncio",
    "aiosqlite",  # logs every statement with its parameters at DEBUG
    "asyncpg",
    "websockets",
)


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.WARNING))
