"""What must hold for every generated request, valid or not:

- the app answers with a status below 500, and 4xx only where the body was not a Slack payload it
  can route (or was too big);
- the answer never shows a traceback or an exception's name;
- nothing unhandled was logged at ERROR (see ALLOWED_SLACK_ERRORS for the one documented exception);
- for an input that is invalid by construction, the database is exactly as it was.

The snapshot covers every table (row counts and a hash of every row) except the profile cache
(`slack_user`), which may learn a real person's profile whenever a request names them; it is checked
on its own: it may only ever gain rows for people who exist in the workspace.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from storage.database import Database
from storage.models import Base, SlackUser

CACHE_TABLE = SlackUser.__tablename__

# Shown to people, never: what a leaked traceback or exception looks like.
LEAK = re.compile(
    r"Traceback|File \"|\b\w*(?:Error|Exception|Warning)\b|sqlalchemy|asyncpg|aiosqlite|sqlite3|slack_bolt|slack_sdk"
)

# The listener wrapper logs "Slack said <error>" when a Web API call fails. These errors are what
# Slack answers when a payload names a user, channel or trigger that does not exist (which only a
# forged payload can do: Slack's own always name real ones), so they are expected here. Any other
# ERROR record (a traceback from a listener, Bolt's "Failed to run", a 500) fails the example.
ALLOWED_SLACK_ERRORS = frozenset(
    {
        "user_not_found",
        "channel_not_found",
        "not_in_channel",
        "user_not_in_channel",
        "invalid_trigger_id",
        "expired_trigger_id",
        "exchanged_trigger_id",
        "cannot_dm_bot",
    }
)
SLACK_SAID = re.compile(r"listener \w+ failed on a [\w ]+ request: Slack said (\w+)")


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    digest: str
    cached_people: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def differences(self, other: Snapshot) -> list[str]:
        changed = [
            f"{t}: {self.counts[t]} -> {other.counts.get(t)} rows"
            for t in self.counts
            if self.counts[t] != other.counts.get(t)
        ]
        if not changed and self.digest != other.digest:
            changed.append("the same row counts, but some rows changed")
        return changed


async def snapshot(db: Database) -> Snapshot:
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    cached: frozenset[tuple[str, str]] = frozenset()
    async with db.read() as uow:
        for table in Base.metadata.sorted_tables:
            rows = (await uow.session.execute(select(table).order_by(*table.primary_key.columns))).all()
            if table.name == CACHE_TABLE:
                cached = frozenset((str(r.team_id), str(r.user_id)) for r in rows)
                continue
            counts[table.name] = len(rows)
            digest.update(table.name.encode())
            for row in rows:
                digest.update(repr(tuple(row)).encode("utf-8", "backslashreplace"))
    return Snapshot(counts=counts, digest=digest.hexdigest(), cached_people=cached)


def leaks(answer: str, *, sent: str) -> list[str]:
    """What in the app's answer looks like a leaked exception (and was not simply echoed from the request)."""
    return sorted({m.group(0) for m in LEAK.finditer(answer) if m.group(0) not in sent})


def unexpected_errors(records: list[logging.LogRecord]) -> list[str]:
    problems = []
    for record in records:
        if record.levelno < logging.ERROR:
            continue
        message = record.getMessage()
        said = SLACK_SAID.match(message)
        if record.name == "als.handlers" and said and said.group(1) in ALLOWED_SLACK_ERRORS:
            continue
        problems.append(f"{record.name}: {message}")
    return problems


class RecordKeeper(logging.Handler):
    """Keeps every record at WARNING or above, from every logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
