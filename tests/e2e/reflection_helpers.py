"""Steps the reflection tests share."""

from __future__ import annotations

from slack_standin.workspace import Message
from tests.e2e.harness import Harness


def prompts_in(h: Harness, channel_id: str) -> list[Message]:
    return [m for m in h.ws.messages_in(channel_id, top_level=True) if m.text.startswith("Weekly reflection:")]


async def reflect(h: Harness, user_id: str, prompt: Message, text: str, visibility: str) -> None:
    before = len(h.standin.calls_to("views.open"))
    await h.driver.click(user_id, "reflections.add_button", message=prompt)
    await h.standin.wait_for_call("views.open", before + 1)
    reply = await h.driver.submit(user_id, {"reflections.text": text, "reflections.visibility": visibility})
    assert reply.json is None, reply.text
    await h.idle()
