"""`als-bot demo`: the real app against the bundled Slack stand-in, with a throwaway database,
playing a scripted set and printing each message as Slack would show it."""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.deps import Deps
from bot.runners.server import Running, start
from bot.settings import Settings
from scheduler.sweep import run_sweep
from slack_standin import SlackDriver, SlackStandin
from slack_standin.server import Ephemeral
from slack_standin.workspace import Message, View, Workspace
from storage.database import Database
from storage.models import Commitment

SECRET = "demo-signing-secret"
MENTION = re.compile(r"<@(U[A-Z0-9]+)>")
CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>")
SPECIAL = re.compile(r"<!date\^[^|>]*\|([^>]*)>|<(?:https?://)[^|>]*\|([^>]*)>")
EMOJI = {":bulb:": "💡", ":star:": "⭐", ":white_check_mark:": "✅", ":tada:": "🎉"}


class Transcript:
    """Prints what people in the workspace would see, as it happens."""

    def __init__(self, ws: Workspace, out: TextIO) -> None:
        self.ws, self.out = ws, out

    def readable(self, text: str) -> str:
        text = MENTION.sub(lambda m: "@" + self.ws.users[m.group(1)].name.split(" ")[0], text)
        text = CHANNEL.sub(lambda m: "#" + self.ws.channels[m.group(1)].name, text)
        text = SPECIAL.sub(lambda m: m.group(1) or m.group(2) or "", text)
        for code, emoji in EMOJI.items():
            text = text.replace(code, emoji)
        text = text.replace("*", "").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
        return text

    def where(self, channel_id: str) -> str:
        channel = self.ws.channels[channel_id]
        if channel.is_im:
            return f"DM to {self.ws.users[channel.members[0]].name.split(' ')[0]}"
        return f"#{channel.name}"

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def block(self, head: str, text: str, indent: int) -> None:
        lines = self.readable(text).splitlines() or [""]
        self.say(f"{head} {lines[0]}")
        for line in lines[1:]:
            self.say(" " * indent + line)

    def __call__(self, kind: str, item: Any) -> None:
        if kind == "message" and isinstance(item, Message):
            indent = "        ↳ " if item.thread_ts else "    "
            head = f"{indent}[{self.where(item.channel)}{' thread' if item.thread_ts else ''}] ALS:"
            self.block(head, item.text, len(indent) + 4)
        elif kind == "update" and isinstance(item, Message):
            text = " ".join(self.readable(item.text).split())
            self.say(f"    ✎ ALS updated a message in {self.where(item.channel)}: …{text[-80:]}")
        elif kind == "ephemeral" and isinstance(item, Ephemeral):
            who = self.ws.users[item.user].name.split(" ")[0]
            self.block(f"    (only {who} sees) ALS:", item.text, 8)
        elif kind == "view" and isinstance(item, View):
            who = self.ws.users[item.user].name.split(" ")[0]
            self.say(f"    [{who} sees the form “{item.view.get('title', {}).get('text', '')}”]")
        elif kind == "delete" and isinstance(item, Message):
            self.say(f"    ✗ ALS removed a message from {self.where(item.channel)}")


