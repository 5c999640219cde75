"""Members' weekly reflections: who may write one, and where each kind of reflection goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.permissions import Action
from bot.domain.reflection import Visibility
from bot.services.errors import Refused
from bot.services.rounds import require_member
from storage.models import LearningSet, Reflection, ReflectionPrompt
from storage.unit_of_work import UnitOfWork

PROMPT_GONE = "That reflection prompt no longer exists."


@dataclass(frozen=True)
class SavedReflection:
    reflection_id: int
    channel_id: str
    thread_ts: str | None  # the prompt's message, when Slack has it
    facilitator_id: str
    set_name: str
    prompt_text: str | None


async def load_prompt(
    uow: UnitOfWork, *, team_id: str, prompt_id: int, user_id: str
) -> tuple[ReflectionPrompt, LearningSet]:
    found = await uow.reflections.get_prompt(team_id, prompt_id)
    if found is None or found[1].archived_at is not None:
        raise Refused(PROMPT_GONE)
    await require_member(uow, found[1], user_id, Action.REFLECT)
    return found


async def record_reflection(
    uow: UnitOfWork,
    *,
    team_id: str,
    prompt_id: int,
    user_id: str,
    text: str,
    visibility: Visibility,
    now: datetime,
) -> SavedReflection:
    prompt, learning_set = await load_prompt(uow, team_id=team_id, prompt_id=prompt_id, user_id=user_id)
    reflection = await uow.reflections.add(
        Reflection(
            set_id=learning_set.id,
            prompt_id=prompt.id,
            user_id=user_id,
            text=text,
            visibility=visibility.value,
            message_channel=None,
            message_ts=None,
            created_at=now,
        )
    )
    sent = await uow.outbox.get_by_key(prompt.outbox_key)
    thread_ts = sent.sent_ts if sent is not None and sent.sent_channel == learning_set.channel_id else None
    return SavedReflection(
        reflection_id=reflection.id,
        channel_id=learning_set.channel_id,
        thread_ts=thread_ts,
        facilitator_id=learning_set.facilitator_user_id,
        set_name=learning_set.name,
        prompt_text=prompt.text,
    )
