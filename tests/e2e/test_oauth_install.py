"""Installing to many workspaces: the OAuth flow against the stand-in (install page, Slack's consent
screen, the redirect with a code, oauth.v2.access), then commands and scheduled DMs sent with that
workspace's own token, token rotation, uninstalling, and one workspace's data out of another's reach."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import select

from handlers.installations import UNINSTALLED
from slack_standin.oauth import OAuthApp
from storage.models import Commitment, OAuthState, Question, SlackInstallation
from tests.e2e.commit_helpers import commit, dms, outbox_rows
from tests.e2e.harness import Harness, running_app
from tests.e2e.round_helpers import present, root_message
from tests.e2e.setup_helpers import make_set

REMINDER_AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # two days before a commitment due on the 27th
DUE = date(2026, 11, 27)


async def installations(h: Harness) -> list[SlackInstallation]:
    async with h.db.read() as uow:
        return list((await uow.session.scalars(select(SlackInstallation))).all())


def tokens_used(h: Harness, method: str) -> set[str | None]:
    return {call.token for call in h.standin.calls_to(method)}


async def test_install_stores_the_workspace_token_and_everything_is_sent_with_it(database_url: str) -> None:
    oauth = OAuthApp()
    async with running_app(database_url, oauth=oauth) as h:
        before = h.ws.bot_token
        reply = await h.driver.install()
        assert reply.status == 200, reply.text
        [access] = h.standin.calls_to("oauth.v2.access")
        assert access.ok, access.error
        assert access.args["client_id"] == oauth.client_id  # sent as Slack wants, checked by the stand-in
        installed = h.ws.bot_token
        assert installed != before
        assert installed.startswith("xoxb-standin-installed-")
        [row] = await installations(h)
        assert (row.team_key, row.bot_token, row.bot_user_id) == (h.ws.team_id, installed, h.ws.bot_user_id)
        assert "chat:write" in (row.bot_scopes or "")
        async with h.db.read() as uow:  # the state was used up by the redirect
            assert (await uow.session.scalars(select(OAuthState))).all() == []

        people, _ = await make_set(h)  # a command, a modal, a submission: all on the installed token
        ada = people.members[0]
        await commit(h, ada.id, people.channel.id, "Write the plan with the team", DUE)
        await h.sweep(REMINDER_AT)
        [reminder] = dms(h, ada.id)
        assert "Coming up" in reminder.text
        assert tokens_used(h, "auth.test") == {installed}
        assert tokens_used(h, "views.open") == {installed}
        assert tokens_used(h, "chat.postMessage") == {installed}  # the scheduled DM included
        assert all(call.ok for call in h.standin.calls if call.method != "oauth.v2.access")


async def test_the_install_refuses_a_redirect_without_the_browsers_state(database_url: str) -> None:
    async with running_app(database_url, oauth=OAuthApp()) as h:
        reply = await h.driver.install(follow_consent=False)
        assert reply.status == 302
        back = reply.headers["Location"]
        async with (
            aiohttp.ClientSession() as stranger,  # no state cookie: another browser
            stranger.get(back, allow_redirects=False) as landing,
        ):
            assert landing.status == 400
        assert h.standin.calls_to("oauth.v2.access") == []
        assert await installations(h) == []


async def test_a_command_before_the_install_is_refused(database_url: str) -> None:
    async with running_app(database_url, oauth=OAuthApp()) as h:
        people = h.ws.add_user("Fran Facilitator")
        channel = h.ws.add_channel("leaders", members=[people.id])
        reply = await h.driver.command(people.id, channel.id, "setup")
        assert reply.status == 200
        [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.id))
        assert "installation" in notice.text
        assert h.standin.calls_to("views.open") == []


async def test_rotated_tokens_are_refreshed_and_the_new_one_is_used(database_url: str) -> None:
    # Tokens live an hour: less than the two hours before expiry at which the app refreshes them.
    oauth = OAuthApp(token_lifetime=3600)
    async with running_app(database_url, oauth=oauth) as h:
        assert (await h.driver.install()).status == 200
        first = h.ws.bot_token
        assert first.startswith("xoxe.xoxb-")
        [row] = await installations(h)
        assert row.bot_refresh_token == oauth.refresh_token
        assert row.bot_token_expires_at is not None

        people, _ = await make_set(h)
        refreshes = [c for c in h.standin.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
        assert refreshes, "the app never refreshed its token"
        assert all(c.ok for c in refreshes)
        assert first not in tokens_used(h, "views.open")  # the stand-in no longer takes the first token
        ada = people.members[0]
        await commit(h, ada.id, people.channel.id, "Write the plan with the team", DUE)
        await commit(h, ada.id, people.channel.id, "Ask for feedback on it", DUE)
        # Two days on, the stand-in's token has long expired; the two reminders are sent side by side
        # and each needs a fresh token, while Slack takes each refresh token only once.
        await h.sweep(REMINDER_AT)
        assert len(dms(h, ada.id)) == 2
        posts = [c for c in h.standin.calls_to("chat.postMessage") if c.args.get("channel") == ada.id]
        assert [c.ok for c in posts] == [True, True]  # the stand-in takes only the newest, unexpired token
        assert not {c.token for c in posts} & {first, *tokens_used(h, "views.open")}  # refreshed for the sweep
        assert all(c.ok for c in h.standin.calls_to("oauth.v2.access"))
        [row] = await installations(h)
        assert row.bot_token == h.ws.bot_token  # the newest token was saved
        assert row.bot_refresh_token == oauth.refresh_token


@pytest.mark.parametrize(
    "event", [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT0001"]}}]
)
async def test_uninstalling_deletes_the_tokens_and_stops_the_schedules(
    database_url: str, event: dict[str, object]
) -> None:
    oauth = OAuthApp()
    async with running_app(database_url, oauth=oauth) as h:
        assert (await h.driver.install()).status == 200
        people, _ = await make_set(h)
        ada = people.members[0]
        await commit(h, ada.id, people.channel.id, "Write the plan with the team", DUE)
        h.standin.fail_next("chat.postMessage", error="internal_error")  # the reminder waits for a retry
        await h.sweep(REMINDER_AT)
        planned = [r for r in await outbox_rows(h) if r.status == "pending"]
        assert planned, "nothing was waiting to be sent"

        oauth.revoke(h.ws)
        reply = await h.driver.event(event)
        assert reply.status == 200
        await h.idle()
        assert await installations(h) == []
        rows = {r.id: r for r in await outbox_rows(h)}
        for row in planned:
            assert rows[row.id].status == "cancelled"
            assert rows[row.id].last_error == UNINSTALLED

        posts_before = len(h.standin.calls_to("chat.postMessage"))
        await h.sweep(REMINDER_AT + timedelta(hours=1))  # when the retry would have been
        await h.sweep(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # and the due day's reminder
        after = await outbox_rows(h)
        assert [r.status for r in after if r.id not in rows] != []  # the due day's was planned, then dropped
        assert {r.status for r in after if r.id not in rows} == {"cancelled"}
        assert len(h.standin.calls_to("chat.postMessage")) == posts_before  # nothing sent, with any token
        assert dms(h, ada.id) == []


async def test_another_workspace_cannot_reach_a_set_round_or_commitment_by_id(database_url: str) -> None:
    async with running_app(database_url, oauth=OAuthApp()) as h:
        assert (await h.driver.install()).status == 200
        people, set_id = await make_set(h)
        ada, grace = people.members[:2]
        round_ = await present(h, grace.id, people.channel.id)
        await commit(h, ada.id, people.channel.id, "Write the plan with the team", DUE)
        await h.sweep(REMINDER_AT)
        [reminder] = dms(h, ada.id)
        home = h.ws.team_id

        # The same people, now in another workspace that has installed the app too; every payload
        # Slack sends from there carries its team id, while the messages hold the first one's ids.
        h.ws.team_id = "T0OTHER01"
        assert (await h.driver.install()).status == 200
        assert {row.team_key for row in await installations(h)} == {home, "T0OTHER01"}
        views_before = len(h.standin.calls_to("views.open"))

        await h.driver.click(ada.id, "commitments.done", message=reminder)
        await h.driver.click(ada.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
        reply = await h.driver.command(ada.id, people.channel.id, "settings")
        await h.idle()
        notices = [e.text for e in h.standin.ephemerals_for(ada.id)][-2:]
        assert notices == ["That commitment no longer exists.", "That round no longer exists."]
        assert "isn't an action learning set yet" in reply.json["text"]

        assert len(h.standin.calls_to("views.open")) == views_before  # no form about the other's round or set
        async with h.db.read() as uow:
            commitment = await uow.session.scalar(select(Commitment).where(Commitment.user_id == ada.id))
            assert commitment is not None
            assert commitment.status == "open"
            assert (await uow.session.scalars(select(Question))).all() == []
            assert await uow.sets.get("T0OTHER01", set_id) is None
            assert await uow.rounds.get("T0OTHER01", round_.id) is None
            assert await uow.commitments.get("T0OTHER01", commitment.id) is None
            assert await uow.sets.get(home, set_id) is not None  # the ids are right, only the workspace is not
        assert not dms(h, ada.id)[0].edited


async def test_with_one_bot_token_there_is_no_install_page(harness: Harness) -> None:
    async with aiohttp.ClientSession() as browser:
        for path in ("/slack/install", "/slack/oauth_redirect?code=1&state=2"):
            async with browser.get(f"{harness.url}{path}", allow_redirects=False) as page:
                assert page.status == 404
    reply = await harness.driver.event({"type": "app_uninstalled"})
    assert reply.status == 404  # not a listener in this mode: Bolt answers as for any unhandled event
    assert harness.deps.installations is None
