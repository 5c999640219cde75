"""The pretend workspace: people, channels, messages and views, as Slack would hold them."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    id: str
    name: str
    tz: str | None = "Europe/London"
    is_bot: bool = False
    deleted: bool = False
    is_app_user: bool = False

    def to_api(self, team_id: str) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.id,
            "team_id": team_id,
            "name": self.name.lower().replace(" ", "."),
            "real_name": self.name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_app_user": self.is_app_user,
            "profile": {"real_name": self.name, "display_name": self.name.split(" ")[0]},
        }
        if self.tz is not None:
            user.update({"tz": self.tz, "tz_label": self.tz, "tz_offset": 0})
        return user


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    edited: bool = False
    deleted: bool = False

    def to_api(self, *, include_metadata: bool = False) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "ts": self.ts,
            "text": self.text,
            "user": self.user,
            "blocks": self.blocks,
        }
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        if include_metadata and self.metadata:
            message["metadata"] = self.metadata
        return message


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = True
    is_im: bool = False
    is_archived: bool = False
    members: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    def to_api(self, viewer: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private and not self.is_im,
            "is_group": self.is_private and not self.is_im,
            "is_im": self.is_im,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_member": viewer in self.members,
            "num_members": len(self.members),
        }

    def find(self, ts: str) -> Message | None:
        return next((m for m in self.messages if m.ts == ts and not m.deleted), None)


@dataclass
class View:
    id: str
    user: str
    view: dict[str, Any]
    hash: str
    trigger_id: str | None = None
    previous_view_id: str | None = None
    closed: bool = False


class Workspace:
    """One team with its bot user, people and channels. Ids are made up but Slack-shaped."""

    def __init__(self, *, team_id: str = "T0ALS0001", team_domain: str = "als-demo") -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = "U0BOT0001"
        self.bot_id = "B0BOT0001"
        self.app_id = "A0ALS0001"
        self.bot_token = "xoxb-standin-bot-token"
        self.bot_token_expires_at: float | None = None  # on Slack's clock, when token rotation is on
        self.bot_scopes = ""
        self.app_token = "xapp-standin-app-token"
        self.users: dict[str, User] = {self.bot_user_id: User(self.bot_user_id, "ALS", tz=None, is_bot=True)}
        self.channels: dict[str, Channel] = {}
        self.views: dict[str, View] = {}
        self._ims: dict[str, Channel] = {}  # user id -> their DM with the bot (a scan was O(channels))
        self._ids = itertools.count(1)
        self.clock: Callable[[], float] = time.time  # Slack's own time, for message timestamps
        self._last_ts = 0.0

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def next_ts(self) -> str:
        # Strictly increasing, shaped like Slack's "seconds.micros" timestamps.
        self._last_ts = max(self._last_ts + 0.000001, self.clock())
        return f"{self._last_ts:.6f}"

    def add_user(
        self,
        name: str,
        *,
        tz: str | None = "Europe/London",
        user_id: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> User:
        user = User(user_id or self.next_id("U"), name, tz=tz, is_bot=is_bot, deleted=deleted)
        self.users[user.id] = user
        return user

    def add_channel(
        self,
        name: str,
        *,
        members: list[str],
        private: bool = True,
        with_bot: bool = True,
        channel_id: str | None = None,
    ) -> Channel:
        channel = Channel(channel_id or self.next_id("G" if private else "C"), name, is_private=private)
        channel.members = list(dict.fromkeys([*members, *([self.bot_user_id] if with_bot else [])]))
        self.channels[channel.id] = channel
        return channel

    def im_with(self, user_id: str) -> Channel:
        channel = self._ims.get(user_id)
        if channel is None or self.channels.get(channel.id) is not channel:
            channel = Channel(
                self.next_id("D"), user_id, is_private=True, is_im=True, members=[user_id, self.bot_user_id]
            )
            self.channels[channel.id] = channel
            self._ims[user_id] = channel
        return channel

    def messages_in(self, channel_id: str, *, thread_ts: str | None = None, top_level: bool = False) -> list[Message]:
        channel = self.channels.get(channel_id)
        if channel is None:
            return []
        messages = [m for m in channel.messages if not m.deleted]
        if thread_ts is not None:
            return [m for m in messages if m.thread_ts == thread_ts]
        if top_level:
            return [m for m in messages if m.thread_ts is None]
        return messages

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages_in(self.im_with(user_id).id)
