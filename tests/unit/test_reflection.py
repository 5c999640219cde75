"""The weekly reflection prompts, each set's way through them, who sees a reflection, and its text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.questions import QuestionKind, classify_question
from bot.domain.reflection import PROMPTS, REFLECTION_MAX, Visibility, next_prompt_index, reflection_error

ROOT = Path(__file__).resolve().parents[2]
BANK = len(PROMPTS)
REQUIRED = (
    "What did you try since we last met, and what happened?",
    "Which question from the set is still working on you?",
)


# --- PROMPTS ---------------------------------------------------------------------------------------


def test_the_bank_has_enough_prompts_and_no_duplicates() -> None:
    assert len(PROMPTS) >= 24
    assert len({" ".join(p.lower().split()) for p in PROMPTS}) == len(PROMPTS)


@pytest.mark.parametrize("prompt", REQUIRED)
def test_the_bank_holds_the_two_prompts_every_set_needs(prompt: str) -> None:
    assert prompt in PROMPTS


@pytest.mark.parametrize("prompt", PROMPTS)
def test_each_prompt_is_a_short_tidy_open_question(prompt: str) -> None:
    assert len(prompt) <= 150
    assert prompt.endswith("?")
    assert prompt == " ".join(prompt.split())  # no stray spaces or line breaks
    assert prompt[0].isupper()
    assert classify_question(prompt) is QuestionKind.OPEN  # the app's own question coach agrees


# --- next_prompt_index -----------------------------------------------------------------------------


def walk(set_id: int, weeks: int, bank_size: int = BANK) -> list[int]:
    used: list[int] = []
    for _ in range(weeks):
        used.append(next_prompt_index(set_id=set_id, used=used, bank_size=bank_size))
    return used


@pytest.mark.parametrize("set_id", [1, 2, 17, 90210])
def test_no_prompt_repeats_until_the_whole_bank_is_used(set_id: int) -> None:
    assert sorted(walk(set_id, BANK)) == list(range(BANK))


@pytest.mark.parametrize("set_id", [1, 17])
def test_then_a_new_pass_through_the_bank_begins(set_id: int) -> None:
    used = walk(set_id, 3 * BANK + 5)
    for start in (BANK, 2 * BANK):
        assert sorted(used[start : start + BANK]) == list(range(BANK))
    assert len(set(used[3 * BANK :])) == 5


def test_only_the_history_since_the_last_complete_pass_counts() -> None:
    # Two full passes in plain order, then 0 and 1 again: the next is neither 0 nor 1.
    used = [*range(BANK), *range(BANK), 0, 1]
    assert next_prompt_index(set_id=5, used=used, bank_size=BANK) not in {0, 1}
    # Repeats inside a pass (from an older history) do not end it early.
    assert next_prompt_index(set_id=5, used=[0, 0, 0, 1], bank_size=3) == 2


def test_a_set_keeps_the_same_order() -> None:
    assert walk(1, BANK) == walk(1, BANK)


def test_sets_go_through_the_bank_in_different_orders() -> None:
    assert walk(1, BANK) != walk(2, BANK)
    assert len({walk(set_id, 1)[0] for set_id in range(1, 31)}) > 5


def test_the_order_is_the_same_in_every_python_run() -> None:
    script = (
        "import json; from bot.domain.reflection import next_prompt_index\n"
        "used = []\n"
        "for _ in range(8): used.append(next_prompt_index(set_id=42, used=used, bank_size=30))\n"
        "print(json.dumps(used))"
    )
    orders = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        orders.add(done.stdout.strip())
    assert orders == {json.dumps(walk(42, 8, bank_size=30))}


def test_indexes_outside_the_bank_are_ignored() -> None:
    assert next_prompt_index(set_id=3, used=[-1, BANK, 999], bank_size=BANK) == walk(3, 1)[0]
    history = walk(3, 4)
    noisy = [-5, history[0], BANK, history[1], history[2], 10_000, history[3]]
    assert next_prompt_index(set_id=3, used=noisy, bank_size=BANK) == walk(3, 5)[4]
    # Stray indexes do not fill up a pass either: with two of three used, the third comes next.
    first, second, third = walk(3, 3, bank_size=3)
    assert next_prompt_index(set_id=3, used=[7, first, -1, second], bank_size=3) == third


def test_a_bank_of_one_always_gives_that_prompt() -> None:
    assert walk(8, 3, bank_size=1) == [0, 0, 0]


def test_an_empty_bank_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        next_prompt_index(set_id=1, used=[], bank_size=0)


# --- Visibility ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "value", "label"),
    [
        (Visibility.SET, "set", "The set (posted in the prompt's thread)"),
        (Visibility.FACILITATOR, "facilitator", "Only the facilitator and me"),
        (Visibility.ME, "me", "Only me"),
    ],
)
def test_visibilities_say_who_sees_a_reflection(visibility: Visibility, value: str, label: str) -> None:
    assert Visibility(value) is visibility
    assert visibility.label == label


def test_there_are_exactly_three_visibilities() -> None:
    assert len(Visibility) == 3


# --- reflection_error ------------------------------------------------------------------------------

EMPTY = "Write your reflection, even a sentence."


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, EMPTY),
        ("", EMPTY),
        ("  \n\t ", EMPTY),
        ("A sentence.", None),
        ("x" * REFLECTION_MAX, None),
        ("  " + "x" * REFLECTION_MAX + "\n", None),  # the spaces around it do not count
        ("x" * (REFLECTION_MAX + 1), "Keep it to 3000 characters or fewer (this one has 3001)."),
        ("  " + "x" * 3500 + "  ", "Keep it to 3000 characters or fewer (this one has 3500)."),
    ],
)
def test_reflection_text(text: str | None, problem: str | None) -> None:
    assert reflection_error(text) == problem


def test_the_limit_is_three_thousand_characters() -> None:
    assert REFLECTION_MAX == 3000
