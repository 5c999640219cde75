"""What the app listens for, learned by registering its handlers on a recorder: the subcommands of
/als, and the action ids, view callback ids and options action ids that have a listener."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import handlers


@dataclass
class Recorder:
    """Just enough of a Bolt app for handlers.register_all."""

    action_ids: set[str] = field(default_factory=set)
    view_ids: set[str] = field(default_factory=set)
    options_ids: set[str] = field(default_factory=set)

    def _record(self, into: set[str]) -> Callable[[Any], Callable[[Any], Any]]:
        def register(constraint: Any) -> Callable[[Any], Any]:
            into.add(str(constraint))
            return lambda listener: listener

        return register

    def action(self, constraint: Any) -> Callable[[Any], Any]:
        return self._record(self.action_ids)(constraint)

    def view(self, constraint: Any) -> Callable[[Any], Any]:
        return self._record(self.view_ids)(constraint)

    def options(self, constraint: Any) -> Callable[[Any], Any]:
        return self._record(self.options_ids)(constraint)

    def __getattr__(self, _name: str) -> Any:  # command, event, middleware: not needed here
        return lambda *args, **kwargs: lambda listener: listener


RECORDER = Recorder()
SUBCOMMANDS = sorted(s.name for s in handlers.register_all(RECORDER))  # type: ignore[arg-type]
ACTIONS = frozenset(RECORDER.action_ids)
VIEWS = frozenset(RECORDER.view_ids)
OPTIONS = frozenset(RECORDER.options_ids)
