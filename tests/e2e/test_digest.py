"""The facilitator's Monday digest, checked against a scripted week of a set's history, and each
set's health line on the facilitator's Home tab."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.services.commitments import mark_done
from tests.e2e.commit_helpers import commit
from tests.e2e.harness import running_app
from tests.e2e.reflection_helpers import prompts_in, reflect
from tests.e2e.round_helpers import ask_via_button, message_of_question, present, questions_of
from tests.e2e.setup_helpers import make_set

SET_MADE = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday, four weeks before the digest
WEEK_STARTS = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DIGEST = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 09:00 in London, Fran's zone


async def test_the_digest_counts_a_scripted_week_and_never_quotes_private_reflections(database_url: str) -> None:
    async with running_app(database_url, now=SET_MADE) as h:
        people, _ = await make_set(h)
        fran = people.facilitator
        ada, grace, ravi, mae = people.members
        # Before the week the digest covers: a commitment that does not count as made this week.
        await commit(h, grace.id, people.channel.id, "Older commitment", date(2026, 12, 20))

        h.clock.set(WEEK_STARTS + timedelta(days=1))
        round_ = await present(h, ada.id, people.channel.id)
        await ask_via_button(h, grace.id, round_, people.channel.id, "What would success look like for you?")
        await ask_via_button(h, ravi.id, round_, people.channel.id, "Is the plan working?", expect_posted=False)
        reply = await h.driver.submit(ravi.id, {"rounds.as_is": ["as_is"]})
        assert reply.json is None, reply.text
        await h.idle()
        first = (await questions_of(h, round_.id))[0]
        opened = len(h.standin.calls_to("views.open"))
        await h.driver.click(ada.id, "questions.answer", message=message_of_question(h, people.channel.id, first))
        await h.standin.wait_for_call("views.open", opened + 1)
        await h.driver.submit(ada.id, {"rounds.answer_text": "People would own it."})
        await h.driver.command(ada.id, people.channel.id, "close")
        await h.idle()
        made = await commit(h, ravi.id, people.channel.id, "Ask my boss for feedback", date(2026, 11, 25))
        done = await commit(h, ada.id, people.channel.id, "Co-write the plan", date(2026, 12, 4))
        async with h.db.write() as uow:
            await mark_done(uow, team_id=h.ws.team_id, commitment_id=done.id, user_id=ada.id, now=h.clock.now())

        await h.sweep(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))
        (prompt,) = prompts_in(h, people.channel.id)
        await reflect(h, ada.id, prompt, "Shared with everyone.", "set")
        await reflect(h, grace.id, prompt, "GRACE-ONLY-FOR-FRAN", "facilitator")
        await reflect(h, ravi.id, prompt, "RAVI-PRIVATE-TEXT", "me")

        def digests() -> list[str]:
            return [m.text for m in h.ws.dm_messages(fran.id) if m.text.startswith("Weekly digest")]

        fran_dms = [m for m in h.ws.dm_messages(fran.id) if "Weekly digest" in m.text]
        assert fran_dms == []
        await h.sweep(DIGEST - timedelta(minutes=1))
        assert digests() == []
        await h.sweep(DIGEST)
        (digest,) = [m for m in h.ws.dm_messages(fran.id) if m.text.startswith("Weekly digest")]
        blocks = str(digest.blocks)
        assert "*Rounds:* 1 opened, 1 closed" in blocks
        assert "*Questions:* 2 asked, 1 of them open questions" in blocks
        assert "*Commitments:* 2 made, 1 done, 1 overdue now" in blocks
        assert "*Reflections:* 3 written (1 with the set, 1 with you, 1 kept private)" in blocks
        assert f"*Quiet for three weeks:* <@{mae.id}>" in blocks
        assert "RAVI-PRIVATE-TEXT" not in blocks + digest.text
        assert "GRACE-ONLY-FOR-FRAN" not in blocks + digest.text
        await h.sweep(DIGEST + timedelta(hours=4))
        assert len(digests()) == 1
        del made

        # The facilitator's Home tab has the set's health in a line; a member's has none.
        await h.driver.event({"type": "app_home_opened", "user": fran.id, "tab": "home"})
        await h.idle()
        home = str(h.standin.calls_to("views.publish")[-1].args)
        assert "How my sets are doing" in home
        assert "5 members · 0 open rounds · 2 open commitments (1 overdue) · 3 reflections in 4 weeks" in home
        await h.driver.event({"type": "app_home_opened", "user": ada.id, "tab": "home"})
        await h.idle()
        ada_home = str(h.standin.calls_to("views.publish")[-1].args)
        assert "How my sets are doing" not in ada_home
        assert "Shared with everyone." in ada_home and "The set (posted" in ada_home
