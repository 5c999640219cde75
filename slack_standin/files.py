"""Files, as Slack's external upload flow handles them: `files.getUploadURLExternal` promises a file
of a given length, the bytes are POSTed to the upload URL, and `files.completeUploadExternal`
shares the uploaded files in a channel. Tests read what was shared from `SlackStandin.files`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class SharedFile:
    """A file as it was shared: where, under which name and title, and its bytes."""

    id: str
    filename: str
    title: str
    content: bytes
    channel: str | None  # None: completed without a channel, so private to the app
    message_ts: str | None = None
    initial_comment: str = ""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


@dataclass
class Upload:
    """A file promised by files.getUploadURLExternal, until files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    completed: bool = False


class UploadRefused(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def promised_upload(file_id: str, args: dict[str, Any]) -> Upload:
    """Check files.getUploadURLExternal's arguments as Slack does."""
    filename = str(args.get("filename") or "").strip()
    raw = str(args.get("length") if args.get("length") is not None else "").strip()
    if not filename or not raw:
        raise UploadRefused("invalid_arguments")
    if not raw.isdigit():
        raise UploadRefused("invalid_arguments")
    length = int(raw)
    if length == 0:  # Slack's docs: "missing_argument ... typically only occurs when the length provided is 0"
        raise UploadRefused("missing_argument")
    return Upload(id=file_id, filename=filename, length=length)


def requested_files(raw: Any) -> list[dict[str, Any]]:
    """files.completeUploadExternal's `files`: a JSON array of {"id", "title"?} objects."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise UploadRefused("invalid_arguments") from exc
    if not isinstance(raw, list) or not raw or not all(isinstance(f, dict) and f.get("id") for f in raw):
        raise UploadRefused("invalid_arguments")
    return raw


def receive(upload: Upload | None, data: bytes) -> tuple[int, str]:
    """The upload URL's answer to a POST of `data`: (HTTP status, body)."""
    if upload is None or upload.completed:
        return 404, "file_not_found"
    if len(data) != upload.length:
        return 400, f"length_mismatch: expected {upload.length} bytes, got {len(data)}"
    upload.content = data
    return 200, f"OK - {len(data)}"
