"""Slack being slow or failing: the Web API client waits out 429s and retries 5xx."""

from __future__ import annotations

from tests.e2e.harness import Harness, add_set_people


async def test_a_429_with_retry_after_is_waited_out_and_sent_once(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    h.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    await h.driver.submit(people.facilitator.id)
    await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))
    limited, posted = h.standin.calls_to("chat.postMessage", ok=False), h.standin.calls_to("chat.postMessage", ok=True)
    assert [c.status for c in limited] == [429]
    assert len(posted) == 1
    assert posted[0].at - limited[0].at >= 1.0  # it waited as Slack asked
    assert len(h.ws.messages_in(people.channel.id)) == 1


async def test_server_errors_are_retried_before_the_modal_opens(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    h.standin.fail_next("conversations.info", status=500)
    h.standin.fail_next("users.info", status=503)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    assert [c.status for c in h.standin.calls_to("conversations.info")] == [500, 200]


async def test_an_error_slack_will_not_retry_is_told_to_the_person(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    h.standin.fail_next("views.open", error="internal_error")
    reply = await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    assert reply.status == 200
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))
    assert notice.text.startswith("Sorry, something went wrong on my side")
    await h.idle()
