"""Rounds over real HTTP: present, ask (with coaching), answer, phases, close and reflect."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select

from storage.models import Question, Round
from tests.e2e.harness import Harness
from tests.e2e.round_helpers import (
    ask_via_button,
    message_of_question,
    present,
    questions_of,
    reload_round,
    root_message,
    thread,
)
from tests.e2e.setup_helpers import make_set


async def count(h: Harness, model: type) -> int:
    async with h.db.read() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_presenting_opens_a_round_with_a_root_message(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    ada = people.members[0]
    round_ = await present(
        h,
        ada.id,
        people.channel.id,
        {
            "rounds.context": "We moved to quarterly planning.\nNobody reads the plan.",
            "rounds.why": "It is my job to make it work.",
            "rounds.tried": "Workshops.",
            "rounds.success": "The team quotes the plan.",
            "rounds.help_wanted": ["clarify", "challenge"],
        },
    )
    assert round_.set_id == set_id
    assert round_.phase == "clarifying"
    assert round_.problem == "How do I get my team to own the plan?"
    assert round_.help_wanted == "clarify,challenge"
    root = root_message(h, round_, people.channel.id)
    blocks = str(root.blocks)
    assert "Round: How do I get my team to own the plan?" in blocks
    assert f"<@{ada.id}>" in blocks
    assert "questions open: clarifying questions" in blocks
    assert "0 questions asked, 0 answered" in blocks
    assert "Nobody reads the plan." in blocks and "Questions that challenge my assumptions" in blocks
    assert "rounds.ask_button" in blocks
    assert root.text.startswith("Round: How do I get my team to own the plan?")


async def test_a_second_presentation_is_refused_with_a_link_to_the_open_round(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await present(h, ada.id, people.channel.id)
    opened_before = len(h.standin.calls_to("views.open"))
    reply = await h.driver.command(ada.id, people.channel.id, "present")
    assert reply.status == 200
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(ada.id))
    assert "You already have a round open" in notice.text
    assert f"https://{h.ws.team_domain}.slack.com/archives/{people.channel.id}/p" in notice.text
    assert len(h.standin.calls_to("views.open")) == opened_before
    assert await count(h, Round) == 1


async def test_bad_presentations_get_inline_errors_and_store_and_post_nothing(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await h.driver.command(ada.id, people.channel.id, "present")
    await h.standin.wait_for_call("views.open", 2)
    before = len(h.ws.messages_in(people.channel.id))
    reply = await h.driver.submit(
        ada.id, {"rounds.problem": "   ", "rounds.context": "x" * 3001, "rounds.why": "y" * 1001}, as_client=False
    )
    assert set(reply.errors) == {"rounds.problem", "rounds.context", "rounds.why"}
    reply = await h.driver.submit(ada.id, {"rounds.problem": "p" * 151}, as_client=False)
    assert set(reply.errors) == {"rounds.problem"}
    await h.idle()
    assert await count(h, Round) == 0
    assert len(h.ws.messages_in(people.channel.id)) == before


async def test_someone_outside_the_set_cannot_present_ask_or_answer(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    round_ = await present(h, people.members[0].id, people.channel.id)
    outsider = h.ws.add_user("Not Member")
    h.ws.channels[people.channel.id].members.append(outsider.id)  # in the channel, but Slack never told the app
    reply = await h.driver.command(outsider.id, people.channel.id, "present")
    assert "Only members of this set" in reply.json["text"]
    reply = await h.driver.command(outsider.id, people.channel.id, "ask")
    assert "Only members of this set" in reply.json["text"]
    await h.driver.click(outsider.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(outsider.id))
    assert "Only members of this set" in notice.text
    assert await count(h, Question) == 0


async def test_asking_posts_the_question_in_the_thread_and_updates_counts(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[0], people.members[1]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What does owning the plan look like to you?")
    round_ = await reload_round(h, round_.id)
    [question] = await questions_of(h, round_.id)
    assert (question.asker_user_id, question.kind, question.phase, question.status) == (
        grace.id,
        "open",
        "clarifying",
        "waiting",
    )
    assert question.coached is False
    [reply_message] = thread(h, people.channel.id, round_)
    assert reply_message.ts == question.message_ts
    assert f"Question from <@{grace.id}>" in str(reply_message.blocks)
    assert "What does owning the plan look like to you?" in str(reply_message.blocks)
    assert "questions.answer" in str(reply_message.blocks)
    assert "1 question asked, 0 answered, 1 waiting" in str(root_message(h, round_, people.channel.id).blocks)


async def test_ask_command_defaults_to_the_newest_round_that_is_not_yours(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    first = await present(h, ada.id, people.channel.id, {"rounds.problem": "First problem"})
    h.clock.advance(__import__("datetime").timedelta(minutes=5))
    second = await present(h, grace.id, people.channel.id, {"rounds.problem": "Second problem"})
    await h.driver.command(grace.id, people.channel.id, "ask")
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    view = h.driver.open_view(grace.id)
    # Grace's own round is not offered; Ada's is the default.
    assert "rounds.ask_round" not in str(view.view["blocks"])
    assert "First problem" in str(view.view["blocks"]) and "Second problem" not in str(view.view["blocks"])
    await h.driver.close_view(grace.id)
    await h.driver.command(ravi.id, people.channel.id, "ask")
    await h.standin.wait_until(lambda: h.standin.open_views(ravi.id))
    view = h.driver.open_view(ravi.id)
    picker = next(b for b in view.view["blocks"] if b.get("block_id") == "rounds.ask_round")
    assert picker["element"]["initial_option"]["value"] == str(second.id)
    assert [o["value"] for o in picker["element"]["options"]] == [str(second.id), str(first.id)]
    reply = await h.driver.submit(
        ravi.id, {"rounds.ask_round": str(first.id), "rounds.question": "What happened last quarter?"}
    )
    assert reply.json is None
    await h.idle()
    assert [q.round_id for q in await questions_of(h, first.id)] == [first.id]


async def test_asking_with_no_round_open_explains_how_to_start_one(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    reply = await h.driver.command(people.members[0].id, people.channel.id, "ask")
    assert "No round is open" in reply.json["text"] and "/als present" in reply.json["text"]
    await present(h, people.members[0].id, people.channel.id)
    reply = await h.driver.command(people.members[0].id, people.channel.id, "ask")
    assert "The only round open right now is yours" in reply.json["text"]


async def test_a_presenter_cannot_ask_in_their_own_round(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    round_ = await present(h, ada.id, people.channel.id)
    await h.driver.click(ada.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(ada.id))
    assert "This is your round" in notice.text
    assert await count(h, Question) == 0


async def test_bad_questions_get_inline_errors_and_nothing_is_posted(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    round_ = await present(h, people.members[0].id, people.channel.id)
    grace = people.members[1]
    await h.driver.click(grace.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    for text, expected in [("    ", "Write your question."), ("Why?", "at least 5"), ("W" * 1001, "1,000")]:
        reply = await h.driver.submit(grace.id, {"rounds.question": text}, as_client=False)
        assert expected in reply.errors["rounds.question"]
    await h.idle()
    assert await count(h, Question) == 0
    assert thread(h, people.channel.id, await reload_round(h, round_.id)) == []


async def test_a_closed_question_is_coached_then_edited_into_an_open_one(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    round_ = await present(h, people.members[0].id, people.channel.id)
    grace = people.members[1]
    await h.driver.click(grace.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    reply = await h.driver.submit(grace.id, {"rounds.question": "Is the deadline fixed?"})
    body = reply.json
    assert body["response_action"] == "update"
    coached = h.driver.open_view(grace.id)  # the same modal, updated in place
    text = str(coached.view["blocks"])
    assert "yes or a no" in text.lower() or "yes or no" in text.lower()
    assert "You might ask" in text
    assert "rounds.as_is" in text
    question_block = next(b for b in coached.view["blocks"] if b.get("block_id") == "rounds.question")
    assert question_block["element"]["initial_value"] == "Is the deadline fixed?"
    assert await count(h, Question) == 0  # nothing stored or posted while coaching
    reply = await h.driver.submit(grace.id, {"rounds.question": "How fixed is the deadline, and who decides?"})
    assert reply.json is None
    await h.idle()
    [question] = await questions_of(h, round_.id)
    assert question.text == "How fixed is the deadline, and who decides?"
    assert (question.kind, question.coached) == ("open", True)


async def test_advice_can_be_posted_as_it_is_after_coaching(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    round_ = await present(h, people.members[0].id, people.channel.id)
    grace = people.members[1]
    await h.driver.click(grace.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    advice = "Have you tried talking to your manager?"
    reply = await h.driver.submit(grace.id, {"rounds.question": advice})
    assert reply.json["response_action"] == "update"
    assert "suggestion" in str(h.driver.open_view(grace.id).view["blocks"]).lower()
    reply = await h.driver.submit(grace.id, {"rounds.as_is": ["as_is"]})
    assert reply.json is None
    await h.idle()
    [question] = await questions_of(h, round_.id)
    assert (question.text, question.kind, question.coached) == (advice, "advice", True)
    assert advice.replace("'", "&#39;") in str(message_of_question(h, people.channel.id, question).blocks) or (
        advice in str(message_of_question(h, people.channel.id, question).blocks)
    )


async def test_only_the_presenter_answers_and_the_answer_quotes_the_question(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What would owning it look like?")
    [question] = await questions_of(h, round_.id)
    message = message_of_question(h, people.channel.id, question)

    await h.driver.click(ravi.id, "questions.answer", message=message)
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(ravi.id))
    assert notice.text == "Only the presenter answers questions in their round."
    assert "owning it" not in notice.text  # refusals never quote anyone's words

    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "questions.answer", message=message)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"rounds.answer_text": "   "}, as_client=False)
    assert reply.errors == {"rounds.answer_text": "Write your answer."}
    reply = await h.driver.submit(ada.id, {"rounds.answer_text": "People would change it without asking me."})
    assert reply.json is None
    await h.idle()
    [question] = await questions_of(h, round_.id)
    assert question.status == "answered"
    assert question.answer_text == "People would change it without asking me."
    round_ = await reload_round(h, round_.id)
    answer = next(m for m in thread(h, people.channel.id, round_) if m.ts == question.answer_ts)
    assert f"<@{ada.id}> answered <@{grace.id}>'s question" in str(answer.blocks)
    assert "&gt; What would owning it look like?" in str(answer.blocks)
    updated = message_of_question(h, people.channel.id, question)
    assert updated.edited and "answered" in str(updated.blocks) and "questions.answer" not in str(updated.blocks)
    assert "1 question asked, 1 answered" in str(root_message(h, round_, people.channel.id).blocks)


async def test_still_thinking_and_golden_questions(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What are you afraid of here?")
    [question] = await questions_of(h, round_.id)
    await h.driver.click(grace.id, "questions.golden", message=message_of_question(h, people.channel.id, question))
    await h.driver.click(
        ada.id, "questions.still_thinking", message=message_of_question(h, people.channel.id, question)
    )
    await h.idle()
    [question] = await questions_of(h, round_.id)
    assert (question.status, question.golden) == ("still_thinking", False)  # Grace's star was refused
    assert "still thinking" in str(message_of_question(h, people.channel.id, question).blocks)
    assert "Only the presenter marks" in h.standin.ephemerals_for(grace.id)[-1].text
    await h.driver.click(ada.id, "questions.golden", message=message_of_question(h, people.channel.id, question))
    await h.idle()
    [question] = await questions_of(h, round_.id)
    assert question.golden is True
    assert "golden question" in str(message_of_question(h, people.channel.id, question).blocks)


async def test_an_asker_edits_and_withdraws_their_question_until_it_is_answered(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What is the first thing you noticed?")
    [question] = await questions_of(h, round_.id)

    await h.driver.click(ravi.id, "questions.edit", message=message_of_question(h, people.channel.id, question))
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(ravi.id))
    assert "Only the person who asked" in notice.text

    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(grace.id, "questions.edit", message=message_of_question(h, people.channel.id, question))
    await h.standin.wait_for_call("views.open", opened + 1)
    assert h.driver.open_view(grace.id).view["title"]["text"] == "Edit your question"
    reply = await h.driver.submit(grace.id, {"rounds.question": "What did you notice first, and when?"})
    assert reply.json is None
    await h.idle()
    [question] = await questions_of(h, round_.id)
    assert question.text == "What did you notice first, and when?" and question.edited_at is not None
    message = message_of_question(h, people.channel.id, question)
    assert message.edited and "What did you notice first, and when?" in str(message.blocks)

    await h.driver.click(grace.id, "questions.withdraw", message=message)
    await h.standin.wait_for_call("views.open", opened + 2)
    reply = await h.driver.submit(grace.id)
    assert reply.json is None
    await h.idle()
    assert await questions_of(h, round_.id) == []
    [withdrawn] = await questions_of(h, round_.id, include_withdrawn=True)
    assert withdrawn.text == ""  # the words are gone, not just hidden
    assert thread(h, people.channel.id, await reload_round(h, round_.id)) == []
    assert "0 questions asked" in str(root_message(h, round_, people.channel.id).blocks)


async def test_an_answered_question_can_no_longer_be_edited_or_withdrawn(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What would you like to happen?")
    [question] = await questions_of(h, round_.id)
    original = message_of_question(h, people.channel.id, question)
    stale = dataclasses.replace(original)  # what Grace's client still shows
    await h.driver.click(ada.id, "questions.answer", message=original)
    await h.standin.wait_until(lambda: h.standin.open_views(ada.id))
    await h.driver.submit(ada.id, {"rounds.answer_text": "Calm."})
    await h.idle()
    await h.driver.click(grace.id, "questions.withdraw", message=stale)
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(grace.id))
    assert "has been answered" in notice.text
    [question] = await questions_of(h, round_.id)
    assert question.status == "answered"


async def test_phases_tag_questions_and_only_presenter_or_facilitator_move_on(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "Who else is involved?")
    await h.driver.click(ravi.id, "rounds.explore", message=root_message(h, round_, people.channel.id))
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(ravi.id))
    assert "Only the presenter or the set's facilitator" in notice.text
    assert (await reload_round(h, round_.id)).phase == "clarifying"

    await h.driver.click(people.facilitator.id, "rounds.explore", message=root_message(h, round_, people.channel.id))
    await h.idle()
    round_ = await reload_round(h, round_.id)
    assert round_.phase == "exploratory"
    assert any("exploratory questions" in m.text for m in thread(h, people.channel.id, round_))
    root_blocks = str(root_message(h, round_, people.channel.id).blocks)
    assert "questions open: exploratory questions" in root_blocks and "rounds.explore" not in root_blocks
    await ask_via_button(h, ravi.id, round_, people.channel.id, "What assumption are you least sure of?")
    assert [q.phase for q in await questions_of(h, round_.id)] == ["clarifying", "exploratory"]
    await h.driver.click(grace.id, "rounds.ask_button", message=root_message(h, round_, people.channel.id))
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    assert "exploratory questions" in str(h.driver.open_view(grace.id).view["blocks"]).lower()


async def test_closing_posts_a_summary_golden_first_and_invites_the_presenter_to_reflect(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "Who else is involved?")
    await h.driver.click(ada.id, "rounds.explore", message=root_message(h, round_, people.channel.id))
    await h.idle()
    await ask_via_button(h, ravi.id, round_, people.channel.id, "What are you not saying?")
    second = (await questions_of(h, round_.id))[1]
    await h.driver.click(ada.id, "questions.golden", message=message_of_question(h, people.channel.id, second))
    await h.idle()

    await h.driver.click(grace.id, "rounds.close", message=root_message(h, round_, people.channel.id))
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(grace.id))
    assert "Only the presenter or the set's facilitator" in notice.text

    await h.driver.click(ada.id, "rounds.close", message=root_message(h, round_, people.channel.id))
    await h.idle()
    round_ = await reload_round(h, round_.id)
    assert round_.phase == "reflecting" and round_.closed_by_user_id == ada.id
    summary = next(m for m in thread(h, people.channel.id, round_) if "Round summary" in str(m.blocks))
    text = str(summary.blocks)
    assert text.index("Golden questions") < text.index("What are you not saying?") < text.index("Clarifying")
    assert text.index("Clarifying questions") < text.index("Who else is involved?")
    root_blocks = str(root_message(h, round_, people.channel.id).blocks)
    assert "the presenter is reflecting" in root_blocks and "rounds.ask_button" not in root_blocks
    [dm] = h.ws.dm_messages(ada.id)
    assert "rounds.reflect_button" in str(dm.blocks)
    invitation_blocks = list(dm.blocks)

    reply = await h.driver.command(ravi.id, people.channel.id, "ask")
    assert "No round is open" in reply.json["text"]

    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "rounds.reflect_button", message=dm)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"rounds.learned": "  "}, as_client=False)
    assert reply.errors == {"rounds.learned": "Write what you learned."}
    reply = await h.driver.submit(
        ada.id,
        {"rounds.learned": "I hold on to the plan too tightly.", "rounds.differently": "The plan is theirs to change."},
    )
    assert reply.json is None
    await h.idle()
    round_ = await reload_round(h, round_.id)
    assert round_.phase == "closed"
    assert round_.reflection_learned == "I hold on to the plan too tightly."
    reflection = thread(h, people.channel.id, round_)[-1]
    assert f"<@{ada.id}> reflects" in str(reflection.blocks)
    assert "The plan is theirs to change." in str(reflection.blocks)
    [dm] = h.ws.dm_messages(ada.id)
    assert dm.edited and "/als commit" in dm.text and "rounds.reflect_button" not in str(dm.blocks)
    # Once is enough: a click on an old copy of the invitation is refused.
    await h.driver.click(ada.id, "rounds.reflect_button", ephemeral=(dm.channel, invitation_blocks))
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(ada.id))
    assert "already reflected" in notice.text


async def test_close_command_closes_your_own_round(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    reply = await h.driver.command(ada.id, people.channel.id, "close")
    assert "no round with open questions" in reply.json["text"]
    round_ = await present(h, ada.id, people.channel.id)
    reply = await h.driver.command(grace.id, people.channel.id, "close")
    assert "Only the presenter or the facilitator" in reply.json["text"]
    reply = await h.driver.command(ada.id, people.channel.id, "close")
    assert reply.text == ""
    await h.idle()
    assert (await reload_round(h, round_.id)).phase == "reflecting"
    assert len(h.ws.dm_messages(ada.id)) == 1


async def test_the_facilitator_can_close_the_only_open_round(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    round_ = await present(h, people.members[0].id, people.channel.id)
    await h.driver.command(people.facilitator.id, people.channel.id, "close")
    await h.idle()
    round_ = await reload_round(h, round_.id)
    assert (round_.phase, round_.closed_by_user_id) == ("reflecting", people.facilitator.id)
    assert len(h.ws.dm_messages(people.members[0].id)) == 1  # the presenter is invited, not the facilitator


async def test_status_shows_open_rounds_and_what_waits_for_you(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id, {"rounds.problem": "Hiring is too slow"})
    await ask_via_button(h, grace.id, round_, people.channel.id, "What slows it down most?")
    reply = await h.driver.command(grace.id, people.channel.id, "status")
    text = reply.json["text"]
    assert "Open round: Hiring is too slow (1 asked, 0 answered)" in text
    assert "rounds.ask_button" in str(reply.json["blocks"])
    reply = await h.driver.command(ada.id, people.channel.id, "status")
    assert "Your round: Hiring is too slow" in reply.json["text"]
    assert "Waiting for your answer: What slows it down most?" in reply.json["text"]
    assert "questions.answer" in str(reply.json["blocks"])


async def test_a_round_whose_root_message_was_deleted_still_works(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id, {"rounds.problem": "Budget cuts"})
    old_root = root_message(h, round_, people.channel.id)
    old_root.deleted = True  # someone deleted it in Slack
    reply = await h.driver.command(grace.id, people.channel.id, "status")
    await h.driver.click(grace.id, "rounds.ask_button", ephemeral=(people.channel.id, reply.json["blocks"]))
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    reply = await h.driver.submit(grace.id, {"rounds.question": "What would you cut first?"})
    assert reply.json is None
    await h.idle()
    round_ = await reload_round(h, round_.id)
    assert round_.root_ts != old_root.ts  # posted again
    new_root = root_message(h, round_, people.channel.id)
    assert "Round: Budget cuts" in str(new_root.blocks) and "1 question asked" in str(new_root.blocks)
    [question_message] = thread(h, people.channel.id, round_)
    assert "What would you cut first?" in str(question_message.blocks)
