"""The least `/als status` can cost on this stack, to measure the app's status against: the bare
app's server and Bolt (bench.bare_app), the reads status makes (storage.status's statements, as
SQLite's driver takes them, storage.compiled_reads) on one plain sqlite3 connection in one
transaction, and an answer of the same shape (header, the set, its open rounds with a button each,
the caller's commitments) written as dicts. Nothing else: no middleware, no check of who asks, no
time zones or settings, no escaping, a set it cannot find is an error. Whatever `/als` says, it
answers as status does. SQLite files only.

    python -m bench.status_floor     # settings from the environment, like `python -m bench.bare_app`
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.dialects import sqlite

from bench.bare_app import bolt_without_listeners, serve
from bot.deps import Deps
from bot.logs import configure_logging
from bot.settings import load_settings
from handlers.ids import COMMAND
from storage import status
from storage.compiled_reads import AnySelect, CompiledRead, compile_read
from storage.sqlite_lock import database_file

Params = dict[str, Any]


class StatusReads:
    """Status's five statements on one sqlite3 connection, in one read transaction."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA query_only=ON")
        dialect = sqlite.dialect()
        self._compiled: dict[AnySelect, CompiledRead] = {
            statement: compile_read(statement, dialect)
            for statement in (
                status._SET_OF_CHANNEL,
                status._MEMBERS,
                status._OPEN_ROUNDS,
                status._LATEST_OWN,
                status._OWN_OPEN_COMMITMENTS,
            )
        }

    def _rows(self, cursor: sqlite3.Cursor, statement: AnySelect, params: Params) -> list[tuple[Any, ...]]:
        compiled = self._compiled[statement]
        values = [params[name] if name in params else compiled.fixed[name] for name in compiled.names]
        return cursor.execute(compiled.sql, values).fetchall()

    def read(self, *, team_id: str, channel_id: str, user_id: str) -> dict[str, Any]:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN")
        try:
            found = self._rows(cursor, status._SET_OF_CHANNEL, {"team_id": team_id, "channel_id": channel_id})[0]
            of_set = {"set_id": found[0]}
            of_viewer = {"set_id": found[0], "user_id": user_id}
            return {
                "set": found,
                "members": self._rows(cursor, status._MEMBERS, of_set),
                "open_rounds": self._rows(cursor, status._OPEN_ROUNDS, of_set),
                "latest_own": self._rows(cursor, status._LATEST_OWN, of_viewer),
                "commitments": self._rows(cursor, status._OWN_OPEN_COMMITMENTS, of_viewer),
            }
        finally:
            cursor.execute("COMMIT")
            cursor.close()


def build_blocks(read: dict[str, Any]) -> list[dict[str, Any]]:
    set_row = read["set"]
    members = ", ".join(f"<@{m}>" for (m,) in read["members"])
    overview = f"*{set_row[2]}*, facilitated by <@{set_row[1]}>\n*Members:* {members}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Set status"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": overview}},
        {"type": "divider"},
    ]
    for round_id, presenter, problem, phase, asked, answered in read["open_rounds"]:
        text = f"*{problem}*, presented by <@{presenter}>\n*State:* {phase} · {asked} asked, {answered} answered"
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": text},
                "accessory": {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Ask a question"},
                    "action_id": "rounds.ask",
                    "value": str(round_id),
                },
            }
        )
    if read["commitments"]:
        lines = "\n".join(f"• {action} (due {due})" for action, due in read["commitments"])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*Your open commitments*\n{lines}"}})
    return blocks


def create_status_floor_app(deps: Deps) -> AsyncApp:
    settings = deps.settings
    path = database_file(settings.database_url)
    if path is None:
        raise SystemExit("the status floor reads a SQLite file: set DATABASE_URL to one")
    app = bolt_without_listeners(deps, "status-floor")
    reads = StatusReads(str(path))

    async def status_only(ack: AsyncAck, body: dict[str, Any]) -> None:
        read = reads.read(team_id=body["team_id"], channel_id=body["channel_id"], user_id=body["user_id"])
        await ack(text="Set status", blocks=build_blocks(read), response_type="ephemeral")

    app.command(COMMAND)(status_only)
    return app


def main() -> int:
    settings = load_settings()
    configure_logging(settings.log_level)
    os.environ.pop("SLACK_BOT_TOKEN", None)  # as bench.bare_app
    asyncio.run(serve(settings, create_status_floor_app))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
