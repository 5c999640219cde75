"""Why a use case said no, in a sentence the person can act on."""

from __future__ import annotations


class Refused(Exception):
    """The person may not do this now; `message` says why (it never quotes anyone's words)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
