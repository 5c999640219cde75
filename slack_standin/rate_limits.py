"""Slack's rate limits, enforced by the stand-in when a test asks for them (`SlackStandin.rate_limits`);
off by default, so that other tests are never slowed down.

From https://docs.slack.dev/apis/web-api/rate-limits: methods are limited per app per workspace by
tier (Tier 1: 1+ a minute, Tier 2: 20+, Tier 3: 50+, Tier 4: 100+), and chat.postMessage has its own
"special" tier: about one message per second per channel, short bursts tolerated, and a
workspace-wide limit whose figure Slack does not publish (here `posts_per_window`, which a test sets).
The stand-in takes the tiers at their floor and the per-channel second strictly (less `tolerance`,
for the jitter between a client deciding to send and the request arriving). A refused call is
answered 429 with Retry-After, as Slack answers.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
METHOD_TIERS = {
    "conversations.history": 3,
    "conversations.replies": 3,
    "conversations.info": 3,
    "conversations.open": 3,
    "conversations.members": 4,
    "users.info": 4,
    "chat.update": 3,
    "chat.delete": 3,
    "chat.getPermalink": 4,
    "views.open": 4,
    "views.push": 4,
    "views.update": 4,
    "views.publish": 4,
}
POST = "chat.postMessage"


@dataclass
class RateLimits:
    per_channel_interval: float = 1.0
    tolerance: float = 0.1
    posts_per_window: int | None = None  # the workspace-wide limit on chat.postMessage
    window: float = 60.0
    tier_window: float = 60.0
    _last_post: dict[str, float] = field(default_factory=dict)
    _posts: deque[float] = field(default_factory=deque)
    _calls: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def refuse(self, method: str, channel: str | None, now: float) -> int | None:
        """Seconds to wait (Retry-After) when this call is over a limit; None lets it through and counts it."""
        if method == POST:
            return self._refuse_post(channel or "", now)
        tier = METHOD_TIERS.get(method)
        if tier is None:
            return None
        calls = self._calls[method]
        _drop_before(calls, now - self.tier_window)
        if len(calls) >= TIER_PER_MINUTE[tier] * self.tier_window / 60:
            return _seconds(calls[0] + self.tier_window - now)
        calls.append(now)
        return None

    def _refuse_post(self, channel: str, now: float) -> int | None:
        last = self._last_post.get(channel)
        if last is not None and now - last < self.per_channel_interval - self.tolerance:
            return _seconds(last + self.per_channel_interval - now)
        if self.posts_per_window is not None:
            _drop_before(self._posts, now - self.window)
            if len(self._posts) >= self.posts_per_window:
                return _seconds(self._posts[0] + self.window - now)
            self._posts.append(now)
        self._last_post[channel] = now
        return None


def _drop_before(times: deque[float], cutoff: float) -> None:
    while times and times[0] <= cutoff:
        times.popleft()


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
