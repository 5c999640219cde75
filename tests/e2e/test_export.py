"""`/als export` and `/als export mine`, checked against a scripted history of a set: the files
arrive by DM through Slack's upload flow, hold what they should, and never hold anyone's private
words except in their writer's own export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain.permissions import WHO_MAY, Action, Role
from slack_standin.files import SharedFile
from tests.e2e.commit_helpers import commit, dms
from tests.e2e.harness import Harness, SetPeople
from tests.e2e.reflection_helpers import prompts_in, reflect
from tests.e2e.round_helpers import ask_via_button, message_of_question, present, questions_of
from tests.e2e.setup_helpers import make_set

REMINDER = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Ada's commitment, two days before it is due
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # the weekly reflection prompt

PROBLEM = "How do I get my team to own the plan?"
CONTEXT = "ADA-CONTEXT We rewrote the plan twice this year."
GRACE_QUESTION = "What would success look like for the people on your team?"
RAVI_QUESTION = "How do the people on your team describe the plan today?"
ADA_ANSWER = "ADA-ANSWER They would argue about it and then change it."
ADA_LEARNED = "ADA-LEARNED I hold on to the plan too tightly."
ADA_DIFFERENTLY = "ADA-DIFFERENTLY The plan is theirs to change."
ADA_COMMITMENT = "ADA-COMMIT Ask two people to rewrite a section of the plan"
ADA_NOTE = "ADA-NOTE One section is rewritten"
RAVI_COMMITMENT = "RAVI-COMMIT Ask my boss for feedback"
SHARED = {"ADA-SHARED-REFLECTION Saying less in meetings helped."}
FOR_FRAN = "GRACE-ONLY-FOR-FRAN I am tired of this set."
RAVI_PRIVATE = "RAVI-PRIVATE-TEXT I dread the next meeting."
ADA_PRIVATE = "ADA-PRIVATE-TEXT I doubt myself."


@dataclass
class Story:
    people: SetPeople
    set_id: int
    round_id: int

    @property
    def channel(self) -> str:
        return self.people.channel.id


async def script(h: Harness) -> Story:
    """A week of a set, played through real requests."""
    people, set_id = await make_set(h)
    ada, grace, ravi, _ = people.members
    channel = people.channel.id
    round_ = await present(h, ada.id, channel, {"rounds.problem": PROBLEM, "rounds.context": CONTEXT})
    await ask_via_button(h, grace.id, round_, channel, GRACE_QUESTION)
    await ask_via_button(h, ravi.id, round_, channel, RAVI_QUESTION)
    first = (await questions_of(h, round_.id))[0]
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "questions.answer", message=message_of_question(h, channel, first))
    await h.standin.wait_for_call("views.open", opened + 1)
    assert (await h.driver.submit(ada.id, {"rounds.answer_text": ADA_ANSWER})).json is None
    await h.driver.click(ada.id, "questions.golden", message=message_of_question(h, channel, first))
    await h.driver.command(ada.id, channel, "close")
    await h.idle()
    [invitation] = [m for m in h.ws.dm_messages(ada.id) if "rounds.reflect_button" in str(m.blocks)]
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "rounds.reflect_button", message=invitation)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"rounds.learned": ADA_LEARNED, "rounds.differently": ADA_DIFFERENTLY})
    assert reply.json is None, reply.text
    await commit(h, ada.id, channel, ADA_COMMITMENT, date(2026, 11, 27))
    await commit(h, ravi.id, channel, RAVI_COMMITMENT, date(2026, 12, 4))

    await h.sweep(REMINDER)
    [reminder] = dms(h, ada.id)[-1:]
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "commitments.update_button", message=reminder)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"commitments.what_happened": ADA_NOTE, "commitments.learned": "Ask early"})
    assert reply.json is None, reply.text
    await h.idle()
    await h.driver.click(ada.id, "commitments.done", message=dms(h, ada.id)[-1])
    await h.idle()

    await h.sweep(FRIDAY)
    (prompt,) = prompts_in(h, channel)
    await reflect(h, ada.id, prompt, next(iter(SHARED)), "set")
    await reflect(h, ada.id, prompt, ADA_PRIVATE, "me")
    await reflect(h, grace.id, prompt, FOR_FRAN, "facilitator")
    await reflect(h, ravi.id, prompt, RAVI_PRIVATE, "me")
    return Story(people=people, set_id=set_id, round_id=round_.id)


async def export(h: Harness, user_id: str, channel_id: str, words: str = "export") -> list[SharedFile]:
    """Run the command as `user_id` and return the files that reached their DM."""
    reply = await h.driver.command(user_id, channel_id, words)
    assert reply.json["response_type"] == "ephemeral"
    assert reply.json["text"] == "Preparing the export; it will arrive in a DM from me in a moment.", reply.json
    await h.idle()
    return h.standin.files_in(h.ws.im_with(user_id).id)


def by_kind(files: list[SharedFile]) -> tuple[str, dict[str, Any]]:
    assert sorted(f.filename.rsplit(".", 1)[1] for f in files) == ["json", "md"]
    markdown = next(f for f in files if f.filename.endswith(".md")).text
    document = json.loads(next(f for f in files if f.filename.endswith(".json")).text)
    return markdown, document


async def test_the_facilitators_export_holds_the_sets_history_and_no_private_reflection(harness: Harness) -> None:
    h = harness
    story = await script(h)
    fran, ada, grace, ravi, _ = story.people.facilitator, *story.people.members
    files = await export(h, fran.id, story.channel)
    assert len(files) == 2 and all(f.channel == h.ws.im_with(fran.id).id for f in files)
    assert files[0].filename.startswith("leaders-set-history-2026-11-27")
    assert "history of *leaders-set*" in files[0].initial_comment
    markdown, document = by_kind(files)

    assert set(document) == {
        "format",
        "version",
        "scope",
        "exported_at",
        "exported_for",
        "set",
        "people",
        "rounds",
        "reflections",
        "commitments",
    }
    assert (document["format"], document["scope"], document["exported_for"]) == ("als-export", "set", fran.id)
    assert document["set"]["facilitator"] == fran.id and document["set"]["channel_id"] == story.channel
    assert document["people"][ada.id] == "Ada"
    [round_] = document["rounds"]
    assert (round_["presenter"], round_["problem"], round_["context"]) == (ada.id, PROBLEM, CONTEXT)
    assert round_["phase"] == "closed" and round_["opened_at"].startswith("2026-11-23T10:00")
    assert round_["closed_at"] is not None and round_["closed_by"] == ada.id
    assert round_["reflection"]["learned"] == ADA_LEARNED
    assert round_["reflection"]["differently"] == ADA_DIFFERENTLY
    asked = [(q["asker"], q["text"], q["phase"], q["kind"], q["golden"], q["status"]) for q in round_["questions"]]
    assert asked == [
        (grace.id, GRACE_QUESTION, "clarifying", "open", True, "answered"),
        (ravi.id, RAVI_QUESTION, "clarifying", "open", False, "waiting"),
    ]
    assert round_["questions"][0]["answer"]["text"] == ADA_ANSWER
    assert round_["questions"][1]["answer"] is None
    commitments = {c["action"]: c for c in document["commitments"]}
    assert set(commitments) == {ADA_COMMITMENT, RAVI_COMMITMENT}
    done = commitments[ADA_COMMITMENT]
    assert (done["owner"], done["status"], done["round_id"]) == (ada.id, "done", round_["id"])
    assert [n["kind"] for n in done["notes"]] == ["update", "done"]
    assert done["notes"][0]["what_happened"] == ADA_NOTE
    assert commitments[RAVI_COMMITMENT]["status"] == "open"
    assert [(r["author"], r["visibility"], r["text"]) for r in document["reflections"]] == [
        (ada.id, "set", text) for text in SHARED
    ]
    assert document["reflections"][0]["prompt"]

    for words in (PROBLEM, CONTEXT, GRACE_QUESTION, ADA_ANSWER, ADA_LEARNED, ADA_NOTE, RAVI_COMMITMENT, *SHARED):
        assert words in markdown, words
    for private in (FOR_FRAN, RAVI_PRIVATE, ADA_PRIVATE):
        assert private not in markdown and private not in json.dumps(document), private
        assert not any(private in f.text for f in h.standin.files)
    assert "<@" not in markdown


async def test_export_mine_holds_only_the_callers_own_words(harness: Harness) -> None:
    h = harness
    story = await script(h)
    ada, grace = story.people.members[:2]

    markdown, document = by_kind(await export(h, ada.id, story.channel, "export mine"))
    assert (document["scope"], document["exported_for"]) == ("mine", ada.id)
    [round_] = document["rounds"]
    assert round_["problem"] == PROBLEM and "questions" not in round_
    assert [a["text"] for a in round_["answers"]] == [ADA_ANSWER]
    assert document["questions"] == []
    assert {(r["visibility"], r["text"]) for r in document["reflections"]} == {
        ("set", next(iter(SHARED))),
        ("me", ADA_PRIVATE),
    }
    assert [c["action"] for c in document["commitments"]] == [ADA_COMMITMENT]
    whole = markdown + json.dumps(document)
    for own in (ADA_PRIVATE, ADA_ANSWER, ADA_LEARNED, ADA_NOTE, CONTEXT):
        assert own in markdown, own
    for theirs in (GRACE_QUESTION, RAVI_QUESTION, FOR_FRAN, RAVI_PRIVATE, RAVI_COMMITMENT):
        assert theirs not in whole, theirs

    markdown, document = by_kind(await export(h, grace.id, story.channel, "export mine"))
    assert document["rounds"] == []
    [question] = document["questions"]
    assert (question["text"], question["golden"], question["status"]) == (GRACE_QUESTION, True, "answered")
    assert "answer" not in question
    assert [r["text"] for r in document["reflections"]] == [FOR_FRAN]  # her own, kept for the facilitator
    whole = markdown + json.dumps(document)
    for theirs in (ADA_ANSWER, CONTEXT, ADA_PRIVATE, RAVI_QUESTION, ADA_LEARNED, *SHARED):
        assert theirs not in whole, theirs
    assert len(h.standin.files_in(h.ws.im_with(ada.id).id)) == 2  # each export went to its own caller


async def test_only_the_facilitator_exports_the_set(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ravi = people.members[2]
    reply = await h.driver.command(ravi.id, people.channel.id, "export")
    assert reply.json["response_type"] == "ephemeral"
    assert (
        reply.json["text"] == f"Only the set's facilitator, <@{people.facilitator.id}>, can export the set's history."
    )
    await h.idle()
    assert h.standin.calls_to("files.getUploadURLExternal") == [] and h.standin.files == []
    reply = await h.driver.command(ravi.id, people.channel.id, "export everything")
    assert "/als export mine" in reply.json["text"]
    await h.idle()
    assert h.standin.files == []


@pytest.mark.parametrize("actor", ["facilitator", "member", "former member", "outsider"])
@pytest.mark.parametrize("action", [Action.EXPORT, Action.EXPORT_MINE])
async def test_the_permission_cells_of_export(harness: Harness, actor: str, action: Action) -> None:
    h = harness
    people, set_id = await make_set(h)
    outsider = h.ws.add_user("Otto Outsider")
    roles = {"facilitator": {Role.FACILITATOR, Role.MEMBER}, "member": {Role.MEMBER}}.get(actor, set())
    user = {
        "facilitator": people.facilitator.id,
        "member": people.members[0].id,
        "former member": people.members[1].id,
        "outsider": outsider.id,
    }[actor]
    if actor == "former member":
        async with h.db.write() as uow:
            await uow.sets.end_membership(set_id, user, h.clock.now())
    words = "export" if action is Action.EXPORT else "export mine"
    reply = await h.driver.command(user, people.channel.id, words)
    await h.idle()
    expected = not WHO_MAY[action].isdisjoint(roles)
    assert (reply.json["text"].startswith("Preparing the export")) == expected, reply.json
    assert bool(h.standin.files_in(h.ws.im_with(user).id)) == expected
    if not expected:
        assert "Only" in reply.json["text"]


async def test_export_outside_a_set_hints_at_setup(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Anyone")
    channel = h.ws.add_channel("random", members=[person.id])
    for words in ("export", "export mine"):
        reply = await h.driver.command(person.id, channel.id, words)
        assert "isn't an action learning set yet" in reply.json["text"]
        assert "/als setup" in reply.json["text"]
    await h.idle()
    assert h.standin.calls_to("files.getUploadURLExternal") == []


async def test_a_refused_upload_is_told_in_plain_words(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    fran = people.facilitator
    h.standin.fail_next("files.completeUploadExternal", error="channel_not_found")
    reply = await h.driver.command(fran.id, people.channel.id, "export")
    assert reply.json["text"].startswith("Preparing the export")
    await h.idle()
    assert h.standin.files == []
    [told] = [e for e in h.standin.ephemerals_for(fran.id) if e.text.startswith("Sorry")]
    assert told.channel == people.channel.id
    assert told.text.startswith("Sorry, Slack would not take the export files just now")
    assert "/als export" in told.text and "Traceback" not in told.text and "channel_not_found" not in told.text
    # And when it works again, the files arrive.
    files = await export(h, fran.id, people.channel.id)
    assert len(files) == 2


async def test_a_failed_byte_upload_is_told_in_plain_words(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    h.standin.fail_next("upload", status=400, error="bad_upload")
    await h.driver.command(ada.id, people.channel.id, "export mine")
    await h.idle()
    assert h.standin.calls_to("files.completeUploadExternal") == [] and h.standin.files == []
    [told] = [e for e in h.standin.ephemerals_for(ada.id) if e.text.startswith("Sorry")]
    assert told.text.startswith("Sorry, Slack would not take the export files") and "/als export mine" in told.text
