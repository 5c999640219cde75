"""Socket Mode: with SLACK_APP_TOKEN the app connects out and answers over the socket."""

from __future__ import annotations

import aiohttp

from tests.e2e.harness import add_set_people, running_app


async def test_a_slash_command_is_acknowledged_over_the_socket(database_url: str) -> None:
    async with running_app(database_url, slack_app_token="xapp-standin-app-token", slack_signing_secret=None) as h:
        [opened] = await h.standin.wait_for_call("apps.connections.open")
        assert opened.token == h.ws.app_token  # the app-level token, not the bot token
        person = h.ws.add_user("Anyone")
        channel = h.ws.add_channel("random", members=[person.id])
        ack = await h.standin.socket_deliver("slash_commands", h.driver.command_payload(person.id, channel.id, "help"))
        assert ack["envelope_id"].startswith("env-")
        assert "/als setup" in ack["payload"]["text"]
        assert ack["payload"]["response_type"] == "ephemeral"
        # No Slack endpoint is served in Socket Mode, only the health check.
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{h.url}/slack/events", data="x") as resp:
                assert resp.status == 404
            async with session.get(f"{h.url}/healthz") as resp:
                assert resp.status == 200


async def test_setup_works_end_to_end_over_the_socket(database_url: str) -> None:
    async with running_app(database_url, slack_app_token="xapp-standin-app-token", slack_signing_secret=None) as h:
        people = add_set_people(h.ws)
        await h.standin.socket_deliver(
            "slash_commands", h.driver.command_payload(people.facilitator.id, people.channel.id, "setup")
        )
        await h.standin.wait_for_call("views.open")
        view = h.driver.open_view(people.facilitator.id)
        payload = {
            "type": "view_submission",
            "team": {"id": h.ws.team_id, "domain": h.ws.team_domain},
            "user": {"id": people.facilitator.id, "team_id": h.ws.team_id},
            "api_app_id": h.ws.app_id,
            "view": {**h.standin.view_payload(view)["view"], "state": {"values": h.driver.state_of(view)}},
        }
        ack = await h.standin.socket_deliver("interactive", payload)
        assert ack.get("payload") in (None, {}, "")
        await h.standin.wait_until(lambda: h.ws.messages_in(people.channel.id))
        async with h.db.read() as uow:
            learning_set = await uow.sets.get_by_channel(h.ws.team_id, people.channel.id)
        assert learning_set is not None
        assert learning_set.facilitator_user_id == people.facilitator.id
