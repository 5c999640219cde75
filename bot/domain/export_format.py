"""A set's history as files: the Markdown (to read) and JSON (for other tools) renderings of the
records in `bot.domain.export`. What goes into an export is decided where the records are gathered
(`bot.services.export`); this module only writes down what it is given."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from bot.domain.export import (
    AnswerRecord,
    NoteRecord,
    QuestionRecord,
    RoundRecord,
    Scope,
    SetHistory,
)
from bot.domain.timezones import utc_to_local

FORMAT_NAME = "als-export"
FORMAT_VERSION = 1


# ---- file names -----------------------------------------------------------------------------


def file_stem(history: SetHistory) -> str:
    """`leaders-set-history-2026-11-27` or `leaders-set-my-words-2026-11-27`."""
    slug = re.sub(r"[^a-z0-9]+", "-", history.set_name.lower()).strip("-")[:40].strip("-") or "set"
    what = "history" if history.scope is Scope.SET else "my-words"
    return f"{slug}-{what}-{utc_to_local(history.exported_at, history.timezone).date().isoformat()}"


# ---- JSON -----------------------------------------------------------------------------------


def _at(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer_json(answer: AnswerRecord) -> dict[str, Any]:
    return {"question_id": answer.question_id, "text": answer.text, "answered_at": _at(answer.answered_at)}


def _question_json(q: QuestionRecord, scope: Scope) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": q.id,
        "round_id": q.round_id,
        "asker": q.asker_id,
        "text": q.text,
        "kind": q.kind,
        "phase": q.phase,
        "status": q.status,
        "golden": q.golden,
        "asked_at": _at(q.asked_at),
        "edited_at": _at(q.edited_at),
    }
    if scope is Scope.SET:  # a member's own export leaves out the presenter's answers to them
        found["answer"] = _answer_json(q.answer) if q.answer is not None else None
    return found


def _round_json(r: RoundRecord, scope: Scope) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": r.id,
        "presenter": r.presenter_id,
        "problem": r.problem,
        "context": r.context,
        "why_it_matters": r.why_it_matters,
        "tried": r.tried,
        "success": r.success,
        "help_wanted": list(r.help_wanted),
        "phase": r.phase,
        "opened_at": _at(r.opened_at),
        "closed_at": _at(r.closed_at),
        "closed_by": r.closed_by_id,
        "reflection": (
            {"learned": r.reflection_learned, "differently": r.reflection_differently, "at": _at(r.reflected_at)}
            if r.reflected_at is not None or r.reflection_learned or r.reflection_differently
            else None
        ),
    }
    if scope is Scope.SET:
        found["questions"] = [_question_json(q, scope) for q in r.questions]
    else:
        found["answers"] = [_answer_json(a) for a in r.answers]
    return found


def render_json(history: SetHistory) -> str:
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "scope": history.scope.value,
        "exported_at": _at(history.exported_at),
        "exported_for": history.requested_by,
        "set": {
            "name": history.set_name,
            "team_id": history.team_id,
            "channel_id": history.channel_id,
            "facilitator": history.facilitator_id,
        },
        "people": dict(sorted(history.people.items())),
        "rounds": [_round_json(r, history.scope) for r in history.rounds],
    }
    if history.scope is Scope.MINE:
        document["questions"] = [_question_json(q, history.scope) for q in history.questions]
    document["reflections"] = [
        {
            "id": f.id,
            "author": f.author_id,
            "visibility": f.visibility,
            "prompt": f.prompt,
            "text": f.text,
            "created_at": _at(f.created_at),
        }
        for f in history.reflections
    ]
    document["commitments"] = [
        {
            "id": c.id,
            "owner": c.owner_id,
            "round_id": c.round_id,
            "action": c.action,
            "done_looks_like": c.done_looks_like,
            "due_date": _at(c.due_date),
            "status": c.status,
            "created_at": _at(c.created_at),
            "closed_at": _at(c.closed_at),
            "drop_reason": c.drop_reason,
            "notes": [
                {
                    "kind": n.kind,
                    "what_happened": n.what_happened,
                    "learned": n.learned,
                    "new_due_date": _at(n.new_due_date),
                    "created_at": _at(n.created_at),
                }
                for n in c.notes
            ],
        }
        for c in history.commitments
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---- Markdown -------------------------------------------------------------------------------

NOTE_WORDS = {"update": "Update", "done": "Marked done", "dropped": "Dropped"}
VISIBILITY_WORDS = {"set": "shared with the set", "facilitator": "the facilitator and me", "me": "only me"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> list[str]:
    """Someone's words as a block quote, line by line, so they cannot break the document's headings."""
    return [f"> {line}".rstrip() for line in text.strip().splitlines()] or [">"]


class _Writer:
    def __init__(self, history: SetHistory) -> None:
        self.history = history
        self.lines: list[str] = []

    def name(self, user_id: str | None) -> str:
        if not user_id:
            return "someone"
        display = _one_line(self.history.people.get(user_id, ""))
        return f"{display} ({user_id})" if display else user_id

    def when(self, at: datetime | None) -> str:
        return utc_to_local(at, self.history.timezone).strftime("%a %d %b %Y, %H:%M") if at else "–"

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def field(self, label: str, text: str | None) -> None:
        if text and text.strip():
            self.add(f"**{label}**", "", *_quoted(text), "")


def _round_lines(w: _Writer, r: RoundRecord) -> None:
    w.add(f"### Round {r.id}: {_one_line(r.problem)}", "")
    w.add(f"- Presenter: {w.name(r.presenter_id)}", f"- Phase: {r.phase}", f"- Opened: {w.when(r.opened_at)}")
    if r.closed_at is not None:
        w.add(f"- Questions closed: {w.when(r.closed_at)} by {w.name(r.closed_by_id)}")
    if r.help_wanted:
        w.add(f"- Help wanted: {', '.join(h.replace('_', ' ') for h in r.help_wanted)}")
    w.add("")
    w.field("Context", r.context)
    w.field("Why it matters", r.why_it_matters)
    w.field("What I have tried", r.tried)
    w.field("What success would look like", r.success)
    if r.questions:
        w.add("#### Questions", "")
        for q in r.questions:
            _question_lines(w, q, with_round=False)
    if r.answers:
        w.add("#### My answers", "")
        for a in r.answers:
            w.add(f"- Answered {w.when(a.answered_at)}:", "", *_quoted(a.text), "")
    if r.reflected_at is not None or r.reflection_learned or r.reflection_differently:
        w.add(f"#### The presenter's reflection ({w.when(r.reflected_at)})", "")
        w.field("What I learned", r.reflection_learned)
        w.field("What I now see differently", r.reflection_differently)


def _question_lines(w: _Writer, q: QuestionRecord, *, with_round: bool) -> None:
    tags = [q.phase, f"{q.kind} question", q.status.replace("_", " ")] + (["golden"] if q.golden else [])
    where = f" in round {q.round_id}" if with_round else ""
    w.add(f"- {w.name(q.asker_id)} asked{where}, {w.when(q.asked_at)} ({', '.join(tags)}):", "", *_quoted(q.text), "")
    if q.answer is not None:
        w.add(f"  Answer ({w.when(q.answer.answered_at)}):", "", *_quoted(q.answer.text), "")


def _section(w: _Writer, title: str, items: Iterable[Any], empty: str) -> list[Any]:
    found = list(items)
    w.add(f"## {title}", "")
    if not found:
        w.add(empty, "")
    return found


def render_markdown(history: SetHistory) -> str:
    w = _Writer(history)
    name = _one_line(history.set_name)
    if history.scope is Scope.SET:
        w.add(f"# {name}: the set's history", "")
        w.add(
            f"Exported {w.when(history.exported_at)} for {w.name(history.requested_by)}, the set's facilitator. "
            f"Times are in {history.timezone}. Weekly reflections appear here only when their writer "
            "shared them with the set.",
            "",
        )
    else:
        w.add(f"# {name}: my words", "")
        w.add(
            f"Exported {w.when(history.exported_at)} for {w.name(history.requested_by)}. Times are in "
            f"{history.timezone}. Only what you wrote is here, private reflections included; other "
            "people's questions and answers are left out.",
            "",
        )
    rounds_title = "Rounds" if history.scope is Scope.SET else "Rounds I presented"
    for r in _section(w, rounds_title, history.rounds, "No rounds."):
        _round_lines(w, r)
    if history.scope is Scope.MINE:
        for q in _section(w, "Questions I asked", history.questions, "No questions."):
            _question_lines(w, q, with_round=True)
    reflections_title = "Weekly reflections shared with the set" if history.scope is Scope.SET else "My reflections"
    for f in _section(w, reflections_title, history.reflections, "No reflections."):
        w.add(f"### {w.when(f.created_at)}: {w.name(f.author_id)} ({VISIBILITY_WORDS.get(f.visibility, f.visibility)})")
        w.add("")
        if f.prompt:
            w.add(f"_Prompt: {_one_line(f.prompt)}_", "")
        w.add(*_quoted(f.text), "")
    commitments_title = "Commitments" if history.scope is Scope.SET else "My commitments"
    for c in _section(w, commitments_title, history.commitments, "No commitments."):
        w.add(f"### {_one_line(c.action)}", "")
        w.add(f"- Owner: {w.name(c.owner_id)}", f"- Due: {c.due_date.isoformat()}", f"- Status: {c.status}")
        w.add(f"- Made: {w.when(c.created_at)}")
        if c.round_id is not None:
            w.add(f"- From round {c.round_id}")
        if c.closed_at is not None:
            w.add(f"- Closed: {w.when(c.closed_at)}")
        w.add("")
        w.field("Done looks like", c.done_looks_like)
        w.field("Why it was dropped", c.drop_reason)
        for n in c.notes:
            if n.kind == "dropped" and n.what_happened == (c.drop_reason or ""):
                n = NoteRecord(n.kind, "", n.learned, n.new_due_date, n.created_at)  # said just above
            said = [
                (label, text) for label, text in (("What happened", n.what_happened), ("What I learned", n.learned))
            ]
            said = [(label, text) for label, text in said if text.strip()]
            heading = NOTE_WORDS.get(n.kind, f"Note ({n.kind})") + f", {w.when(n.created_at)}"
            heading += f" (new date {n.new_due_date.isoformat()})" if n.new_due_date else ""
            w.add(f"- {heading}" + (":" if said else ""), "")
            for label, text in said:
                w.add(f"  {label}:", "", *_quoted(text), "")
    return "\n".join(w.lines).rstrip() + "\n"
