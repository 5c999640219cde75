"""A set's ground rules: what each member agrees to before their first contribution. Trust and
confidentiality are what make a set a safe space to bring a real problem."""

from __future__ import annotations

GROUND_RULES_MAX = 2000

DEFAULT_GROUND_RULES = (
    "• What is said in the set stays in the set.\n"
    "• We help with questions, not advice: we challenge assumptions rather than counsel or direct.\n"
    "• The presenter owns their problem and decides what to do about it.\n"
    "• We listen, allow silence, and ask one question at a time.\n"
    "• We do what we commit to, and report back honestly, including what did not work."
)


def ground_rules_of(text: str | None) -> str:
    """The set's own rules, or the defaults when the facilitator has not written any."""
    return text.strip() if text and text.strip() else DEFAULT_GROUND_RULES


def ground_rules_error(text: str | None) -> str | None:
    body = (text or "").strip()
    if len(body) > GROUND_RULES_MAX:
        return f"Keep the ground rules to {GROUND_RULES_MAX} characters or fewer (these have {len(body)})."
    return None
