"""Question coaching: is a question open, closed, advice in disguise, or not a question at all?

Action learning helps the presenter through questions, not advice: open, reflective, probing and
affective questions; no leading or yes/no questions; no opinions in disguise. The classifier is a
few small tables of phrases applied to each sentence and clause, deliberately simple and readable;
the coaching is a kind note and an open rewording, built from the asker's own words where it can be.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from itertools import product


class QuestionKind(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ADVICE = "advice"  # advice in disguise
    NOT_A_QUESTION = "not_a_question"


@dataclass(frozen=True)
class Coaching:
    kind: QuestionKind
    note: str  # "" for OPEN; otherwise a short, kind note
    suggestion: str | None  # None for OPEN; otherwise an open rewording to consider


def _phrases(*lines: str, then: str = "") -> tuple[str, ...]:
    """Phrases written as "a|b|c" lines to keep the tables compact; then=" " for phrases that start a clause."""
    return tuple(phrase + then for line in lines for phrase in line.split("|"))


def _combos(*slots: str, then: str = "") -> tuple[str, ...]:
    """One choice from each slot: _combos("if|whether", "you tried") == ("if you tried", "whether you tried")."""
    return tuple(" ".join(choice) + then for choice in product(*(slot.split("|") for slot in slots)))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Advice wherever it appears in a clause.
ADVICE_ANYWHERE = _phrases(
    "why don't you|why do you not|why not just|why not simply|why not try|why didn't you just|why don't we",
    "why can't you just|why wouldn't you just|couldn't you just|can't you just|you could just|you should just",
    "wouldn't it be better|would it not be better|wouldn't it be easier|wouldn't it make sense|isn't it obvious",
    "wouldn't you be better off|would you not be better off|don't you think you should|don't you think you need",
    "if i were you|if i was you|what if you just|what if you simply|what about just|what about simply",
    "how about just|how about you just|how about simply|my advice|my suggestion|my recommendation",
    "i suggest|i'd suggest|i would suggest|i recommend|i'd recommend|i would recommend|i'd advise|i advise",
) + _combos("what do you think|what would you think|how do you feel|how would you feel", "about|of", "simply|just")
ADVICE_ANYWHERE += _combos("if|whether", "you have|you've", "tried|considered|thought about|looked at")
# Advice when a clause starts with them, after any lead-in: "What have you tried?" stays open.
ADVICE_START = _phrases(
    "have you tried|have you ever tried|have you considered|have you ever considered|have you thought about",
    "have you thought of|have you looked at|have you looked into|have you checked|have you asked",
    "have you talked to|have you talked with|have you spoken to|have you spoken with",
    "did you think of|did you think about|did you try|did you consider|shouldn't you|should you not",
    "you should|you shouldn't|you need to|you must|you ought to|you have to|you could|you might want to",
    "you may want to|you'd better|you had better|you might try|go and|i'd|i would|if it were me|if it was me",
    "the answer is|the solution is|what you need is|what i'd do|what i would do|why not|just|try|consider",
    then=" ",
)
# Advice that starts with the action itself ("Talk to HR.").
ADVICE_IMPERATIVE = _phrases("talk to|speak to|ask|go to|focus on|remember to|make sure|don't forget", then=" ")
# Not advice: "I'd love to help", "I'd imagine that's hard", "You must feel exhausted".
NOT_ADVICE = _combos("i'd|i would", "like|love|hope|imagine|guess|want|welcome|appreciate|be", then=" ")
NOT_ADVICE += _combos("you must", "be|feel|have|know", then=" ")
# Advice inside a statement ("I think you should talk to HR.").
STEERING = _phrases(
    "you should|you shouldn't|you need to|you ought to|you have to|you could try|you could always|i'd just",
    "you might want to|you may want to|you'd better|you had better|i would just|in your shoes|in your position",
    "if it were me|the answer is|the solution is|what you need is|it's best to|it is best to|it's better to",
    "it would be better|best thing to do|worth trying|worth a try",
)
# Lead-ins before the question itself; the ASKING ones also announce that a question follows.
FILLERS = _phrases(
    "so|and|but|ok|okay|well|also|then|now|right|alright|hmm|hm|um|umm|uh|oh|ah|yes|yeah|thanks|thank you",
    "great|interesting|honestly|frankly|to be honest|tbh|maybe|perhaps|i think|i feel|i reckon|i guess|i mean",
    "just to check|just to clarify|to clarify|to check|sorry|hi|hey|hello|first|firstly|secondly|finally|lastly",
)
ASKING = _phrases(
    "i'm curious|i am curious|i was curious|curious|just curious|out of curiosity|i wonder|i'm wondering",
    "i am wondering|i was wondering|just wondering|wondering|can i ask|may i ask|could i ask|can i ask you",
    "may i ask you|i want to ask|i want to know|i want to understand|quick question|genuine question",
    "one question|question|my question is|i'd be curious|i would be curious|i'd be interested|i would be interested",
) + _combos("i'd|i would|would", "like to|love to|be curious to|be interested to", "ask|know|hear|understand|learn")
OPEN_WORDS = _words("what how who whom whose when where which why")
# Open requests, including polite ones that start like yes/no questions ("Could you tell me more…?").
OPEN_STARTS = _phrases(
    "tell me|tell us|describe|talk me through|talk us through|walk me through|walk us through|in what way",
    "in which way|to what extent|help me understand|help us understand|say more|share more",
    then=" ",
) + _combos(
    "can you|could you|would you|will you",
    "tell me|tell us|say more|say a bit more|say a little more|describe|explain|walk me through|walk us through"
    "|talk me through|talk us through|give an example|give me an example|expand|elaborate|share more"
    "|share a bit more|share an example|help me understand|paint a picture",
    then=" ",
)
OPEN_STARTS += _combos("would you mind", "telling|saying more|describing|explaining|sharing", then=" ")
CLOSED_WORDS = _words(
    "is are am was were do does did can could will would has have had should shall may might must isn't aren't "
    "wasn't weren't don't doesn't didn't won't wouldn't can't couldn't haven't hasn't hadn't shouldn't mightn't "
    "mustn't shan't"
)
BE = _words("is are was were isn't aren't wasn't weren't")
SUBJECTS = _words(
    "you i we he she it they there this that these those your my our their his her its anyone anybody anything "
    "someone somebody something everyone everybody everything"
)
# "What you need is…", "When I had this…": a question word and then a subject start a statement.
STATEMENT_AFTER_WH = _words("i i'm i'd i've we we're we'd we've you you're you'd you've he she they a an")
# Words written without their apostrophe ("dont", "im"); "wont" is a word of its own.
SPELLING = {w.replace("'", ""): w for w in CLOSED_WORDS - {"won't"} | _words("i'm i've you're you've what's how's")}
# For rewording advice: words before an action that say a verb follows, words to drop, words to avoid.
VERB_CUES = _words("and you we i i'd just simply should shouldn't must could would to not better need")
LEADING = _words("just simply maybe perhaps really actually probably also is be would to you we i i'd that if then")
LEADING |= _words("should must could need try")
AWKWARD = _words("said told went did made took got gave had was were i you he she it we they there") | OPEN_WORDS
TALK = _words("talk talking talked speak speaking spoken spoke chat chatting chatted")
OWN = {"my": "your", "mine": "yours", "myself": "yourself"}
# For rewording "Is the deadline fixed?" as "How fixed is the deadline…?".
STATES = _words("clear ready right fair true safe likely done set final firm sure certain happy fine")
STATE_ENDINGS = ("ed", "ble", "ive", "ous", "ent", "ant", "ful", "ic", "al", "ary")
NOT_A_THING = _words("there on in at with to for of about from by that what if whether")

TOKEN = re.compile(r"\w+(?:'\w+)*")
SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+|\n")
CLAUSE_BREAK = re.compile(r"[,;:]|\s-+\s|[\u2013\u2014]")
QUOTES = str.maketrans(dict.fromkeys("\u2018\u2019\u02bc\u2032`\u00b4", "'") | dict.fromkeys("\u201c\u201d\u201e", '"'))


def _any_of(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


LEAD_IN = re.compile(rf"(?:{_any_of(FILLERS + ASKING)})(?: |$)")
ADVICE_RE = re.compile(rf"(?<![\w'])(?:{_any_of(ADVICE_ANYWHERE)})(?![\w'])")
STEERING_RE = re.compile(rf"(?<![\w'])(?:{_any_of(STEERING)})(?![\w'])")

NOTES = {
    QuestionKind.CLOSED: (
        "This can be answered with a yes or a no. An open question invites the presenter to think aloud."
    ),
    QuestionKind.ADVICE: (
        "This sounds like a suggestion. In action learning we help the presenter find their own way: "
        "try asking about what they see, rather than what you would do."
    ),
    QuestionKind.NOT_A_QUESTION: (
        "This reads as a statement. The set helps through questions: what would you like to ask the presenter?"
    ),
}
GENERIC = (
    "What would success look like for you?",
    "What have you tried so far, and what happened?",
    "What's stopping you?",
    "How do you feel about it?",
    "What options have you considered so far, and how do they look to you?",
)


@dataclass(frozen=True)
class _Clause:
    words: list[str]  # as written, for quoting back
    low: list[str]  # lowercase, apostrophes restored: what the rules look at
    asking: bool = False  # it started with "I'm curious", "Can I ask" and the like


def _clauses(sentence: str) -> list[_Clause]:
    """The sentence's clauses that have words in them, each without its lead-ins ("So,", "I'm curious:")."""
    clauses = []
    for words in filter(None, map(TOKEN.findall, CLAUSE_BREAK.split(sentence))):
        low = " ".join(SPELLING.get(w.lower(), w.lower()) for w in words)
        pos, asking = 0, False
        while (lead := LEAD_IN.match(low, pos)) and lead.end() > pos:
            asking |= lead.group().strip() in ASKING
            pos = lead.end()
        rest = low[pos:].split()
        clauses.append(_Clause(words[len(words) - len(rest) :], rest, asking))
    return clauses