class Demo:
    def __init__(
        self, standin: SlackStandin, driver: SlackDriver, running: Running, out: Transcript, clock: FrozenClock
    ) -> None:
        self.standin, self.driver, self.running, self.out = standin, driver, running, out
        self.ws = standin.workspace
        self.clock = clock

    async def at(self, moment: datetime) -> None:
        """Move time on to `moment` and let the scheduler's sweep run, as its minute tick would."""
        self.clock.set(moment)
        await run_sweep(self.running.deps, self.running.bolt.client, now=moment, me="demo")
        await self.idle()

    async def idle(self) -> None:
        for _ in range(3):
            await asyncio.sleep(0.02)
            await self.running.deps.inflight.wait(10)

    def step(self, text: str) -> None:
        self.out.say("")
        self.out.say(f"▶ {text}")

    async def command(self, user: str, channel: str, text: str) -> None:
        reply = await self.driver.command(user, channel, text)
        body = reply.json
        if isinstance(body, dict) and body.get("text"):
            who = self.ws.users[user].name.split(" ")[0]
            self.out.block(f"    (only {who} sees) ALS:", str(body["text"]), 8)
        await self.idle()

    async def submit(self, user: str, values: dict[str, Any] | None = None) -> None:
        views = self.standin.open_views(user)
        if views and views[-1].view.get("callback_id") == "sets.ground_rules":
            # A member's first contribution opens with the set's ground rules.
            who = self.ws.users[user].name.split(" ")[0]
            await self.driver.submit(user, {"sets.ground_rules_agree": ["agree"]})
            self.out.say(f"    [{who} ticks “I agree to keep to these ground rules”; the form comes next]")
        reply = await self.driver.submit(user, values)
        body = reply.json
        if isinstance(body, dict) and body.get("response_action") == "update":
            note = next((b["text"]["text"] for b in body["view"]["blocks"] if b.get("type") == "section"), "")
            self.out.block("    [the form updates in place]", note, 8)
        await self.idle()

    async def click(self, user: str, action_id: str, message: Message) -> None:
        await self.driver.click(user, action_id, message=message)
        await self.idle()

    def latest(self, channel: str, *, containing: str, thread: bool | None = None) -> Message:
        for message in reversed(self.ws.messages_in(channel)):
            if containing in message.text and (thread is None or bool(message.thread_ts) == thread):
                return message
        raise LookupError(containing)


