"""Generated training pairs (FactCC-style) from the sentences of source documents.

A source sentence is edited by a rule, then paired with the source windows retrieved for the
edited sentence. Meaning-changing edits (numbers, names, dates, negation, antonyms, hedges,
conditionals, time relations) give ``contradicted`` pairs; a sentence of another document, or
a clause of one appended, gives ``not_in_source``; meaning-preserving edits (number formats,
synonyms, clause order, speech reordering, spelling variants, compression) give ``supported``.
Every generator is deterministic given its ``random.Random``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from fidelity.judge.data import (
    CONTRADICTED,
    NOT_IN_SOURCE,
    SUPPORTED,
    ConsistencyItem,
    JudgePair,
)
from fidelity.judge.windows import SourceIndex

Edit = Callable[[str, "random.Random", Sequence[str]], str | None]

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
_WORD_OF = {v: k for k, v in _NUMBER_WORDS.items()}
_DIGITS = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?(?![\w])")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_DAY = re.compile(r"\b(" + "|".join(_DAYS) + r")\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b")
_ANY_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:\s[A-Z][a-z]+)?\b")

ANTONYMS = [
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increases", "decreases"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("higher", "lower"),
    ("more", "less"),
    ("above", "below"),
    ("gain", "loss"),
    ("gains", "losses"),
    ("profit", "loss"),
    ("agree", "disagree"),
    ("agreed", "refused"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("approve", "reject"),
    ("approved", "rejected"),
    ("support", "oppose"),
    ("supports", "opposes"),
    ("supported", "opposed"),
    ("win", "lose"),
    ("won", "lost"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("positive", "negative"),
    ("good", "bad"),
    ("better", "worse"),
    ("best", "worst"),
    ("easy", "difficult"),
    ("easier", "harder"),
    ("early", "late"),
    ("earlier", "later"),
    ("first", "last"),
    ("start", "end"),
    ("started", "ended"),
    ("begin", "finish"),
    ("open", "closed"),
    ("like", "dislike"),
    ("likes", "dislikes"),
    ("love", "hate"),
    ("always", "never"),
    ("all", "none"),
    ("many", "few"),
    ("large", "small"),
    ("big", "small"),
    ("long", "short"),
    ("high", "low"),
    ("buy", "sell"),
    ("bought", "sold"),
    ("include", "exclude"),
    ("success", "failure"),
    ("successful", "unsuccessful"),
    ("possible", "impossible"),
    ("available", "unavailable"),
    ("expand", "reduce"),
    ("expanded", "reduced"),
    ("allow", "forbid"),
    ("allowed", "banned"),
    ("confirmed", "denied"),
    ("confirm", "deny"),
    ("arrive", "leave"),
    ("arrived", "left"),
    ("remember", "forget"),
    ("right", "wrong"),
    ("true", "false"),
    ("happy", "sad"),
    ("cheap", "expensive"),
    ("maximum", "minimum"),
    ("before", "after"),
    ("within", "after"),
    ("at least", "at most"),
    ("more than", "less than"),
    ("over", "under"),
    ("ahead of", "behind"),
]
HEDGE_REMOVALS = [
    ("may ", "will "),
    ("might ", "will "),
    ("could ", "will "),
    ("reportedly ", ""),
    ("allegedly ", ""),
    ("likely ", "certainly "),
    ("plans to ", "has decided to "),
    ("is expected to ", "will "),
    ("are expected to ", "will "),
    ("suggests ", "proves "),
    ("suggested ", "proved "),
    ("possibly ", "definitely "),
    ("probably ", "definitely "),
    ("considering ", "doing "),
    ("proposed ", "decided "),
    ("hopes to ", "will "),
    ("seems ", "is "),
    ("appears to ", "does "),
    ("about ", "exactly "),
    ("around ", "exactly "),
    ("some ", "all "),
    ("thinks ", "knows "),
    ("believes ", "knows "),
]
HEDGE_ADDITIONS = [
    ("will ", "might "),
    ("is ", "may be "),
    ("are ", "may be "),
    ("was ", "may have been "),
    ("decided ", "considered "),
    ("confirmed ", "suggested "),
    ("knows ", "guesses "),
    ("found ", "speculated "),
    ("showed ", "hinted "),
    ("proves ", "suggests "),
]
SYNONYMS = [
    ("said", "stated"),
    ("says", "states"),
    ("told", "informed"),
    ("buy", "purchase"),
    ("bought", "purchased"),
    ("begin", "start"),
    ("began", "started"),
    ("help", "assist"),
    ("helped", "assisted"),
    ("big", "large"),
    ("about", "around"),
    ("approximately", "about"),
    ("show", "demonstrate"),
    ("shows", "demonstrates"),
    ("showed", "demonstrated"),
    ("use", "utilize"),
    ("uses", "utilizes"),
    ("used", "employed"),
    ("need", "require"),
    ("needs", "requires"),
    ("want", "wish"),
    ("wants", "wishes"),
    ("get", "obtain"),
    ("quick", "fast"),
    ("quickly", "rapidly"),
    ("also", "additionally"),
    ("but", "however,"),
    ("ask", "request"),
    ("asked", "requested"),
    ("talk", "speak"),
    ("talked", "spoke"),
    ("discuss", "talk about"),
    ("discussed", "talked about"),
    ("meeting", "meeting"),
    ("company", "firm"),
    ("customers", "clients"),
    ("customer", "client"),
    ("improve", "enhance"),
    ("improved", "enhanced"),
    ("important", "significant"),
    ("method", "approach"),
    ("propose", "present"),
    ("proposed", "presented"),
    ("results", "findings"),
    ("percent", "%"),
    ("per cent", "percent"),
    ("million", "m"),
    ("Kiev", "Kyiv"),
    ("Kyiv", "Kiev"),
    ("Odessa", "Odesa"),
    ("Kharkov", "Kharkiv"),
    ("Zelensky", "Zelenskyy"),
    ("Peskov", "Peskov"),
    ("Medvedev", "Medvedev"),
    ("Tsipras", "Tsipras"),
    ("Gaddafi", "Qaddafi"),
    ("Beijing", "Peking"),
]
_AUX = re.compile(
    r"\b(is|are|was|were|will|can|could|should|would|has|have|had|does|do|did|must)\b(?! not)"
)
_NEG = re.compile(
    r"\b(is|are|was|were|will|can|could|should|would|has|have|had|does|do|did)"
    r"(?: not|n't)\b"
)
_CONDITIONAL = re.compile(r"^(?:If|Unless|In case) ([^,]{3,}), (.+)$")


def _swap_pairs(text: str, pairs: Sequence[tuple[str, str]], rng: random.Random) -> str | None:
    options = []
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if x == y:
                continue
            for m in re.finditer(r"\b" + re.escape(x.strip()) + r"\b", text):
                options.append((m.start(), m.end(), y.strip()))
    if not options:
        return None
    s, e, y = rng.choice(options)
    original = text[s:e]
    if original[:1].isupper():
        y = y[:1].upper() + y[1:]
    return text[:s] + y + text[e:]


def _replace_prefix(text: str, pairs: Sequence[tuple[str, str]], rng: random.Random) -> str | None:
    options = [(a, b) for a, b in pairs if re.search(r"\b" + re.escape(a), text)]
    if not options:
        return None
    a, b = rng.choice(options)
    return re.sub(r"\b" + re.escape(a), b, text, count=1)


# -- meaning-changing ---------------------------------------------------------------------------


def change_number(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    matches = list(_DIGITS.finditer(text))
    words = list(_NUMBER_WORD.finditer(text))
    if not matches and not words:
        return None
    if matches and (not words or rng.random() < 0.7):
        m = rng.choice(matches)
        whole = int(m.group(1).replace(",", ""))
        new = rng.choice(
            [
                whole + rng.randint(1, 9),
                max(0, whole - rng.randint(1, 9)),
                whole * 2,
                whole * 10,
                (whole // 2) or whole + 3,
            ]
        )
        if new == whole:
            new = whole + 1
        out = f"{new:,}" if "," in m.group(1) else str(new)
        return text[: m.start()] + out + (m.group(2) or "") + text[m.end() :]
    m = rng.choice(words)
    value = _NUMBER_WORDS[m.group(1).lower()]
    others = [w for w, v in _NUMBER_WORDS.items() if v != value and v <= 12]
    new_word = rng.choice(others)
    if m.group(1)[0].isupper():
        new_word = new_word.capitalize()
    return text[: m.start()] + new_word + text[m.end() :]


def change_date(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    for pattern, names in ((_MONTH, _MONTHS), (_DAY, _DAYS)):
        m = pattern.search(text)
        if m:
            new = rng.choice([n for n in names if n != m.group(1)])
            return text[: m.start()] + new + text[m.end() :]
    m = _YEAR.search(text)
    if m:
        year = int(m.group(1)) + rng.choice([-2, -1, 1, 2])
        return text[: m.start()] + str(year) + text[m.end() :]
    return None


def swap_entity(text: str, rng: random.Random, others: Sequence[str]) -> str | None:
    """Replace a name with another name of the same document (a speaker, a place, a firm)."""
    names = [m for m in _ANY_NAME.finditer(text) if m.start() > 0]
    if not names:
        return None
    m = rng.choice(names)
    pool = sorted({n.group(0) for o in others for n in _ANY_NAME.finditer(o) if n.start() > 0})
    pool = [p for p in pool if p not in text and p.lower() not in m.group(0).lower()]
    if not pool:
        return None
    return text[: m.start()] + rng.choice(pool) + text[m.end() :]


def swap_speakers(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    """Exchange two different names inside the sentence (who did what to whom)."""
    names = list(dict.fromkeys(m.group(0) for m in _ANY_NAME.finditer(text)))
    if len(names) < 2:
        return None
    a, b = rng.sample(names, 2)
    return re.sub(
        r"\b(" + re.escape(a) + "|" + re.escape(b) + r")\b",
        lambda m: b if m.group(0) == a else a,
        text,
    )


def negate(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    negs = list(_NEG.finditer(text))
    if negs:
        m = rng.choice(negs)
        return text[: m.start()] + m.group(1) + text[m.end() :]
    if re.search(r"\bnever\b", text):
        return re.sub(r"\bnever\b", "always", text, count=1)
    auxes = list(_AUX.finditer(text))
    if auxes:
        m = rng.choice(auxes)
        return text[: m.end()] + " not" + text[m.end() :]
    past = re.search(r"\b([a-z]{3,}ed)\b", text)
    if past:
        return text[: past.start()] + "did not " + past.group(1)[:-2] + text[past.end() :]
    return None


def antonym(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    return _swap_pairs(text, ANTONYMS, rng)


def remove_hedge(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    return _replace_prefix(text, HEDGE_REMOVALS, rng)


def add_hedge(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    return _replace_prefix(text, HEDGE_ADDITIONS, rng)


def conditional_to_fact(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    m = _CONDITIONAL.match(text)
    if m:
        rest = m.group(2)
        rest = re.sub(r"\bwould\b", "will", rest, count=1)
        return rest[:1].upper() + rest[1:]
    m = re.search(r"\b(if|unless|once|when) [^,.]{3,}[,.]?", text)
    if m and m.start() > 10:
        out = (text[: m.start()].rstrip(" ,") + text[m.end() :]).strip()
        return re.sub(r"\bwould\b", "will", out, count=1)
    return None


# -- not in the source ---------------------------------------------------------------------------


def append_clause(text: str, rng: random.Random, others: Sequence[str]) -> str | None:
    """Append a clause taken from another document: a fact the source never stated."""
    if not others:
        return None
    other = rng.choice(others).rstrip(" .!?")
    words = other.split()
    if len(words) < 5:
        return None
    clause = " ".join(words[: rng.randint(5, min(14, len(words)))])
    clause = clause[:1].lower() + clause[1:] if not clause[:2].isupper() else clause
    return (
        text.rstrip(" .!?")
        + rng.choice([", and ", ", because ", ", while ", " after "])
        + (clause + ".")
    )


# -- meaning-preserving ---------------------------------------------------------------------------


def number_format(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    m = re.search(r"\b(\d+) hours\b", text)
    if m and int(m.group(1)) % 24 == 0 and int(m.group(1)) <= 240:
        days = int(m.group(1)) // 24
        word = _WORD_OF.get(days, str(days))
        return text[: m.start()] + f"{word} day{'s' if days > 1 else ''}" + text[m.end() :]
    m = re.search(r"\b(\d+) (days|weeks|months|years|people|percent|times)\b", text)
    if m and int(m.group(1)) in _WORD_OF:
        return text[: m.start()] + _WORD_OF[int(m.group(1))] + text[m.start() + len(m.group(1)) :]
    m = _NUMBER_WORD.search(text)
    if m:
        return text[: m.start()] + str(_NUMBER_WORDS[m.group(1).lower()]) + text[m.end() :]
    m = re.search(r"\b(\d+(?:\.\d+)?) percent\b", text)
    if m:
        return text[: m.start()] + m.group(1) + "%" + text[m.end() :]
    return None


def synonym(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    return _swap_pairs(text, [(a, b) for a, b in SYNONYMS if a != b], rng)


def move_clause(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    """Move a leading or trailing adverbial clause to the other end of the sentence."""
    if ":" in text:  # a dialogue turn: its clauses are not movable
        return None
    body = text.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else ""
    body = body[:-1] if end else body
    parts = body.split(", ")
    if len(parts) < 2 or len(parts[0].split()) > 8 or len(parts[-1].split()) < 3:
        return None
    head = parts[0]
    rest = ", ".join(parts[1:])
    head = head[:1].lower() + head[1:] if not re.match(r"[A-Z][a-z]+\b", head[:12]) else head
    return rest[:1].upper() + rest[1:] + ", " + head + (end or ".")


def reorder_speech(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    """``X said (that) Y.`` -> ``Y, X said.``"""
    m = re.match(
        r"^([A-Z][\w .'-]{1,40}?) (said|says|stated|noted|explained) (?:that )?(.+?)([.!?]?)$",
        text.strip(),
    )
    if not m or len(m.group(3).split()) < 4:
        return None
    claim = m.group(3)
    return claim[:1].upper() + claim[1:] + ", " + m.group(1) + " " + m.group(2) + "."


def compress(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    """Drop a trailing clause: a shorter sentence that the source still supports."""
    parts = re.split(r", (?:and |which |who |while |as |but )?", text.rstrip(" .!?"))
    if len(parts) < 2 or len(parts[0].split()) < 6:
        return None
    return parts[0] + "."


def passive(text: str, rng: random.Random, _others: Sequence[str]) -> str | None:
    """``A <verb>ed the B`` -> ``The B was <verb>ed by A`` for a simple sentence."""
    m = re.match(
        r"^([A-Z][\w]+(?: [A-Z][\w]+)?) ([a-z]+ed) (the|a|an|his|her|their|its) ([\w -]+?)([.!?])$",
        text.strip(),
    )
    if not m:
        return None
    obj = f"{m.group(3)} {m.group(4)}"
    return f"{obj[:1].upper()}{obj[1:]} was {m.group(2)} by {m.group(1)}{m.group(5)}"


CHANGING: dict[str, Edit] = {
    "number": change_number,
    "date": change_date,
    "entity": swap_entity,
    "speaker_swap": swap_speakers,
    "negation": negate,
    "antonym": antonym,
    "hedge_removed": remove_hedge,
    "hedge_added": add_hedge,
    "conditional_to_fact": conditional_to_fact,
}
UNSOURCED: dict[str, Edit] = {"appended_clause": append_clause}
PRESERVING: dict[str, Edit] = {
    "number_format": number_format,
    "synonym": synonym,
    "clause_moved": move_clause,
    "speech_reordered": reorder_speech,
    "compressed": compress,
    "passive": passive,
}


def _usable(sentence: str) -> bool:
    n = len(sentence.split())
    return 6 <= n <= 45


def generate_pairs(
    items: Sequence[ConsistencyItem], per_doc: int, seed: int, windows: int = 3
) -> list[JudgePair]:
    """Generated pairs from the documents of ``items`` (each distinct document once).

    Args:
        items: labelled items; only their documents are used, never their labels.
        per_doc: edited sentences to draw per document (about a third of each kind:
            meaning-changing, meaning-preserving, and not in the source).
        seed: seed of the generator.
        windows: source sentences per premise.

    Returns:
        Pairs in a deterministic order.
    """
    rng = random.Random(seed)
    docs: dict[str, tuple[str, str, str]] = {}
    for item in items:
        docs.setdefault(item.doc, (item.domain, item.id, item.doc))
    by_domain: dict[str, list[list[str]]] = {}
    indexed = []
    for domain, doc_id, doc in docs.values():
        index = SourceIndex.of_text(doc)
        usable = [s for s in index.sentences if _usable(s)]
        by_domain.setdefault(domain, []).append(usable)
        indexed.append((domain, doc_id, index, usable))
    pairs: list[JudgePair] = []
    for domain, doc_id, index, usable in indexed:
        if not usable:
            continue
        pool = by_domain[domain]
        for _ in range(per_doc):
            sentence = rng.choice(usable)
            roll = rng.random()
            if roll < 0.45:
                kinds, label = CHANGING, CONTRADICTED
            elif roll < 0.8:
                kinds, label = PRESERVING, SUPPORTED
            else:
                kinds, label = UNSOURCED, NOT_IN_SOURCE
            names = list(kinds)
            rng.shuffle(names)
            for name in names:
                others = rng.choice(pool) if name == "appended_clause" else index.sentences
                if name == "appended_clause" and len(pool) > 1:
                    while others is usable:
                        others = rng.choice(pool)
                edited = kinds[name](sentence, rng, others)
                if edited and edited.strip() != sentence.strip():
                    pairs.append(
                        JudgePair(
                            edited, index.premise(edited, windows), label, domain, name, doc_id
                        )
                    )
                    break
            # A sentence of another document of the domain: not in this source at all.
            if label == NOT_IN_SOURCE and len(pool) > 1 and rng.random() < 0.5:
                other_doc = rng.choice(pool)
                if other_doc is not usable and other_doc:
                    foreign = rng.choice(other_doc)
                    pairs.append(
                        JudgePair(
                            foreign,
                            index.premise(foreign, windows),
                            NOT_IN_SOURCE,
                            domain,
                            "foreign_sentence",
                            doc_id,
                        )
                    )
            # The unedited sentence, premise without it: the neighbours alone may not support it.
            if label == SUPPORTED and rng.random() < 0.15:
                pairs.append(
                    JudgePair(
                        sentence,
                        index.premise(sentence, windows),
                        SUPPORTED,
                        domain,
                        "copied",
                        doc_id,
                    )
                )
    return pairs