def _advice(clause: _Clause) -> tuple[list[str], list[str]] | None:
    """The words of an advice phrase in this clause and the action that follows it, if there is one."""
    low, text = clause.low, " ".join(clause.low) + " "
    if found := ADVICE_RE.search(text):
        start = text[: found.start()].count(" ")
        size = found.group().count(" ") + 1
        return low[start : start + size], clause.words[start + size :]
    if text.startswith(ADVICE_IMPERATIVE):
        return ["you"], list(clause.words)
    if text.startswith(ADVICE_START) and not text.startswith(NOT_ADVICE):
        size = max(p.count(" ") for p in ADVICE_START if text.startswith(p))
        if size < len(low):  # "Why not?" on its own is an open question
            return low[:size], clause.words[size:]
    if low[:2] in (["what", "about"], ["how", "about"]) and len(low) > 2:
        if low[2].endswith("ing") and not low[2].endswith("thing"):
            return low[:2], clause.words[2:]
        if low[2] in ("you", "we") and len(low) > 3:
            return ["you"], clause.words[3:]
    return None


def _clause_kind(low: list[str], first: bool, end: str) -> QuestionKind | None:
    """OPEN or CLOSED if the clause asks something; a missing "?" is forgiven only at the start of a sentence."""
    text = " ".join(low) + " "
    if text.startswith(OPEN_STARTS):
        return QuestionKind.OPEN
    after = low[1] if len(low) > 1 else ""
    if low[0].split("'")[0] in OPEN_WORDS:
        asks_anyway = first and "!" not in end and after not in STATEMENT_AFTER_WH
        return QuestionKind.OPEN if "?" in end or asks_anyway else None
    if low[0] in CLOSED_WORDS:
        subject = after in SUBJECTS or (low[0] in BE and after == "the")
        return QuestionKind.CLOSED if "?" in end or (first and subject) else None
    return None


