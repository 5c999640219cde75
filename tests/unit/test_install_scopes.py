"""The scopes the install page asks for are the manifest's, so a workspace installed through OAuth
gets the same permissions as one set up from the manifest."""

from __future__ import annotations

from bot.app import BOT_SCOPES
from tests.unit.test_manifest import manifest


def test_the_install_asks_for_the_manifests_bot_scopes() -> None:
    assert sorted(BOT_SCOPES) == sorted(manifest()["oauth_config"]["scopes"]["bot"])
