"""The stand-in's HTTP side: Slack's Web API at /api/<method>, response URLs, and Socket Mode."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from slack_standin.checks import check_message, check_view
from slack_standin.files import SharedFile, Upload, UploadRefused, promised_upload, receive, requested_files
from slack_standin.oauth import OAuthApp, OAuthError, client_credentials
from slack_standin.rate_limits import RateLimits
from slack_standin.workspace import Channel, Message, View, Workspace

TRIGGER_LIFETIME_SECONDS = 3.0


@dataclass
class Call:
    """One Web API call as the stand-in received it."""

    method: str
    args: dict[str, Any]
    token: str | None
    ok: bool
    error: str | None
    at: float
    status: int = 200
    peer: str = ""  # the caller's address and port: calls over one kept-open connection share it


@dataclass
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    after_handling: bool = False  # the call takes effect (a message is posted), and then it fails


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]]
    via: str  # "chat.postEphemeral" or "response_url"


@dataclass
class ResponseUrl:
    channel: str
    user: str
    posts: list[dict[str, Any]] = field(default_factory=list)


class ApiError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


Handler = Callable[[dict[str, Any], str | None], dict[str, Any]]


class SlackStandin:
    """Start with `await standin.start()`; point the app's SLACK_API_URL at `standin.api_url`."""

    def __init__(self, workspace: Workspace | None = None) -> None:
        self.workspace = workspace or Workspace()
        self.calls: list[Call] = []
        self.ephemerals: list[Ephemeral] = []
        self.response_urls: dict[str, ResponseUrl] = {}
        self.triggers: dict[str, tuple[str, float, bool]] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, Upload] = {}
        self.files: list[SharedFile] = []
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.port = 0
        self.trigger_lifetime = TRIGGER_LIFETIME_SECONDS
        self.observers: list[Callable[[str, Any], None]] = []
        self.rate_limits: RateLimits | None = None  # set one to have Slack's limits enforced
        self.oauth: OAuthApp | None = None  # set one to have the app installed through OAuth
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update_message,
            "chat.delete": self._delete_message,
            "chat.getPermalink": self._permalink,
            "conversations.info": self._conversation_info,
            "conversations.members": self._conversation_members,
            "conversations.open": self._conversation_open,
            "conversations.history": self._conversation_history,
            "conversations.replies": self._conversation_replies,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "users.info": self._user_info,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }

    # ---- life cycle -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.host = host

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # ---- what tests ask -------------------------------------------------------------------

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    async def wait_until(self, condition: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until `condition()` is truthy (the app keeps working after it acknowledges)."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                result = condition()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout} s")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue

    async def wait_for_call(
        self, method: str, count: int = 1, *, ok: bool | None = True, timeout: float = 5.0
    ) -> list[Call]:
        def enough() -> list[Call] | None:
            calls = self.calls_to(method, ok=ok)
            return calls if len(calls) >= count else None

        result: list[Call] = await self.wait_until(enough, timeout)
        return result

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        after_handling: bool = False,
    ) -> None:
        """Answer the next `times` calls to `method` with an error, a 429 or a 5xx; with
        `after_handling`, once the call has taken effect (as when Slack posts a message and then
        fails to say so)."""
        for _ in range(times):
            self._faults[method].append(
                Fault(status=status, error=error, retry_after=retry_after, after_handling=after_handling)
            )

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next `times` calls to `method` take `seconds` to answer."""
        self._delays[method].extend([seconds] * times)

    def issue_trigger(self, user_id: str) -> str:
        trigger_id = f"{next(self._ids)}.{int(time.time())}.standin"
        self.triggers[trigger_id] = (user_id, time.monotonic(), False)
        return trigger_id

    def new_response_url(self, channel: str, user: str) -> str:
        key = f"R{next(self._ids):06d}"
        self.response_urls[key] = ResponseUrl(channel=channel, user=user)
        return f"{self.base_url}/response/{key}"

    def files_in(self, channel_id: str) -> list[SharedFile]:
        return [f for f in self.files if f.channel == channel_id]

    def ephemerals_for(self, user: str) -> list[Ephemeral]:
        return [e for e in self.ephemerals if e.user == user]

    def open_views(self, user: str) -> list[View]:
        return [
            v
            for v in self.workspace.views.values()
            if v.user == user and not v.closed and v.view.get("type") == "modal"
        ]

    def _add_ephemeral(self, ephemeral: Ephemeral) -> None:
        self.ephemerals.append(ephemeral)
        self._seen("ephemeral", ephemeral)

    def _seen(self, kind: str, item: Any) -> None:
        """Tell observers (the demo's printer) what a person in Slack would now see."""
        for observer in self.observers:
            observer(kind, item)

    async def notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- HTTP entry points ----------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self._delays[method]:
            await asyncio.sleep(self._delays[method].popleft())
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    payload = await request.json()
                except ValueError:
                    return web.json_response({"ok": False, "error": "invalid_json"})
                if isinstance(payload, dict):
                    args.update(payload)
            else:
                args.update(dict(await request.post()))
        for key in ("blocks", "view", "metadata", "attachments"):
            if isinstance(args.get(key), str) and args[key][:1] in "[{":
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        auth = request.headers.get("Authorization", "")
        if method == "oauth.v2.access":
            client_credentials(auth, args)
            auth = ""
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else args.pop("token", None)
        status, body, headers = self._answer(method, args, token)
        peer = request.transport.get_extra_info("peername") if request.transport is not None else None
        self.calls.append(
            Call(
                method,
                args,
                token,
                bool(body.get("ok")),
                body.get("error"),
                time.time(),
                status,
                peer=f"{peer[0]}:{peer[1]}" if peer else "",
            )
        )
        await self.notify()
        return web.json_response(body, status=status, headers=headers)

    def _answer(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if self._faults[method]:
            fault = self._faults[method].popleft()
            if fault.after_handling:
                self._handle(method, args, token)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            error = fault.error or ("ratelimited" if fault.status == 429 else "internal_error")
            return fault.status, {"ok": False, "error": error}, headers
        return self._handle(method, args, token)

    def _handle(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if self.rate_limits is not None:
            retry_after = self.rate_limits.refuse(method, self._channel_key(args), time.monotonic())
            if retry_after is not None:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        if method == "oauth.v2.access":  # authenticated by the client's credentials, not a token
            return self._oauth_access(args)
        handler = self._handlers.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if token is None:
            return 200, {"ok": False, "error": "not_authed"}, {}
        expected = self.workspace.app_token if method == "apps.connections.open" else self.workspace.bot_token
        if token != expected:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        expires_at = self.workspace.bot_token_expires_at
        if expected == self.workspace.bot_token and expires_at is not None and self.workspace.clock() >= expires_at:
            return 200, {"ok": False, "error": "token_expired"}, {}
        try:
            return 200, {"ok": True, **handler(args, token)}, {}
        except ApiError as exc:
            return 200, {"ok": False, "error": exc.error, **exc.extra}, {}

    def _channel_key(self, args: dict[str, Any]) -> str | None:
        """The conversation a call is about (a user id means the DM with them)."""
        channel = args.get("channel")
        if not isinstance(channel, str):
            return None
        return self.workspace.im_with(channel).id if channel in self.workspace.users else channel

    def _oauth_access(self, args: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        if self.oauth is None:
            return 200, {"ok": False, "error": "invalid_client_id"}, {}
        try:
            return 200, {"ok": True, **self.oauth.access(args, self.workspace)}, {}
        except OAuthError as exc:
            return 200, {"ok": False, "error": exc.error}, {}

    async def _authorize(self, request: web.Request) -> web.Response:
        """Slack's consent screen, where the person installing always clicks Allow."""
        if self.oauth is None:
            return web.Response(status=404, text="no OAuth app is configured")
        try:
            location = self.oauth.authorize(dict(request.query), self.workspace)
        except OAuthError as exc:
            return web.Response(status=400, text=exc.error)
        raise web.HTTPFound(location)

    async def _response_url(self, request: web.Request) -> web.Response:
        target = self.response_urls.get(request.match_info["key"])
        if target is None:
            return web.Response(status=404, text="no_such_url")
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        error, problems = check_message(body)
        if error:
            return web.Response(status=400, text=f"{error}: {'; '.join(problems)}")
        target.posts.append(body)
        if body.get("response_type") == "in_channel":
            self._store_message(target.channel, body, user=self.workspace.bot_user_id)
        else:
            self._add_ephemeral(
                Ephemeral(
                    target.channel,
                    target.user,
                    str(body.get("text") or ""),
                    list(body.get("blocks") or []),
                    "response_url",
                )
            )
        self.calls.append(Call("response_url", body, None, True, None, time.time()))
        await self.notify()
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal gave out: raw bytes or a multipart form."""
        file_id = request.match_info["file_id"]
        if self._faults["upload"]:
            fault = self._faults["upload"].popleft()
            status, body = fault.status, fault.error or "upload_failed"
        else:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                parts = [v for v in form.values() if isinstance(v, web.FileField)]
                data = parts[0].file.read() if parts else b""
            else:
                data = await request.read()
            status, body = receive(self.uploads.get(file_id), data)
        self.calls.append(Call("upload", {"file_id": file_id}, None, status == 200, None, time.time(), status))
        await self.notify()
        return web.Response(status=status, text=body)

    # ---- Socket Mode ------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "connection_info": {"app_id": self.workspace.app_id},
            }
        )
        await self.notify()
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(message.data)
                except ValueError:
                    continue
                future = self._socket_acks.pop(str(data.get("envelope_id")), None)
                if future is not None and not future.done():
                    future.set_result(data)
        finally:
            self._sockets.remove(ws)
        return ws

    async def socket_deliver(self, kind: str, payload: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send an envelope to the connected app and return its acknowledgement."""
        await self.wait_until(lambda: self._sockets, timeout)
        envelope_id = f"env-{next(self._ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._socket_acks[envelope_id] = future
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return await asyncio.wait_for(future, timeout)

    # ---- methods ----------------------------------------------------------------------------

    def _auth_test(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        ws = self.workspace
        return {
            "url": f"https://{ws.team_domain}.slack.com/",
            "team": "ALS Demo",
            "user": "als",
            "team_id": ws.team_id,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    def _connections_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"url": f"ws://{self.host}:{self.port}/socket?ticket=standin"}

    def _channel_for_bot(self, channel_id: Any) -> Channel:
        ws = self.workspace
        if isinstance(channel_id, str) and channel_id in ws.users:
            return ws.im_with(channel_id)
        channel = ws.channels.get(str(channel_id or ""))
        if channel is None or (channel.is_private and ws.bot_user_id not in channel.members):
            raise ApiError("channel_not_found")
        return channel

    def _writable(self, channel_id: Any) -> Channel:
        channel = self._channel_for_bot(channel_id)
        if channel.is_archived:
            raise ApiError("is_archived")
        if not channel.is_im and self.workspace.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        if channel.is_im:
            user = self.workspace.users[channel.members[0]]
            if user.deleted:
                raise ApiError("account_inactive")
            if user.is_bot:
                raise ApiError("cannot_dm_bot")
        return channel

    def _check_message(self, args: dict[str, Any]) -> None:
        error, problems = check_message(args)
        if error:
            raise ApiError(error, response_metadata={"messages": problems})

    def _store_message(self, channel_id: str, args: dict[str, Any], *, user: str) -> Message:
        message = Message(
            channel=channel_id,
            ts=self.workspace.next_ts(),
            text=str(args.get("text") or ""),
            blocks=list(args.get("blocks") or []),
            user=user,
            thread_ts=args.get("thread_ts") or None,
            metadata=args.get("metadata"),
        )
        self.workspace.channels[channel_id].messages.append(message)
        self._seen("message", message)
        return message

    def _post_message(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._writable(args.get("channel"))
        self._check_message(args)
        thread_ts = args.get("thread_ts")
        if thread_ts:
            parent = channel.find(str(thread_ts))
            if parent is None or parent.thread_ts is not None:
                raise ApiError("thread_not_found")
        message = self._store_message(channel.id, args, user=self.workspace.bot_user_id)
        return {"channel": channel.id, "ts": message.ts, "message": message.to_api(include_metadata=True)}

    def _post_ephemeral(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._writable(args.get("channel"))
        self._check_message(args)
        user = str(args.get("user") or "")
        if user not in self.workspace.users:
            raise ApiError("user_not_found")
        if user not in channel.members:
            raise ApiError("user_not_in_channel")
        self._add_ephemeral(
            Ephemeral(
                channel.id,
                user,
                str(args.get("text") or ""),
                list(args.get("blocks") or []),
                "chat.postEphemeral",
            )
        )
        return {"message_ts": self.workspace.next_ts()}

    def _own_message(self, args: dict[str, Any]) -> tuple[Channel, Message]:
        channel = self._channel_for_bot(args.get("channel"))
        message = channel.find(str(args.get("ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        if message.user != self.workspace.bot_user_id:
            raise ApiError("cant_update_message")
        return channel, message

    def _update_message(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel, message = self._own_message(args)
        self._check_message({**args, "text": args.get("text") or message.text})
        if "text" in args:
            message.text = str(args["text"])
        if "blocks" in args:
            message.blocks = list(args.get("blocks") or [])
        if "metadata" in args:
            message.metadata = args["metadata"]
        message.edited = True
        self._seen("update", message)
        return {"channel": channel.id, "ts": message.ts, "text": message.text}

    def _delete_message(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel, message = self._own_message(args)
        message.deleted = True
        self._seen("delete", message)
        return {"channel": channel.id, "ts": message.ts}

    def _permalink(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._channel_for_bot(args.get("channel"))
        ts = str(args.get("message_ts") or "")
        if channel.find(ts) is None:
            raise ApiError("message_not_found")
        return {
            "channel": channel.id,
            "permalink": f"https://{self.workspace.team_domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}",
        }

    def _conversation_info(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._channel_for_bot(args.get("channel"))
        return {"channel": channel.to_api(self.workspace.bot_user_id)}

    def _conversation_members(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._channel_for_bot(args.get("channel"))
        limit = max(1, min(int(args.get("limit") or 100), 1000))
        start = int(args.get("cursor") or 0) if str(args.get("cursor") or "0").isdigit() else 0
        page = channel.members[start : start + limit]
        next_cursor = str(start + limit) if start + limit < len(channel.members) else ""
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}

    def _conversation_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        users = str(args.get("users") or "")
        if users not in self.workspace.users:
            raise ApiError("user_not_found")
        return {"channel": {"id": self.workspace.im_with(users).id}}

    def _conversation_history(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._channel_for_bot(args.get("channel"))
        include = str(args.get("include_all_metadata")).lower() in {"true", "1"}
        messages = [m for m in channel.messages if not m.deleted and m.thread_ts is None]
        oldest = float(args.get("oldest") or 0)
        messages = [m for m in messages if float(m.ts) > oldest]
        limit = int(args.get("limit") or 100)
        newest_first = list(reversed(messages))[:limit]
        return {"messages": [m.to_api(include_metadata=include) for m in newest_first], "has_more": False}

    def _conversation_replies(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self._channel_for_bot(args.get("channel"))
        parent = channel.find(str(args.get("ts") or ""))
        if parent is None:
            raise ApiError("thread_not_found")
        replies = [m for m in channel.messages if not m.deleted and m.thread_ts == parent.ts]
        include = str(args.get("include_all_metadata")).lower() in {"true", "1"}
        return {
            "messages": [m.to_api(include_metadata=include) for m in [parent, *replies]],
            "has_more": False,
        }

    def _get_upload_url(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        try:
            upload = promised_upload(self.workspace.next_id("F"), args)
        except UploadRefused as exc:
            raise ApiError(exc.error) from exc
        self.uploads[upload.id] = upload
        return {"upload_url": f"{self.base_url}/upload/{upload.id}", "file_id": upload.id}

    def _complete_upload(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        try:
            wanted = requested_files(args.get("files"))
        except UploadRefused as exc:
            raise ApiError(exc.error) from exc
        uploads: list[Upload] = []
        for item in wanted:
            upload = self.uploads.get(str(item["id"]))
            if upload is None or upload.content is None or upload.completed:  # unknown, no bytes, or done already
                raise ApiError("file_not_found")
            uploads.append(upload)
        if args.get("channel_id"):
            targets = [str(args["channel_id"])]
        else:  # `channels` takes channel or user ids; with neither the files stay private
            targets = [c for c in str(args.get("channels") or "").split(",") if c]
        channels = [self._writable(target) for target in targets]
        thread_ts = str(args.get("thread_ts") or "") or None
        for channel in channels if thread_ts else []:
            parent = channel.find(str(thread_ts))
            if parent is None or parent.thread_ts is not None:
                raise ApiError("thread_not_found")
        comment = str(args.get("initial_comment") or "")
        titles = [str(item.get("title") or upload.filename) for item, upload in zip(wanted, uploads, strict=True)]
        for upload in uploads:
            upload.completed = True
        bot = self.workspace.bot_user_id
        places: list[tuple[str | None, str | None]] = [
            (c.id, self._store_message(c.id, {"text": comment, "thread_ts": thread_ts}, user=bot).ts) for c in channels
        ]
        for channel_id, ts in places or [(None, None)]:
            for upload, title in zip(uploads, titles, strict=True):
                shared = SharedFile(upload.id, upload.filename, title, upload.content or b"", channel_id, ts, comment)
                self.files.append(shared)
                self._seen("file", shared)
        return {
            "files": [
                {"id": u.id, "title": title, "name": u.filename, "size": u.length, "channels": [c.id for c in channels]}
                for u, title in zip(uploads, titles, strict=True)
            ]
        }

    def _user_info(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self.workspace.users.get(str(args.get("user") or ""))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user.to_api(self.workspace.team_id)}

    def _use_trigger(self, args: dict[str, Any]) -> str:
        trigger_id = str(args.get("trigger_id") or "")
        known = self.triggers.get(trigger_id)
        if known is None:
            raise ApiError("invalid_trigger_id")
        user, issued, used = known
        if used:
            raise ApiError("exchanged_trigger_id")
        if time.monotonic() - issued > self.trigger_lifetime:
            raise ApiError("expired_trigger_id")
        self.triggers[trigger_id] = (user, issued, True)
        return user

    def _checked_view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        problems = check_view(view)
        if problems:
            raise ApiError("invalid_arguments", response_metadata={"messages": problems})
        assert isinstance(view, dict)
        return view

    def _new_view(
        self, user: str, view: dict[str, Any], *, trigger_id: str | None, previous: str | None = None
    ) -> dict[str, Any]:
        view_id = self.workspace.next_id("V")
        stored = View(
            id=view_id,
            user=user,
            view=view,
            hash=f"h{next(self._ids)}",
            trigger_id=trigger_id,
            previous_view_id=previous,
        )
        self.workspace.views[view_id] = stored
        self._seen("view", stored)
        return self.view_payload(stored)

    def view_payload(self, stored: View) -> dict[str, Any]:
        return {
            "view": {
                **stored.view,
                "id": stored.id,
                "hash": stored.hash,
                "team_id": self.workspace.team_id,
                "app_id": self.workspace.app_id,
                "bot_id": self.workspace.bot_id,
                "previous_view_id": stored.previous_view_id,
                "root_view_id": stored.previous_view_id or stored.id,
                "state": {"values": {}},
            }
        }

    def _views_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._checked_view(args)
        return self._new_view(user, view, trigger_id=str(args.get("trigger_id")))

    def _views_push(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._checked_view(args)
        current = next((v for v in reversed(self.open_views(user))), None)
        return self._new_view(
            user, view, trigger_id=str(args.get("trigger_id")), previous=current.id if current else None
        )

    def _views_update(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        stored = self.workspace.views.get(str(args.get("view_id") or ""))
        if stored is None or stored.closed:
            raise ApiError("not_found")
        if args.get("hash") and args["hash"] != stored.hash:
            raise ApiError("hash_conflict")
        stored.view = self._checked_view(args)
        stored.hash = f"h{next(self._ids)}"
        return self.view_payload(stored)

    def _views_publish(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = str(args.get("user_id") or "")
        if user not in self.workspace.users:
            raise ApiError("user_not_found")
        view = self._checked_view(args)
        if view.get("type") != "home":
            raise ApiError("invalid_arguments", response_metadata={"messages": ["view.type must be home"]})
        self.homes[user] = view
        return {"view": {**view, "id": f"VH{user}"}}