def _ending(sentence: str) -> str:
    """The punctuation that ends a sentence, looking past emoji and closing quotes."""
    end = ""
    for char in reversed(sentence):
        if char.isalnum():
            break
        end += char if char in "?!." else ""
    return end


def _analyse(text: str) -> tuple[QuestionKind, list[str], list[str]]:
    """The kind, and the words a rewording can build on: the action suggested, or the closed clause."""
    kinds: dict[QuestionKind, list[str]] = {}
    for sentence in SENTENCE_BREAK.split(unicodedata.normalize("NFKC", text).translate(QUOTES)):
        if not TOKEN.search(sentence):
            continue  # emoji, punctuation or nothing at all
        clauses, end = _clauses(sentence), _ending(sentence)
        for clause in clauses:
            if advice := _advice(clause):
                return QuestionKind.ADVICE, *advice
        content = [c for c in clauses if c.low]
        found = [(kind, c.words) for i, c in enumerate(content) if (kind := _clause_kind(c.low, i == 0, end))]
        if not found and content:
            if any(c.asking for c in clauses):  # "I'd love to hear more about the team."
                closed = content[0].low[0] in ("if", "whether")
                found = [(QuestionKind.CLOSED if closed else QuestionKind.OPEN, content[0].words)]
            elif "?" in end:  # "The deadline is fixed?"
                found = [(QuestionKind.CLOSED, content[0].words)]
            elif STEERING_RE.search(" ".join(" ".join(c.low) for c in content)):
                return QuestionKind.ADVICE, [], []
        for kind, words in found:
            kinds.setdefault(kind, words)
    for kind in (QuestionKind.OPEN, QuestionKind.CLOSED):
        if kind in kinds:
            return kind, [], kinds[kind]
    return QuestionKind.NOT_A_QUESTION, [], []


