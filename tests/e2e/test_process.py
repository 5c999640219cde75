"""The app as a process: configuration errors, the run command's guide, migrate, and a clean stop."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from slack_standin import SlackDriver, SlackStandin
from storage.database import Database
from tests.e2e.harness import SIGNING_SECRET, add_set_people
from tests.e2e.processes import app_process, clean_env, run_cli

pytestmark = pytest.mark.slow


async def test_no_credentials_prints_the_setup_guide_and_exits_2(tmp_path: Path) -> None:
    status, out, err = await run_cli([], clean_env(), tmp_path)
    assert status == 2
    assert "app.manifest.yml" in err
    assert ".env" in err
    assert "SLACK_BOT_TOKEN" in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "not-a-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "eighty"}, "PORT"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "70000"}, "PORT"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
    ],
    ids=[
        "no-bot-token",
        "no-signing-secret",
        "bad-bot-token",
        "port-word",
        "port-range",
        "log-level",
        "database-kind",
        "api-url",
        "app-token-shape",
    ],
)
async def test_a_missing_or_invalid_setting_ends_with_one_clear_line(
    tmp_path: Path, env: dict[str, str], variable: str
) -> None:
    status, _out, err = await run_cli([], clean_env(**env), tmp_path)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"als-bot: {variable} ")
    assert "Traceback" not in err


async def test_settings_come_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nPORT=eighty\n")
    status, _, err = await run_cli([], clean_env(), tmp_path)
    assert status == 2
    assert err.startswith("als-bot: PORT ")


async def test_migrate_brings_a_new_database_to_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    status, out, err = await run_cli(["migrate"], clean_env(DATABASE_URL=url), tmp_path)
    assert status == 0, err
    assert "up to date" in out
    db = Database.from_url(url)
    assert await db.scalar("SELECT count(*) FROM learning_set") == 0
    assert await db.scalar("PRAGMA journal_mode") == "wal"
    await db.dispose()


async def test_version_and_help(tmp_path: Path) -> None:
    status, out, _ = await run_cli(["--help"], clean_env(), tmp_path)
    assert status == 0
    assert "migrate" in out
    assert "run" in out


async def test_sigterm_finishes_work_in_progress_then_exits_0(tmp_path: Path) -> None:
    standin = SlackStandin()
    await standin.start()
    env = clean_env(
        SLACK_BOT_TOKEN=standin.workspace.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'als.db'}",
    )
    try:
        async with app_process(env, tmp_path) as app:
            startup = await app.wait_healthy()
            assert startup < 15
            people = add_set_people(standin.workspace)
            driver = SlackDriver(standin, f"http://127.0.0.1:{app.port}", SIGNING_SECRET)
            await driver.command(people.facilitator.id, people.channel.id, "setup")
            await standin.wait_for_call("views.open")
            standin.delay_next("conversations.members", 1.5)  # slow Slack, after the modal closed
            reply = await driver.submit(people.facilitator.id)
            assert reply.status == 200
            app.signal(signal.SIGTERM)
            assert await app.wait() == 0
            await driver.close()
            # The work that was under way when the signal came was finished, not dropped.
            assert len(standin.workspace.messages_in(people.channel.id)) == 1
            assert standin.ephemerals_for(people.facilitator.id)
            assert app.process.stderr is not None
            log = (await app.process.stderr.read()).decode()
            assert "shutting down" in log
            assert "stopped" in log
            assert "Traceback" not in log
    finally:
        await standin.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_sigint_also_stops_cleanly(tmp_path: Path) -> None:
    standin = SlackStandin()
    await standin.start()
    env = clean_env(
        SLACK_BOT_TOKEN=standin.workspace.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'als.db'}",
    )
    try:
        async with app_process(env, tmp_path) as app:
            await app.wait_healthy()
            app.signal(signal.SIGINT)
            assert await app.wait() == 0
    finally:
        await standin.stop()


async def test_the_demo_plays_a_whole_round_without_slack(tmp_path: Path) -> None:
    status, out, err = await run_cli(["demo"], clean_env(), tmp_path, timeout=60)
    assert status == 0, err
    assert "This channel is now an action learning set" in out
    assert "[the form updates in place] 💡 This sounds like a suggestion" in out
    assert "↳ [#leaders-set thread] ALS: Question from @Ravi: What have you tried so far" in out
    assert "@Ada reflects. What I learned:" in out
    assert "[#leaders-set thread] ALS: @Ada commits to: Ask two people" in out
    assert "[DM to Ada] ALS: Coming up: your commitment to leaders-set is due in 2 days" in out
    assert "@Ada: 0 done, 1 open, 0 overdue" in out
    assert "🎉 @Ada has done what they committed to" in out
    assert "0 refused by Slack" in out
    assert "Traceback" not in err
