"""People and channel membership, read from Slack and cached in the database for a day."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.people import Person
from bot.services.sets import known_person, record_members, remember_people
from storage.database import Database

# users.info is Tier 4 (100+ per minute); a handful at a time keeps a big channel quick and polite.
CONCURRENT_LOOKUPS = 8
MEMBERS_PAGE = 200


def person_from_user(user: dict[str, Any]) -> Person:
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
    tz = user.get("tz")
    return Person(
        user_id=str(user.get("id", "")),
        display_name=str(name or ""),
        tz=tz if isinstance(tz, str) and tz else None,
        is_bot=bool(user.get("is_bot")) or bool(user.get("is_app_user")),
        is_deleted=bool(user.get("deleted")),
    )


async def fetch_person(client: AsyncWebClient, user_id: str) -> Person:
    response = await client.users_info(user=user_id)
    return person_from_user(response["user"])


async def get_person(client: AsyncWebClient, db: Database, *, team_id: str, user_id: str, now: datetime) -> Person:
    """The person from the day-old cache, or fresh from Slack (and then cached)."""
    async with db.read() as uow:
        person = await known_person(uow, team_id=team_id, user_id=user_id, now=now)
    if person is not None:
        return person
    person = await fetch_person(client, user_id)
    async with db.write() as uow:
        await remember_people(uow, team_id=team_id, people=[person], now=now)
    return person


async def fetch_channel_member_ids(client: AsyncWebClient, channel_id: str) -> list[str]:
    member_ids: list[str] = []
    cursor: str | None = None
    while True:
        response = await client.conversations_members(channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor)
        member_ids.extend(str(m) for m in response.get("members") or [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return member_ids


async def fetch_channel_people(
    client: AsyncWebClient, db: Database, *, team_id: str, channel_id: str, now: datetime
) -> list[Person]:
    """Everyone in the channel, with what Slack says about each (bots and deactivated included)."""
    member_ids = await fetch_channel_member_ids(client, channel_id)
    limit = asyncio.Semaphore(CONCURRENT_LOOKUPS)

    async def one(user_id: str) -> Person:
        async with limit:
            return await get_person(client, db, team_id=team_id, user_id=user_id, now=now)

    return list(await asyncio.gather(*(one(user_id) for user_id in member_ids)))


async def sync_set_members(
    client: AsyncWebClient, db: Database, *, team_id: str, set_id: int, channel_id: str, now: datetime
) -> list[Person]:
    """Make the set's members the channel's humans as Slack lists them now; returns those humans."""
    people = await fetch_channel_people(client, db, team_id=team_id, channel_id=channel_id, now=now)
    async with db.write() as uow:
        await record_members(uow, set_id=set_id, people=people, now=now)
    return [p for p in people if p.is_human]
