"""Slack's side of installing an app: the consent screen at /oauth/v2/authorize (the person always
agrees), `oauth.v2.access` for the code it hands back and, with token rotation, for refresh tokens.
Checked as Slack checks them: the client's credentials, one use per code within ten minutes, the
redirect URL and the scopes the app asked for."""

from __future__ import annotations

import base64
import binascii
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from slack_standin.workspace import Workspace

CODE_LIFETIME_SECONDS = 600


class OAuthError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class _Code:
    scopes: str
    redirect_uri: str | None
    issued_at: float
    installer: str


@dataclass
class OAuthApp:
    """The app as configured at api.slack.com: its credentials, Redirect URL, and token rotation
    (`token_lifetime` seconds, or None when off)."""

    client_id: str = "1111.2222"
    client_secret: str = "standin-client-secret"
    redirect_url: str | None = None
    token_lifetime: int | None = None
    installer: str | None = None  # the person who clicks Allow; the workspace's first person when None
    codes: dict[str, _Code] = field(default_factory=dict)
    refresh_token: str | None = None
    installs: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # ---- the consent screen --------------------------------------------------------------

    def authorize(self, query: dict[str, str], workspace: Workspace) -> str:
        """Where the browser goes next: back to the app with a code (or an error)."""
        if query.get("client_id") != self.client_id:
            raise OAuthError("invalid_client_id")
        if not query.get("scope"):
            raise OAuthError("invalid_scope")
        redirect_uri = query.get("redirect_uri")
        target = redirect_uri or self.redirect_url
        if target is None or (redirect_uri is not None and redirect_uri != self.redirect_url):
            raise OAuthError("bad_redirect_uri")
        people = [u.id for u in workspace.users.values() if not u.is_bot]
        installer = self.installer or (people[0] if people else workspace.add_user("Ivy Installer").id)
        code = f"{next(self._ids)}.{secrets.token_hex(8)}"
        self.codes[code] = _Code(query["scope"], redirect_uri, workspace.clock(), installer)
        params = {"code": code}
        if "state" in query:
            params["state"] = query["state"]
        return f"{target}?{urlencode(params)}"

    # ---- oauth.v2.access -----------------------------------------------------------------

    def access(self, args: dict[str, Any], workspace: Workspace) -> dict[str, Any]:
        if args.get("client_id") != self.client_id:
            raise OAuthError("invalid_client_id")
        if args.get("client_secret") != self.client_secret:
            raise OAuthError("bad_client_secret")
        if args.get("grant_type") == "refresh_token":
            return self._refresh(args, workspace)
        code = self.codes.pop(str(args.get("code")), None)  # a code works once
        if code is None or workspace.clock() - code.issued_at > CODE_LIFETIME_SECONDS:
            raise OAuthError("invalid_code")
        if code.redirect_uri is not None and args.get("redirect_uri") != code.redirect_uri:
            raise OAuthError("bad_redirect_uri")
        self.installs += 1
        return {
            **self._new_token(workspace, scopes=code.scopes),
            "authed_user": {"id": code.installer},
            "incoming_webhook": None,
        }

    def _refresh(self, args: dict[str, Any], workspace: Workspace) -> dict[str, Any]:
        if self.refresh_token is None or args.get("refresh_token") != self.refresh_token:
            raise OAuthError("invalid_refresh_token")
        return self._new_token(workspace, scopes=workspace.bot_scopes)

    def _new_token(self, workspace: Workspace, *, scopes: str) -> dict[str, Any]:
        """Issue the workspace's bot token; the one before stops working (stricter than Slack,
        which lets it live out its time, so that a test sees which one the app uses)."""
        n = next(self._ids)
        workspace.bot_scopes = scopes
        answer: dict[str, Any] = {
            "token_type": "bot",
            "scope": scopes,
            "bot_user_id": workspace.bot_user_id,
            "app_id": workspace.app_id,
            "team": {"id": workspace.team_id, "name": "ALS Demo"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if self.token_lifetime is None:
            workspace.bot_token = f"xoxb-standin-installed-{n}-{secrets.token_hex(6)}"
            workspace.bot_token_expires_at = None
        else:
            workspace.bot_token = f"xoxe.xoxb-1-standin-{n}-{secrets.token_hex(6)}"
            workspace.bot_token_expires_at = workspace.clock() + self.token_lifetime
            self.refresh_token = f"xoxe-1-standin-{n}-{secrets.token_hex(6)}"
            answer.update(refresh_token=self.refresh_token, expires_in=self.token_lifetime)
        answer["access_token"] = workspace.bot_token
        return answer

    def revoke(self, workspace: Workspace) -> None:
        """The workspace removed the app: its tokens stop working."""
        workspace.bot_token = f"xoxb-revoked-{secrets.token_hex(6)}"
        self.refresh_token = None


def client_credentials(authorization: str, args: dict[str, Any]) -> None:
    """HTTP Basic credentials, as slack_sdk sends them to oauth.v2.access, into the arguments."""
    if not authorization.startswith("Basic "):
        return
    try:
        decoded = base64.b64decode(authorization.removeprefix("Basic ").strip()).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return
    client_id, _, client_secret = decoded.partition(":")
    args.setdefault("client_id", client_id)
    args.setdefault("client_secret", client_secret)