async def play(demo: Demo) -> None:
    ws = demo.ws
    fran = ws.add_user("Fran Facilitator", tz="Europe/London")
    ada = ws.add_user("Ada Lovelace", tz="Europe/London")
    grace = ws.add_user("Grace Hopper", tz="America/New_York")
    ravi = ws.add_user("Ravi Shankar", tz="Asia/Kolkata")
    mae = ws.add_user("Mae Jemison", tz="America/Los_Angeles")
    channel = ws.add_channel("leaders-set", members=[fran.id, ada.id, grace.id, ravi.id, mae.id]).id

    demo.step("Fran types /als setup in #leaders-set and submits the form as it is")
    await demo.command(fran.id, channel, "setup")
    await demo.submit(fran.id)

    demo.step("Ada types /als present and describes her problem")
    await demo.command(ada.id, channel, "present")
    await demo.submit(
        ada.id,
        {
            "rounds.problem": "How do I get my team to own the quarterly plan?",
            "rounds.context": "We moved to quarterly planning in spring. I write the plan; nobody reads it.",
            "rounds.help_wanted": ["challenge", "options"],
        },
    )
    root = demo.latest(channel, containing="Round: How do I get my team", thread=False)

    demo.step("Grace presses “Ask a question” and asks an open question")
    await demo.click(grace.id, "rounds.ask_button", root)
    await demo.submit(grace.id, {"rounds.question": "What would it look like if the team owned the plan?"})

    demo.step("Ravi asks something that is really advice, is coached, and rewords it")
    await demo.click(ravi.id, "rounds.ask_button", root)
    await demo.submit(ravi.id, {"rounds.question": "Have you tried running a planning workshop with them?"})
    await demo.submit(ravi.id, {"rounds.question": "What have you tried so far, and what happened?"})

    demo.step("Ada answers both questions from the thread")
    for asker in (grace, ravi):
        question = demo.latest(channel, containing=f"Question from <@{asker.id}>", thread=True)
        await demo.click(ada.id, "questions.answer", question)
        answer = {
            grace.id: "People would change it without asking me, and argue about it in our weekly meeting.",
            ravi.id: "I presented it twice and asked for comments. Silence both times.",
        }[asker.id]
        await demo.submit(ada.id, {"rounds.answer_text": answer})

    demo.step("Fran moves the round on to exploratory questions; Mae asks one")
    await demo.click(fran.id, "rounds.explore", root)
    await demo.click(mae.id, "rounds.ask_button", root)
    await demo.submit(mae.id, {"rounds.question": "What do you lose if the plan stops being yours?"})
    question = demo.latest(channel, containing=f"Question from <@{mae.id}>", thread=True)
    await demo.click(ada.id, "questions.golden", question)
    await demo.click(ada.id, "questions.answer", question)
    await demo.submit(ada.id, {"rounds.answer_text": "Control. I think I'm afraid of a plan I can't defend."})

    demo.step("Ada closes the questions and reflects from the message the app sends her")
    await demo.click(ada.id, "rounds.close", root)
    dm = demo.ws.dm_messages(ada.id)[-1]
    await demo.click(ada.id, "rounds.reflect_button", dm)
    await demo.submit(
        ada.id,
        {
            "rounds.learned": "I hold on to the plan because I'm afraid of defending one I didn't write.",
            "rounds.differently": "The plan is the team's to change.",
        },
    )

    demo.step("Ada commits to an action before the next meeting (the due date is the meeting's)")
    await demo.command(ada.id, channel, "commit")
    await demo.submit(
        ada.id,
        {
            "commitments.action": "Ask two people in my team to co-write next quarter's plan with me",
            "commitments.done_looks_like": "A draft with their names on it",
        },
    )
    async with demo.running.deps.db.read() as uow:
        commitment = await uow.session.scalar(select(Commitment).where(Commitment.user_id == ada.id))
    assert commitment is not None
    london = ZoneInfo("Europe/London")
    due = commitment.due_date

    lead = due - timedelta(days=2)
    demo.step(f"Time passes: {lead:%A} {lead.day} {lead:%B}, 09:00 in London, two days before it is due")
    await demo.at(datetime.combine(lead, time(9), london))

    demo.step("The day before the meeting, 09:00 in the set's time zone: the set gets a review")
    await demo.at(datetime.combine(due - timedelta(days=1), time(9), london))

    demo.step("Ada presses Done on her reminder")
    reminder = [m for m in demo.ws.dm_messages(ada.id) if m.text.startswith("Coming up")][-1]
    await demo.click(ada.id, "commitments.done", reminder)

    friday = due + timedelta(days=(4 - due.weekday()) % 7)
    demo.step(f"{friday:%A} {friday.day} {friday:%B}, 15:00 in London: the weekly reflection prompt")
    await demo.at(datetime.combine(friday, time(15), london))
    prompt = demo.latest(channel, containing="Weekly reflection:", thread=False)

    demo.step("Grace reflects for the set to see; Mae keeps hers to herself")
    await demo.click(grace.id, "reflections.add_button", prompt)
    await demo.submit(
        grace.id,
        {
            "reflections.text": "I ask fewer questions when I'm tired, and jump to advice.",
            "reflections.visibility": "set",
        },
    )
    await demo.click(mae.id, "reflections.add_button", prompt)
    await demo.submit(mae.id, {"reflections.text": "Something only I should read.", "reflections.visibility": "me"})

    demo.step("Two days later, one gentle nudge to those who have not reflected (nobody is named in the channel)")
    await demo.at(datetime.combine(friday + timedelta(days=2), time(15), london))


async def run_demo(out: TextIO = sys.stdout) -> int:
    with tempfile.TemporaryDirectory(prefix="als-demo-") as tmp:
        standin = SlackStandin()
        await standin.start()
        transcript = Transcript(standin.workspace, out)
        standin.observers.append(transcript)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            slack_bot_token=SecretStr(standin.workspace.bot_token),
            slack_signing_secret=SecretStr(SECRET),
            slack_api_url=standin.api_url,
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}",
            log_level="WARNING",
            shutdown_timeout_seconds=5,
        )
        clock = FrozenClock(datetime.now(UTC))
        deps = Deps(settings=settings, db=Database.from_url(settings.database_url), clock=clock)
        running = await start(deps, host="127.0.0.1", port=0, with_scheduler=False)
        driver = SlackDriver(standin, f"http://127.0.0.1:{running.port}", SECRET)
        transcript.say("A scripted action learning set, played against a local stand-in for Slack.")
        try:
            await play(Demo(standin, driver, running, transcript, clock))
        finally:
            await driver.close()
            await running.stop()
            await standin.stop()
        failed = [c for c in standin.calls if not c.ok and c.method != "response_url"]
        transcript.say("")
        transcript.say(f"Done: {len(standin.calls)} Slack API calls, {len(failed)} refused by Slack.")
        return 0 if not failed else 1
