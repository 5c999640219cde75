"""`als-bot` (and `python -m bot`): run the app, or migrate its database."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import __version__
from bot.deps import Deps
from bot.logs import configure_logging
from bot.settings import ConfigError, Settings, load_settings
from storage.database import Database

SETUP_GUIDE = """\
als-bot needs a Slack app to talk to, and it has no credentials yet. Create the app at \
https://api.slack.com/apps: "Create New App", "From an app manifest", pick your workspace, paste the \
contents of app.manifest.yml, then "Install to Workspace". Put its credentials in a file named .env \
in this folder: SLACK_BOT_TOKEN=xoxb-... (from "OAuth & Permissions"), and either \
SLACK_APP_TOKEN=xapp-... (an app-level token with connections:write, under "Basic Information"; \
Socket Mode, the easiest way to try it) or SLACK_SIGNING_SECRET=... (also under "Basic Information"; \
HTTP mode, for production). Then run this command again."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="als-bot", description="Run Action Learning Sets in Slack.")
    parser.add_argument("--version", action="version", version=f"als-bot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")
    commands.add_parser("run", help="start the app (the default): Socket Mode with SLACK_APP_TOKEN, else HTTP")
    commands.add_parser("migrate", help="bring the database up to date, then exit")
    commands.add_parser("demo", help="play a scripted set against a local stand-in for Slack (no workspace needed)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo import run_demo

        configure_logging("WARNING")
        return _run(run_demo())
    try:
        settings = load_settings()
    except ConfigError as exc:
        return _fail(str(exc), 2)
    configure_logging(settings.log_level)
    if args.command == "migrate":
        return _run(migrate(settings))
    return run(settings)


def run(settings: Settings) -> int:
    if not settings.has_any_slack_credential:
        print(SETUP_GUIDE, file=sys.stderr)
        return 2
    try:
        settings.require_slack()
    except ConfigError as exc:
        return _fail(str(exc), 2)
    from bot.runners.server import serve

    return _run(serve(Deps(settings=settings, db=Database.from_url(settings.database_url))))


async def migrate(settings: Settings) -> int:
    from storage.migrate import current_revision, upgrade_to_head

    db = Database.from_url(settings.database_url)
    try:
        await upgrade_to_head(db.engine)
        revision = await current_revision(db.engine)
    finally:
        await db.dispose()
    print(f"The database is up to date (revision {revision}).")
    return 0


def _run(coro: object) -> int:
    """Run to the end, turning the failures a person can fix into one line."""
    try:
        return int(asyncio.run(coro))  # type: ignore[arg-type]
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        return _fail(f"could not start: {exc.strerror or exc} (is PORT free and DATABASE_URL reachable?)", 1)
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            return _fail(
                "could not use the database at DATABASE_URL: "
                f"{str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__}",
                1,
            )
        raise


def _fail(message: str, status: int) -> int:
    print(f"als-bot: {message}", file=sys.stderr)
    return status
