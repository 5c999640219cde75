"""The OAuth stores on the app's database, on each backend: installations per workspace, and
`state` values used once before they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store import Installation

from bot.clock import FrozenClock
from bot.slack_api.installations import DatabaseInstallationStore, DatabaseOAuthStateStore
from storage.database import Database

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def installation(team_id: str, token: str, **extra: object) -> Installation:
    return Installation(
        app_id="A1",
        team_id=team_id,
        team_name=f"Team {team_id}",
        bot_token=token,
        bot_id="B1",
        bot_user_id="U0BOT",
        bot_scopes="chat:write,commands",
        user_id="U0INSTALLER",
        installed_at=NOW.timestamp(),
        **extra,  # type: ignore[arg-type]
    )


async def test_each_workspace_has_its_own_installation_and_a_new_one_replaces_it(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        store = DatabaseInstallationStore(db, client_id="1.2")
        await store.async_save(installation("T1", "xoxb-one"))
        await store.async_save(installation("T2", "xoxb-two"))
        await store.async_save(
            installation(
                "T1",
                "xoxe.xoxb-one-again",
                bot_refresh_token="xoxe-1-r",
                bot_token_expires_at=int((NOW + timedelta(hours=12)).timestamp()),
            )
        )
        one = await store.async_find_installation(enterprise_id=None, team_id="T1")
        two = await store.async_find_bot(enterprise_id=None, team_id="T2")
        assert one is not None
        assert two is not None
        assert (one.bot_token, one.bot_refresh_token) == ("xoxe.xoxb-one-again", "xoxe-1-r")
        assert one.bot_token_expires_at == int((NOW + timedelta(hours=12)).timestamp())
        assert one.bot_scopes == ["chat:write", "commands"]
        assert (one.user_id, one.installed_at) == ("U0INSTALLER", NOW.timestamp())
        assert two.bot_token == "xoxb-two"
        assert await db.scalar("SELECT count(*) FROM slack_installation") == 2
        # Another app's store (another client id) sees none of them; nor does a person with no install.
        assert (
            await DatabaseInstallationStore(db, client_id="9.9").async_find_bot(enterprise_id=None, team_id="T1")
            is None
        )
        assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U0SOMEONE") is None

        await store.async_delete_all(enterprise_id=None, team_id="T1")
        assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
        assert await store.async_find_bot(enterprise_id=None, team_id="T2") is not None
    finally:
        await db.dispose()


async def test_a_state_is_good_once_and_only_before_it_expires(database_url: str) -> None:
    db = Database.from_url(database_url)
    clock = FrozenClock(NOW)
    try:
        store = DatabaseOAuthStateStore(db, expiration_seconds=600, now=clock.now)
        first, late = await store.async_issue(), await store.async_issue()
        assert first != late
        assert await store.async_consume(first)
        assert not await store.async_consume(first)  # a second use (a replayed redirect) fails
        assert not await store.async_consume("made-up")
        clock.set(NOW + timedelta(seconds=601))
        assert not await store.async_consume(late)
        await store.async_issue()  # issuing clears out the expired ones
        assert await db.scalar("SELECT count(*) FROM oauth_state") == 1
    finally:
        await db.dispose()
