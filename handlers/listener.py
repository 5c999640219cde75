"""The wrapper every listener goes through: dependencies in, failures reported, work tracked.

Bolt keeps running a listener after `ack()`, and if it raises there, Bolt 1.30 can drop the
acknowledgement. So nothing escapes from here: the person sees a plain sentence, the log gets
the kind of failure (never what anyone wrote), and shutdown waits for the work to end.
"""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from handlers.blocks.common import build_notice_modal

log = logging.getLogger("als.handlers")

SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side while doing that. Please try again in a minute; "
    "if it keeps happening, tell whoever looks after this app in your workspace."
)

Listener = Callable[..., Awaitable[None]]
INJECTABLE = frozenset({"ack", "body", "client", "respond", "context", "deps"})


def listener(func: Listener) -> Callable[..., Awaitable[None]]:
    """Adapt `func` (which asks for any of INJECTABLE by name) into a Bolt listener."""
    wanted = list(inspect.signature(func).parameters)
    unknown = set(wanted) - INJECTABLE
    if unknown:
        raise TypeError(f"{func.__name__} asks for {sorted(unknown)}; listeners may ask for {sorted(INJECTABLE)}")

    async def run(
        ack: AsyncAck,
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        deps: Deps = context["deps"]
        deps.inflight.track_current()
        available = {
            "ack": ack,
            "body": body,
            "client": client,
            "respond": respond,
            "context": context,
            "deps": deps,
        }
        try:
            await func(**{name: available[name] for name in wanted})
        except Exception as exc:
            _log_failure(func.__name__, body, exc)
            await _report_failure(ack, body, client, respond)

    run.__name__ = func.__name__
    run.__qualname__ = func.__qualname__
    return run


def _log_failure(name: str, body: dict[str, Any], exc: Exception) -> None:
    """Log where it failed and the kind of failure, but not the exception's message, which can
    quote what someone typed."""
    kind = body.get("type") or ("slash_command" if "command" in body else "unknown")
    if isinstance(exc, SlackApiError):
        log.error("listener %s failed on a %s request: Slack said %s", name, kind, exc.response.get("error"))
        return
    where = "".join(traceback.format_tb(exc.__traceback__))
    log.error("listener %s failed on a %s request: %s\n%s", name, kind, type(exc).__name__, where.rstrip())


async def _report_failure(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
    try:
        if ack.response is None:
            if body.get("type") == "view_submission":
                await ack(response_action="update", view=failure_modal())
                return
            if "command" in body:
                await ack(text=SOMETHING_WENT_WRONG, response_type="ephemeral")
                return
            await ack()
        if body.get("response_url"):
            await respond(text=SOMETHING_WENT_WRONG, response_type="ephemeral", replace_original=False)
            return
        user_id = (body.get("user") or {}).get("id") or body.get("user_id")
        if user_id:
            await client.chat_postMessage(channel=user_id, text=SOMETHING_WENT_WRONG)
    except Exception as exc:  # the report itself failed: nothing more can be done for this person
        log.warning("could not tell the user about a failure: %s", type(exc).__name__)


def failure_modal() -> dict[str, Any]:
    return build_notice_modal(title="Something went wrong", text=SOMETHING_WENT_WRONG).to_dict()
