"""Trust: the ground rules before a first contribution, forgetting a member's words, retention,
archived channels, and logs that never carry what people wrote."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.logs import configure_logging
from storage.models import Commitment, GroundRulesAgreement, Question, Reflection, Round
from tests.e2e.commit_helpers import commit
from tests.e2e.harness import Harness, running_app
from tests.e2e.reflection_helpers import prompts_in, reflect
from tests.e2e.round_helpers import ask_via_button, message_of_question, present, root_message
from tests.e2e.setup_helpers import make_set

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
REMOVED = "(removed at the author's request)"


async def count(h: Harness, model: type, **where: object) -> int:
    async with h.db.read() as uow:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(await uow.session.scalar(query) or 0)


async def test_the_ground_rules_come_first_once_per_set(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h, agreed=False)
    ada = people.members[0]
    await h.driver.command(ada.id, people.channel.id, "present")
    await h.standin.wait_until(lambda: h.standin.open_views(ada.id))
    view = h.standin.open_views(ada.id)[-1].view
    assert view["callback_id"] == "sets.ground_rules"
    assert "What is said in the set stays in the set." in str(view["blocks"])
    # Not ticking the box is an inline error, and nothing is recorded.
    reply = await h.driver.submit(ada.id, {"sets.ground_rules_agree": []}, as_client=False)
    assert reply.json["response_action"] == "errors"
    assert "Tick the box" in reply.json["errors"]["sets.ground_rules_agree"]
    assert await count(h, GroundRulesAgreement) == 0
    # Ticking it turns the same modal into the presentation form.
    reply = await h.driver.submit(ada.id, {"sets.ground_rules_agree": ["agree"]})
    assert reply.json["response_action"] == "update"
    assert reply.json["view"]["callback_id"] == "rounds.present"
    assert await count(h, GroundRulesAgreement, set_id=set_id, user_id=ada.id) == 1
    submitted = await h.driver.submit(ada.id, {"rounds.problem": "How do I delegate?"})
    assert submitted.json is None, submitted.text
    await h.idle()
    assert await count(h, Round) == 1
    # The next contribution goes straight to its form.
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.command(ada.id, people.channel.id, "commit")
    await h.standin.wait_for_call("views.open", opened + 1)
    assert h.standin.open_views(ada.id)[-1].view["callback_id"] == "commitments.commit"


async def test_the_facilitator_writes_the_sets_own_ground_rules(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h, agreed=False)
    fran, grace = people.facilitator, people.members[1]
    await h.driver.command(fran.id, people.channel.id, "settings")
    await h.standin.wait_until(lambda: h.standin.open_views(fran.id))
    reply = await h.driver.submit(fran.id, {"sets.ground_rules_text": "We meet on time.\nNo phones."})
    assert reply.json is None, reply.text
    await h.idle()
    await h.driver.command(grace.id, people.channel.id, "commit")
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    shown = str(h.standin.open_views(grace.id)[-1].view["blocks"])
    assert "We meet on time." in shown and "stays in the set" not in shown


async def test_forget_me_removes_my_words_and_keeps_counts_true(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What would GRACEQ success mean to you?")
    await ask_via_button(h, ravi.id, round_, people.channel.id, "What have you tried so far?")
    async with h.db.read() as uow:
        grace_q = await uow.session.scalar(select(Question).where(Question.asker_user_id == grace.id))
    assert grace_q is not None
    await h.driver.click(ada.id, "questions.answer", message=message_of_question(h, people.channel.id, grace_q))
    await h.standin.wait_until(lambda: h.standin.open_views(ada.id))
    await h.driver.submit(ada.id, {"rounds.answer_text": "People would own it."})
    await h.idle()
    await commit(h, grace.id, people.channel.id, "Talk to two customers", date(2026, 12, 4))
    await h.sweep(FRIDAY)
    (prompt,) = prompts_in(h, people.channel.id)
    await reflect(h, grace.id, prompt, "GRACE-REFLECTION", "set")
    await reflect(h, grace.id, prompt, "GRACE-PRIVATE", "me")
    grace_question_ts = grace_q.message_ts

    # A typo in the command does nothing; "forget me" asks first.
    reply = await h.driver.command(grace.id, people.channel.id, "forget")
    assert "/als forget me" in reply.json["text"]
    await h.driver.command(grace.id, people.channel.id, "forget me")
    await h.standin.wait_until(lambda: h.standin.open_views(grace.id))
    assert h.standin.open_views(grace.id)[-1].view["callback_id"] == "trust.forget_me"
    reply = await h.driver.submit(grace.id)
    assert reply.json is None, reply.text
    await h.idle()

    assert await count(h, Question, asker_user_id=grace.id) == 0
    assert await count(h, Reflection, user_id=grace.id) == 0
    assert await count(h, Commitment, user_id=grace.id) == 0
    assert await count(h, Question, asker_user_id=ravi.id) == 1  # others' words stay
    edited = {m.ts: m for m in h.ws.messages_in(people.channel.id)}
    assert edited[grace_question_ts].text == REMOVED
    assert not any("GRACE-REFLECTION" in m.text for m in edited.values())
    assert not any("Talk to two customers" in m.text for m in edited.values())
    assert not any("GRACEQ" in m.text for m in edited.values())
    assert any("What have you tried so far?" in m.text for m in edited.values())
    # The round's message counts what is left: Ravi's question, unanswered.
    async with h.db.read() as uow:
        fresh = await uow.session.scalar(select(Round).where(Round.id == round_.id))
    assert fresh is not None
    assert "1 question asked, 0 answered" in root_message(h, fresh, people.channel.id).text
    assert "Deleted: 1 question" in h.standin.ephemerals_for(grace.id)[-1].text


async def test_forget_me_as_presenter_takes_the_problem_and_answers_out(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id, {"rounds.problem": "ADA-SECRET-PROBLEM"})
    await ask_via_button(h, grace.id, round_, people.channel.id, "What would success look like for you?")
    async with h.db.read() as uow:
        question = await uow.session.scalar(select(Question).where(Question.round_id == round_.id))
    assert question is not None
    await h.driver.click(ada.id, "questions.answer", message=message_of_question(h, people.channel.id, question))
    await h.standin.wait_until(lambda: h.standin.open_views(ada.id))
    await h.driver.submit(ada.id, {"rounds.answer_text": "ADA-SECRET-ANSWER"})
    await h.idle()
    await h.driver.command(ada.id, people.channel.id, "forget me")
    await h.standin.wait_until(lambda: [v for v in h.standin.open_views(ada.id) if "forget" in str(v.view)])
    await h.driver.submit(ada.id)
    await h.idle()
    texts = " ".join(m.text + str(m.blocks) for m in h.ws.messages_in(people.channel.id))
    assert "ADA-SECRET-PROBLEM" not in texts and "ADA-SECRET-ANSWER" not in texts
    assert "What would success look like for you?" in texts  # Grace's question is hers to keep
    async with h.db.read() as uow:
        stored = await uow.session.scalar(select(Round).where(Round.id == round_.id))
        kept = await uow.session.scalar(select(Question).where(Question.id == question.id))
    assert stored is not None and stored.problem == REMOVED
    assert kept is not None and kept.answer_text is None


async def test_retention_deletes_old_content_each_day(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id)
    await ask_via_button(h, grace.id, round_, people.channel.id, "What would success look like for you?")
    await h.driver.command(ada.id, people.channel.id, "close")
    await h.idle()
    await h.sweep(FRIDAY)
    (prompt,) = prompts_in(h, people.channel.id)
    await reflect(h, grace.id, prompt, "An old reflection.", "me")
    await h.driver.command(people.facilitator.id, people.channel.id, "settings")
    await h.standin.wait_until(lambda: h.standin.open_views(people.facilitator.id))
    await h.driver.submit(people.facilitator.id, {"sets.retention_months": "3", "sets.meeting_date": "2026-12-07"})
    await h.idle()
    # Four months on (the set's meetings have rolled on meanwhile), the daily clean-up runs at 03:00.
    later = datetime(2027, 3, 30, 3, 0, tzinfo=UTC)
    await h.sweep(later - timedelta(minutes=1))
    await h.sweep(later + timedelta(hours=1))
    assert await count(h, Round) == 0
    assert await count(h, Question) == 0
    assert await count(h, Reflection) == 0
    del set_id


async def test_an_archived_channel_stops_the_sets_schedules(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    await commit(h, people.members[0].id, people.channel.id, "Something", date(2026, 12, 4))
    await h.driver.event({"type": "group_archive", "channel": people.channel.id, "user": people.facilitator.id})
    await h.idle()
    before = len(h.standin.calls_to("chat.postMessage"))
    for day in range(27, 31):
        await h.sweep(datetime(2026, 11, day, 15, 0, tzinfo=UTC))
    await h.sweep(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    await h.sweep(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    assert len(h.standin.calls_to("chat.postMessage")) == before
    async with h.db.read() as uow:
        stopped = await uow.sets.get_by_id(set_id)
    assert stopped is not None and stopped.archived_at is not None and stopped.next_prompt_at is None
    await h.driver.event({"type": "group_unarchive", "channel": people.channel.id, "user": people.facilitator.id})
    await h.idle()
    await h.sweep(datetime(2026, 12, 11, 15, 0, tzinfo=UTC))
    assert len(prompts_in(h, people.channel.id)) == 1


async def test_logs_never_carry_what_people_wrote_or_secrets(database_url: str) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    configure_logging("DEBUG")
    keeper = Keep(level=logging.DEBUG)
    logging.getLogger().addHandler(keeper)
    try:
        async with running_app(database_url) as h:
            people, _ = await make_set(h)
            ada, grace = people.members[:2]
            round_ = await present(h, ada.id, people.channel.id, {"rounds.problem": "SECRET-PROBLEM-TEXT"})
            await ask_via_button(h, grace.id, round_, people.channel.id, "What is SECRET-QUESTION-TEXT about?")
            await commit(h, grace.id, people.channel.id, "SECRET-COMMITMENT-TEXT", date(2026, 12, 4))
            await h.sweep(FRIDAY)
            (prompt,) = prompts_in(h, people.channel.id)
            await reflect(h, grace.id, prompt, "SECRET-REFLECTION-TEXT", "me")
            h.standin.fail_next("chat.postMessage", status=500, times=8)  # failures get logged too
            await h.sweep(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
            token = h.ws.bot_token
    finally:
        logging.getLogger().removeHandler(keeper)
        configure_logging("WARNING")
    logged = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "") for r in records
    )
    assert records, "the scenario logged nothing at all: the scan would prove nothing"
    for secret in (
        "SECRET-PROBLEM-TEXT",
        "SECRET-QUESTION-TEXT",
        "SECRET-COMMITMENT-TEXT",
        "SECRET-REFLECTION-TEXT",
        token,
        "xoxb-",
        "signing",
    ):
        assert secret not in logged, sorted({r.name for r in records if secret in r.getMessage()})