def classify_question(text: str) -> QuestionKind:
    return _analyse(text)[0]


def _gerund(verb: str) -> str:
    if verb.endswith("ing"):
        return verb
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and len(verb) > 2 and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if len(verb) <= 4 and re.fullmatch(r"(?:qu|[^aeiou])*[aeiou][^aeiouwxy]", verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _from_advice(phrase: list[str], action: list[str]) -> str | None:
    """An open question around the action the advice proposes ("…how does delegating it compare with the others?")."""
    verb = bool(phrase) and phrase[-1] in VERB_CUES
    while len(action) > 1 and action[0].lower() in LEADING:
        verb |= action.pop(0).lower() in VERB_CUES
    if any(w.lower() in TALK for w in phrase + action[:3]):
        return "Who have you talked to about this so far, and what happened?"
    first = action[0].lower() if action else "'"
    if "'" in first or first in AWKWARD or len(action) > 12 or len(" ".join(action)) > 100:
        return None  # nothing to build on, or nothing that reads well: "Don't forget…", "…that they don't care"
    action = [_gerund(first) if verb else action[0]] + [OWN.get(w.lower(), w) for w in action[1:]]
    return f"What options have you considered, and how does {' '.join(action)} compare with the others?"


def _from_closed(words: list[str]) -> str | None:
    low = [w.lower() for w in words]
    if 3 <= len(low) <= 7 and low[0] in ("is", "are"):  # "Is the deadline fixed?"
        verb, thing, state = low[0], words[1:-1], low[-1]
    elif 3 <= len(low) <= 7 and low[-2] in ("is", "are"):  # "The deadline is fixed?"
        verb, thing, state = low[-2], words[:-2], low[-1]
    elif len(low) > 2 and low[0] in ("do", "did") and low[1] == "you":
        feelings = {"feel": GENERIC[3], "want": "What do you want to happen?", "think": "How do you see it?"}
        return feelings.get(low[2])
    elif 2 < len(low) <= 12 and low[:2] in (["can", "you"], ["could", "you"]) and low[2] not in ("be", "have"):
        action = words[3:] if low[2] in ("just", "simply") else words[2:]
        return f"What would it take to {' '.join(action)}?" if len(" ".join(action)) <= 100 else None
    else:
        return None
    stative = state.endswith(STATE_ENDINGS) or state in STATES
    if not thing or not stative or any(w.lower() in NOT_A_THING for w in thing):
        return None
    thing = [w.lower() if w.lower() in SUBJECTS | {"the", "a", "an"} else w for w in thing]
    subject = "you" if thing == ["you"] else "they" if verb == "are" else "it"
    return f"How {state} {verb} {' '.join(thing)}, and what would be different if {subject} weren't?"


def _generic(kind: QuestionKind, text: str) -> str:
    words = set(TOKEN.findall(text[:2000].lower()))
    if words & _words("feel feeling feelings worried upset angry frustrated stressed anxious hard difficult"):
        return GENERIC[3]
    if words & _words("tried try same problem happened experience"):
        return GENERIC[1]
    if words & _words("stuck stop stopping blocked can't"):
        return GENERIC[2]
    return GENERIC[4] if kind == QuestionKind.ADVICE else GENERIC[0]


def coach_question(text: str) -> Coaching:
    kind, phrase, words = _analyse(text)
    if kind == QuestionKind.OPEN:
        return Coaching(kind=kind, note="", suggestion=None)
    derived = _from_advice(phrase, words) if kind == QuestionKind.ADVICE else _from_closed(words)
    suggestion = derived if derived and classify_question(derived) == QuestionKind.OPEN else _generic(kind, text)
    return Coaching(kind=kind, note=NOTES[kind], suggestion=suggestion)
