"""Telling the person who clicked or typed something, where only they see it."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient


async def tell(*, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, text: str) -> None:
    """An ephemeral reply to the actor: through the response URL when Slack gave one (commands and
    message buttons), in the channel of the container otherwise, or else in the app's DM."""
    if body.get("response_url"):
        await respond(text=text, response_type="ephemeral", replace_original=False)
        return
    user = body.get("user")
    user_id = str((user.get("id") if isinstance(user, dict) else None) or body.get("user_id") or "")
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    channel_id = (container or {}).get("channel_id") or (body.get("channel") or {}).get("id")
    if channel_id and not str(channel_id).startswith("D"):
        await client.chat_postEphemeral(channel=str(channel_id), user=user_id, text=text)
    elif user_id:
        await client.chat_postMessage(channel=user_id, text=text)
