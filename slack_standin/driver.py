"""Plays the Slack side towards an app: slash commands, clicks, form submissions, type-ahead and
events, each signed with the signing secret exactly as Slack signs them.

By default a form is submitted the way Slack's own client would let a person submit it (required
fields filled, lengths within `max_length`); `as_client=False` sends whatever it is given, to play
a hostile or broken client.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from slack_standin.checks import check_view, options_response_problems
from slack_standin.server import SlackStandin
from slack_standin.workspace import Message, View


class ClientRefused(AssertionError):
    """Slack's client would not have sent this (a required field is empty, a value is too long)."""


@dataclass
class Reply:
    """The app's HTTP answer to one delivery."""

    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.text) if self.text else None
        except ValueError:
            return None

    @property
    def errors(self) -> dict[str, str]:
        body = self.json
        if isinstance(body, dict) and body.get("response_action") == "errors":
            return dict(body.get("errors") or {})
        return {}


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class SlackDriver:
    def __init__(self, standin: SlackStandin, app_url: str, signing_secret: str) -> None:
        self.standin = standin
        self.ws = standin.workspace
        self.app_url = app_url.rstrip("/")
        self.secret = signing_secret
        self._session: aiohttp.ClientSession | None = None
        self._event_ids = itertools.count(1)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _post(self, body: str, content_type: str, extra_headers: dict[str, str] | None = None) -> Reply:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Content-Type": content_type, **sign(self.secret, body), **(extra_headers or {})}
        async with self._session.post(f"{self.app_url}/slack/events", data=body.encode(), headers=headers) as resp:
            return Reply(resp.status, await resp.text(), dict(resp.headers))

    async def post_raw(self, body: bytes | str, headers: dict[str, str]) -> Reply:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        data = body.encode() if isinstance(body, str) else body
        async with self._session.post(f"{self.app_url}/slack/events", data=data, headers=headers) as resp:
            return Reply(resp.status, await resp.text(), dict(resp.headers))

    async def install(self, *, follow_consent: bool = True) -> Reply:
        """Install the app as a person does with a browser: open the app's install page, follow its
        "Add to Slack" link to Slack's consent screen (always allowed), and come back to the app's
        redirect URL with the code and the `state` cookie the install page set (a `Secure` cookie,
        which browsers send to http://127.0.0.1 as they do to https sites, and aiohttp would not)."""
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as browser:
            async with browser.get(f"{self.app_url}/slack/install", allow_redirects=False) as page:
                html = await page.text()
                if page.status != 200:
                    return Reply(page.status, html, dict(page.headers))
                cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in page.cookies.items())
            link = re.search(r'href="([^"]*/oauth/v2/authorize[^"]*)"', html)
            if link is None:
                raise AssertionError("the install page has no Add to Slack link")
            consent_url = link.group(1).replace("&amp;", "&")
            async with browser.get(consent_url, allow_redirects=False) as consent:
                if consent.status != 302 or not follow_consent:
                    return Reply(consent.status, await consent.text(), dict(consent.headers))
                back = consent.headers["Location"]
            async with browser.get(back, allow_redirects=False, headers={"Cookie": cookies}) as landing:
                return Reply(landing.status, await landing.text(), dict(landing.headers))

    def _user(self, user_id: str) -> dict[str, Any]:
        user = self.ws.users[user_id]
        return {
            "id": user.id,
            "username": user.name.lower(),
            "name": user.name.lower(),
            "team_id": self.ws.team_id,
        }

    def _team(self) -> dict[str, Any]:
        return {"id": self.ws.team_id, "domain": self.ws.team_domain}

    # ---- slash commands ---------------------------------------------------------------------

    def command_payload(self, user_id: str, channel_id: str, text: str, command: str = "/als") -> dict[str, str]:
        channel = self.ws.channels.get(channel_id)
        return {
            "token": "standin-verification-token",
            "team_id": self.ws.team_id,
            "team_domain": self.ws.team_domain,
            "channel_id": channel_id,
            "channel_name": channel.name if channel and not channel.is_im else "directmessage",
            "user_id": user_id,
            "user_name": self.ws.users[user_id].name.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.ws.app_id,
            "is_enterprise_install": "false",
            "response_url": self.standin.new_response_url(channel_id, user_id),
            "trigger_id": self.standin.issue_trigger(user_id),
        }

    async def command(self, user_id: str, channel_id: str, text: str = "", command: str = "/als") -> Reply:
        payload = self.command_payload(user_id, channel_id, text, command)
        return await self._post(urlencode(payload), "application/x-www-form-urlencoded")

    # ---- modals -----------------------------------------------------------------------------

    def open_view(self, user_id: str) -> View:
        views = self.standin.open_views(user_id)
        if not views:
            raise AssertionError(f"{user_id} has no modal open")
        return views[-1]

    def state_of(self, view: View, values: dict[str, Any] | None = None, *, as_client: bool = True) -> dict[str, Any]:
        """The `view.state.values` Slack would send: initial values, then `values` by block_id."""
        values = dict(values or {})
        state: dict[str, Any] = {}
        for block in view.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element, block_id = block["element"], block.get("block_id", "")
            action_id, kind = element.get("action_id", ""), element["type"]
            entry = self._entry(element, values.pop(block_id)) if block_id in values else self._initial(element)
            state[block_id] = {action_id: {"type": kind, **entry}}
            if as_client:
                self._client_rules(block, element, entry)
        if values:
            if as_client:
                raise AssertionError(f"the modal has no input blocks {sorted(values)}")
            for block_id, value in values.items():
                state[block_id] = value
        return state

    @staticmethod
    def _initial(element: dict[str, Any]) -> dict[str, Any]:
        kind = element["type"]
        if kind in {"plain_text_input", "number_input", "email_text_input", "url_text_input"}:
            return {"value": element.get("initial_value")}
        if kind == "datepicker":
            return {"selected_date": element.get("initial_date")}
        if kind == "timepicker":
            return {"selected_time": element.get("initial_time")}
        if kind in {"checkboxes", "multi_static_select", "multi_external_select"}:
            return {"selected_options": list(element.get("initial_options") or [])}
        return {"selected_option": element.get("initial_option")}

    @staticmethod
    def _entry(element: dict[str, Any], value: Any) -> dict[str, Any]:
        kind = element["type"]
        if kind in {"plain_text_input", "number_input", "email_text_input", "url_text_input"}:
            return {"value": value}
        if kind == "datepicker":
            return {"selected_date": value}
        if kind == "timepicker":
            return {"selected_time": value}
        options = {o["value"]: o for o in element.get("options") or []}
        for group in element.get("option_groups") or []:
            options.update({o["value"]: o for o in group.get("options") or []})

        def option(v: str) -> dict[str, Any]:
            return options.get(v) or {"text": {"type": "plain_text", "text": v}, "value": v}

        if kind in {"checkboxes", "multi_static_select", "multi_external_select"}:
            return {"selected_options": [option(v) for v in (value or [])]}
        return {"selected_option": option(value) if value is not None else None}

    @staticmethod
    def _client_rules(block: dict[str, Any], element: dict[str, Any], entry: dict[str, Any]) -> None:
        label = block.get("label", {}).get("text", block.get("block_id"))
        filled = [v for v in entry.values() if v not in (None, "", [])]
        if not block.get("optional") and not filled:
            raise ClientRefused(f"Slack would not submit: '{label}' is required")
        value = entry.get("value")
        if isinstance(value, str):
            if element.get("max_length") and len(value) > element["max_length"]:
                raise ClientRefused(f"Slack would not submit: '{label}' is over {element['max_length']} characters")
            if element.get("min_length") and value and len(value) < element["min_length"]:
                raise ClientRefused(f"Slack would not submit: '{label}' is under {element['min_length']} characters")
        if element.get("type") in {"static_select", "radio_buttons"} and entry.get("selected_option"):
            allowed = {o["value"] for o in element.get("options") or []}
            for group in element.get("option_groups") or []:
                allowed |= {o["value"] for o in group.get("options") or []}
            if entry["selected_option"]["value"] not in allowed:
                raise ClientRefused(f"Slack would not offer that option in '{label}'")

    async def submit(
        self,
        user_id: str,
        values: dict[str, Any] | None = None,
        *,
        view: View | None = None,
        as_client: bool = True,
    ) -> Reply:
        """Submit the user's open modal (or `view`) and apply the app's answer as Slack would."""
        if view is None:
            # A person submits a modal once it is on their screen: the app may open it just after
            # it acknowledged the click or command that asked for it.
            with contextlib.suppress(TimeoutError):
                await self.standin.wait_until(lambda: self.standin.open_views(user_id), timeout=5.0)
            view = self.open_view(user_id)
        state = self.state_of(view, values, as_client=as_client)
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.ws.app_id,
            "token": "standin-verification-token",
            "trigger_id": self.standin.issue_trigger(user_id),
            "view": {**self.standin.view_payload(view)["view"], "state": {"values": state}},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        reply = await self._post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        self._apply_view_answer(user_id, view, reply)
        await self.standin.notify()
        return reply

    def _apply_view_answer(self, user_id: str, view: View, reply: Reply) -> None:
        if reply.status != 200:
            return
        body = reply.json
        action = body.get("response_action") if isinstance(body, dict) else None
        if action is None:
            view.closed = True
        elif action == "errors":
            input_blocks = {b.get("block_id") for b in view.view.get("blocks", []) if b.get("type") == "input"}
            unknown = set(body.get("errors") or {}) - input_blocks
            if unknown:
                raise AssertionError(f"Slack ignores errors for blocks that are not inputs: {sorted(unknown)}")
        elif action in {"update", "push"}:
            problems = check_view(body.get("view"))
            if problems:
                raise AssertionError(f"Slack would refuse this {action}: {problems}")
            if action == "update":
                view.view = body["view"]
                view.hash = f"{view.hash}u"
            else:
                self.standin._new_view(user_id, body["view"], trigger_id=None, previous=view.id)
        elif action == "clear":
            for open_view in self.standin.open_views(user_id):
                open_view.closed = True
        else:
            raise AssertionError(f"unknown response_action {action!r}")

    async def close_view(self, user_id: str, view: View | None = None) -> None:
        """The person presses Cancel (the app is told nothing unless it asked with notify_on_close)."""
        (view or self.open_view(user_id)).closed = True

    async def suggest(self, user_id: str, block_id: str, query: str, *, view: View | None = None) -> Reply:
        view = view or self.open_view(user_id)
        element = next(b["element"] for b in view.view["blocks"] if b.get("block_id") == block_id)
        payload = {
            "type": "block_suggestion",
            "user": self._user(user_id),
            "container": {"type": "view", "view_id": view.id},
            "api_app_id": self.ws.app_id,
            "token": "standin-verification-token",
            "action_id": element["action_id"],
            "block_id": block_id,
            "value": query,
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "view": self.standin.view_payload(view)["view"],
        }
        reply = await self._post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        if reply.status == 200:
            problems = options_response_problems(reply.json)
            if problems:
                raise AssertionError(f"Slack would refuse these options: {problems}")
        return reply

    # ---- buttons ----------------------------------------------------------------------------

    @staticmethod
    def find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]]:
        for block in blocks:
            candidates = list(block.get("elements") or [])
            if block.get("accessory"):
                candidates.append(block["accessory"])
            for element in candidates:
                if isinstance(element, dict) and element.get("action_id") == action_id:
                    return str(block.get("block_id") or ""), element
        raise AssertionError(f"no element with action_id {action_id!r}")

    async def click(
        self,
        user_id: str,
        action_id: str,
        *,
        message: Message | None = None,
        view: View | None = None,
        home: bool = False,
        ephemeral: tuple[str, list[dict[str, Any]]] | None = None,
    ) -> Reply:
        """Press a button on a message, on a modal, on the user's App Home, or on an ephemeral
        message (given as its channel and blocks: Slack never stores those)."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.ws.app_id,
            "token": "standin-verification-token",
            "trigger_id": self.standin.issue_trigger(user_id),
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "state": {"values": {}},
        }
        if message is not None:
            block_id, element = self.find_element(message.blocks, action_id)
            channel = self.ws.channels[message.channel]
            payload["container"] = {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": channel.id,
                "is_ephemeral": False,
                **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
            }
            payload["channel"] = {"id": channel.id, "name": channel.name}
            payload["message"] = message.to_api(include_metadata=True)
            payload["response_url"] = self.standin.new_response_url(channel.id, user_id)
        elif ephemeral is not None:
            channel_id, blocks = ephemeral
            block_id, element = self.find_element(blocks, action_id)
            payload["container"] = {
                "type": "message",
                "message_ts": self.ws.next_ts(),
                "channel_id": channel_id,
                "is_ephemeral": True,
            }
            payload["channel"] = {"id": channel_id, "name": self.ws.channels[channel_id].name}
            payload["response_url"] = self.standin.new_response_url(channel_id, user_id)
        elif view is not None or home:
            if home:
                blocks = self.standin.homes[user_id]["blocks"]
                view_body = {**self.standin.homes[user_id], "id": f"VH{user_id}"}
            else:
                assert view is not None
                blocks = view.view["blocks"]
                view_body = {
                    **self.standin.view_payload(view)["view"],
                    "state": {"values": self.state_of(view, as_client=False)},
                }
            block_id, element = self.find_element(blocks, action_id)
            payload["container"] = {"type": "view", "view_id": view_body["id"]}
            payload["view"] = view_body
        else:
            raise AssertionError("click needs a message, a view or home=True")
        payload["actions"] = [
            {
                "action_id": action_id,
                "block_id": block_id,
                "type": element.get("type", "button"),
                "value": element.get("value"),
                "text": element.get("text"),
                "action_ts": f"{time.time():.6f}",
            }
        ]
        return await self._post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    # ---- events -----------------------------------------------------------------------------

    def event_payload(self, event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
        return {
            "token": "standin-verification-token",
            "team_id": self.ws.team_id,
            "api_app_id": self.ws.app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._event_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.ws.team_id,
                    "user_id": self.ws.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None) -> Reply:
        body = json.dumps(self.event_payload(event, event_id=event_id))
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return await self._post(body, "application/json", headers)

    async def join(self, user_id: str, channel_id: str) -> Reply:
        """The person joins the channel in Slack, and Slack tells the app."""
        channel = self.ws.channels[channel_id]
        if user_id not in channel.members:
            channel.members.append(user_id)
        return await self.event(
            {
                "type": "member_joined_channel",
                "user": user_id,
                "channel": channel_id,
                "channel_type": "G" if channel.is_private else "C",
                "team": self.ws.team_id,
            }
        )

    async def leave(self, user_id: str, channel_id: str) -> Reply:
        channel = self.ws.channels[channel_id]
        if user_id in channel.members:
            channel.members.remove(user_id)
        return await self.event(
            {
                "type": "member_left_channel",
                "user": user_id,
                "channel": channel_id,
                "channel_type": "G" if channel.is_private else "C",
                "team": self.ws.team_id,
            }
        )
