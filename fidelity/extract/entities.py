"""Named entities in a claim: lexicon aliases first, then unknown capitalised name sequences.

Aliases come from the lexicon (any script; Greek and Cyrillic names also match through
``name_key``). A capital or other metonym used as an actor ("Moscow refuses") stands for its
government; after a preposition of place ("talks in Abu Dhabi") it is a place. Capitalised
sequences not in the lexicon become entities with a guessed kind.
"""

from __future__ import annotations

import re

from fidelity.extract.lexicon import PLACE_PREPOSITIONS, LanguageLexicon, Lexicon
from fidelity.types import Entity, Span

WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
# Connectors allowed inside a multi-word name ("Ministry of Foreign Affairs", "von der Leyen").
CONNECTORS = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "de",
        "del",
        "der",
        "den",
        "van",
        "von",
        "al",
        "bin",
        "da",
        "di",
        "du",
        "la",
        "le",
        "y",
    ]
)
ORGANISATION_WORDS = frozenset(
    [
        "ministry",
        "ministries",
        "department",
        "office",
        "council",
        "committee",
        "commission",
        "agency",
        "authority",
        "bank",
        "fund",
        "union",
        "party",
        "parliament",
        "assembly",
        "court",
        "army",
        "forces",
        "force",
        "navy",
        "guard",
        "police",
        "service",
        "services",
        "company",
        "corporation",
        "group",
        "institute",
        "institutes",
        "academy",
        "society",
        "centre",
        "center",
        "laboratory",
        "observatory",
        "hospital",
        "club",
        "airlines",
        "museum",
        "directorate",
        "inspectorate",
        "university",
        "school",
        "foundation",
        "organisation",
        "organization",
        "alliance",
        "coalition",
        "federation",
        "association",
        "league",
        "senate",
        "congress",
        "duma",
        "rada",
        "cabinet",
        "government",
        "administration",
        "command",
        "headquarters",
        "embassy",
        "board",
        "secretariat",
        "tribunal",
        "inc",
        "ltd",
        "corp",
        "plc",
        "gmbh",
    ]
)
OUTLET_WORDS = frozenset(
    [
        "times",
        "news",
        "post",
        "journal",
        "gazette",
        "herald",
        "tribune",
        "telegraph",
        "guardian",
        "press",
        "tv",
        "radio",
        "television",
        "daily",
        "weekly",
        "observer",
        "chronicle",
        "review",
        "magazine",
        "pravda",
        "izvestia",
        "wire",
        "ledger",
        "courier",
        "dispatch",
        "bulletin",
        "digest",
        "monitor",
        "examiner",
        "inquirer",
        "today",
    ]
)
PLACE_WORDS = frozenset(
    [
        "city",
        "region",
        "province",
        "oblast",
        "krai",
        "republic",
        "island",
        "islands",
        "sea",
        "ocean",
        "river",
        "mountains",
        "valley",
        "strait",
        "gulf",
        "bay",
        "peninsula",
        "district",
        "county",
        "state",
        "kingdom",
        "street",
        "square",
    ]
)
# Capitalised words that begin sentences or name calendar items, not entities.
NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "our",
        "their",
        "his",
        "her",
        "my",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "if",
        "when",
        "while",
        "as",
        "at",
        "in",
        "on",
        "of",
        "for",
        "to",
        "from",
        "by",
        "with",
        "after",
        "before",
        "since",
        "however",
        "meanwhile",
        "also",
        "furthermore",
        "moreover",
        "specifically",
        "naturally",
        "instead",
        "indeed",
        "still",
        "despite",
        "although",
        "though",
        "because",
        "during",
        "according",
        "recall",
        "also",
        "there",
        "here",
        "what",
        "who",
        "why",
        "how",
        "where",
        "which",
        "some",
        "any",
        "many",
        "most",
        "more",
        "all",
        "no",
        "not",
        "other",
        "another",
        "each",
        "every",
        "both",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "first",
        "second",
        "third",
        "last",
        "next",
        "new",
        "mr",
        "mrs",
        "ms",
        "dr",
        "news",
        "photo",
        "video",
        "read",
        "more",
        "share",
        "comments",
    ]
)


def is_capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word[0].isdigit() and word.isupper()))


def find_entities(
    text: str,
    lexicon: Lexicon,
    language: LanguageLexicon,
    known_names: frozenset[str] = frozenset(),
) -> list[Entity]:
    """Entities in ``text`` (a claim's pivot text), spans into it, in order.

    Args:
        text: the claim text.
        lexicon: aliases and metonyms.
        language: the claim language's entries (titles, reporting verbs for kind guesses).
        known_names: lower-cased words seen capitalised mid-sentence elsewhere in the article,
            so a sentence-initial unknown word can still count as a name.
    """
    found: list[Entity] = []
    taken: list[Span] = []
    if lexicon.entity_re is not None:
        for m in lexicon.entity_re.finditer(text):
            surface = m.group(0)
            if not lexicon.alias_case_fits(surface):
                continue
            entry = lexicon.lookup_entity(surface)
            if entry is None:
                continue
            article = re.match(r"(?:the|The)\s+", surface)
            span = Span(m.start() + (article.end() if article else 0), m.end())
            canonical, kind = entry.canonical, entry.kind
            if entry.stands_for and _used_as_actor(text, m.start(), lexicon):
                canonical, kind = entry.stands_for, "organisation"
            found.append(Entity(span, canonical, kind))
            taken.append(span)
    for start, end, words in _capitalised_runs(text):
        if all(w.lower() in language.titles for w in words):
            continue  # a bare title: "the Secretary General"
        start, words, titled = _strip_titles(text, start, words, language)
        if not words:
            continue
        span = Span(start, end)
        if any(span.overlaps(t) for t in taken):
            continue
        known = _known_part(text, start, end, lexicon)  # other scripts, by name key
        if known is not None:
            found.append(known)
            continue
        if (
            len(words) == 1
            and _is_sentence_initial(text, start)
            and words[0].lower() not in known_names
            and not _possessive_name(text, end, words[0])
        ):
            continue
        if len(words) == 1 and words[0].lower() in language.titles:
            continue
        if len(words) == 1 and _adjectival(text, end, words[0]):
            continue  # a demonym used as an adjective: "European countries"
        surface = text[start:end]
        kind = "person" if titled else guess_kind(text, start, end, words, language)
        found.append(Entity(span, surface, kind))
    found.sort(key=lambda e: (e.span.start, -len(e.span)))
    return _read_dateline(text, found, lexicon)


# A wire dateline opening a lede: the place in capitals, the date, the agency, a dash
# ("SEVILLE, Feb 17 (IHW) - ").
DATELINE = re.compile(r"[A-Z][A-Z .'-]+,[^-–—\n]{0,40}?\(([A-Z][\w-]*)\)\s[-–—]\s")


def _read_dateline(text: str, found: list[Entity], lexicon: Lexicon) -> list[Entity]:
    """In a dateline the capitals name the place the story was filed from (not a government,
    not an organisation) and the parenthesis the agency that filed it."""
    dateline = DATELINE.match(text)
    if dateline is None:
        return found
    out = []
    city = re.match(r"[A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+)*", text)
    if city is not None and not any(e.span.start == 0 for e in found):
        place = Entity(Span(0, city.end()), city.group(0), "place")
        found = [place, *(e for e in found if not e.span.overlaps(place.span))]
    for e in found:
        surface = e.span.of(text)
        entry = lexicon.lookup_entity(surface)
        if e.span.start >= dateline.end():
            out.append(e)
        elif e.span.start >= dateline.start(1) - 1:
            out.append(Entity(e.span, e.canonical, "outlet"))
        elif surface.isupper() or (entry is not None and entry.kind == "place"):
            canonical = entry.canonical if entry is not None else surface.title()
            out.append(Entity(e.span, canonical, "place"))
    return out


_DEMONYM = re.compile(r"\w{3,}(?:ian|ean|ese|ish|ern|can|ench|tch|ic|i)$", re.IGNORECASE)
_ACTOR_BEFORE = frozenset(
    ["and", "or", "between", "by", "with", "against", "for", "than", "that", "as", "while"]
)


def _adjectival(text: str, end: int, word: str) -> bool:
    """A demonym or compass adjective ("European countries", "Ukrainian, European and US
    officials", "Western-backed")."""
    if "-" in word and not word.split("-", 1)[1][:1].isupper():
        return True
    if not _DEMONYM.match(word):
        return False
    after = text[end : end + 12]
    return not after.strip() or after.lstrip()[:1] in ",;" or bool(re.match(r"\s+[a-z]", after))


def _strip_titles(
    text: str, start: int, words: list[str], language: LanguageLexicon
) -> tuple[int, list[str], bool]:
    """Drop leading title words ("Finance Minister Jane Doe" -> "Jane Doe") and a
    sentence-opening common word before a connector ("Shares of Northwind Group")."""
    titled = False
    last_title = max((k for k, w in enumerate(words) if w.lower() in language.titles), default=-1)
    rest = words[last_title + 1 :]
    if last_title >= 0 and rest and not any(w.lower() in ORGANISATION_WORDS for w in rest):
        position = start
        for word in words[: last_title + 1]:
            position = text.index(word, position) + len(word)
        start = text.index(rest[0], position)
        words = rest
        titled = True
    if (
        not titled
        and len(words) > 2
        and words[1].lower() in CONNECTORS
        and words[0].lower() not in ORGANISATION_WORDS
        and _is_sentence_initial(text, start)
    ):
        start = text.index(words[2], start + len(words[0]))
        words = words[2:]
    return start, words, titled and len(words) >= 1 and words[0].lower() not in ORGANISATION_WORDS


def _known_part(text: str, start: int, end: int, lexicon: Lexicon) -> Entity | None:
    """The run, or its longest tail or head, that the lexicon knows ("Ο Ρούτε" -> Rutte)."""
    bounds = [(m.start(), m.end()) for m in WORD.finditer(text, start, end)]
    candidates = [(bounds[k][0], end) for k in range(len(bounds))]
    candidates += [(start, bounds[k][1]) for k in range(len(bounds) - 2, -1, -1)]
    for s, e in candidates:
        entry = lexicon.lookup_entity(text[s:e])
        if entry is not None:
            return Entity(Span(s, e), entry.canonical, entry.kind)
    return None


def _used_as_actor(text: str, start: int, lexicon: Lexicon) -> bool:
    """A capital as an actor: opening a clause or after "and", "between", "by" ... ("Moscow
    refuses", "talks between Moscow and Kyiv"); after "in", "a new", "of" it is a place."""
    head = text[max(0, start - 40) : start]
    if not head.strip() or head.rstrip()[-1:] in ',;:(—–"“‘«':
        return True
    before = WORD.findall(head)
    return bool(before) and before[-1].lower() in _ACTOR_BEFORE


# A full stop after these ends an abbreviation, not a sentence ("the U.S. Food and Drug
# Administration", "Mr. Reeve", "St. Petersburg").
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Gov|Sen|Rep|Prof|No|Jr|Sr)\.)$"
)
# A list item's number or letter opening a sentence: "(2)", "3.", "b)".
_ENUMERATOR = re.compile(r"(?:^|[.!?:\n]\s*)\(?(?:\d{1,2}|[a-z])[.)]$")
# Words that take a possessive at the start of a sentence without being names ("Today's vote").
_POSSESSIVE_COMMON = frozenset(
    ["today", "yesterday", "tomorrow", "tonight", "this", "last", "next", "year", "week", "month"]
)


def _is_sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'“‘«„(‚‹[—–-")
    if before.endswith(".") and _ABBREVIATION.search(before):
        return False
    if _ENUMERATOR.search(before) or DATELINE.fullmatch(text[:pos]):
        return True  # "(2) Net purchases will be restarted", "PARIS, May 2 (AMW) - Prices"
    return not before or before[-1] in ".!?:\n"


def _possessive_name(text: str, end: int, word: str) -> bool:
    """A sentence-opening word with a possessive is a name ("Saxony's state premier"),
    time words aside ("Today's vote")."""
    return text[end : end + 2] in ("'s", "’s") and word.lower() not in _POSSESSIVE_COMMON


def _capitalised_runs(text: str) -> list[tuple[int, int, list[str]]]:
    runs: list[tuple[int, int, list[str]]] = []
    words = list(WORD.finditer(text))
    i = 0
    while i < len(words):
        w = words[i].group(0)
        if not is_capitalised(w) or w.lower() in NOT_NAMES or w.isdigit():
            i += 1
            continue
        j = i
        end = i
        while j + 1 < len(words):
            gap = text[words[j].end() : words[j + 1].start()]
            if gap not in (" ", "-"):
                break
            nxt = words[j + 1].group(0)
            if is_capitalised(nxt) and nxt.lower() not in NOT_NAMES:
                j += 1
                end = j
            elif nxt.lower() in CONNECTORS and j + 2 < len(words) and nxt.islower():
                after = words[j + 2].group(0)
                gap2 = text[words[j + 1].end() : words[j + 2].start()]
                if gap2 == " " and is_capitalised(after) and after.lower() not in NOT_NAMES:
                    j += 2
                    end = j
                else:
                    break
            else:
                break
        start_char = words[i].start()
        end_char = words[end].end()
        surface_words = [m.group(0) for m in words[i : end + 1]]
        # A possessive belongs to the text, not the name.
        last = surface_words[-1]
        for tail in ("'s", "’s"):
            if last.endswith(tail):
                end_char -= len(tail)
                surface_words[-1] = last[: -len(tail)]
        runs.extend(_split_listed(words[i : end + 1], start_char, end_char, surface_words))
        i = end + 1
    return runs


def _split_listed(
    matches: list[re.Match[str]], start: int, end: int, words: list[str]
) -> list[tuple[int, int, list[str]]]:
    """A run joined by "and" names one body when it holds an organisation word ("Food and Drug
    Administration", "European Centre for Disease Prevention and Control"); otherwise it
    lists names ("Seville and Granada")."""
    cuts = [k for k, w in enumerate(words) if w in ("and", "y") and 0 < k < len(words) - 1]
    if not cuts or any(w.lower() in ORGANISATION_WORDS for w in words):
        return [(start, end, words)]
    out: list[tuple[int, int, list[str]]] = []
    first = 0
    for cut in [*cuts, len(words)]:
        part = words[first:cut]
        if part:
            s = matches[first].start()
            e = end if cut == len(words) else matches[cut - 1].end()
            out.append((s, e, part))
        first = cut + 1
    return out


# "Agency" ends the name of an outlet only after one of these ("Anadolu News Agency"); the
# European Medicines Agency is a public body.
NEWS_AGENCY_WORDS = frozenset(["news", "press", "telegraph", "wire"])


def guess_kind(text: str, start: int, end: int, words: list[str], language: LanguageLexicon) -> str:
    """Person, organisation, outlet, place or unknown, from the name and its neighbours."""
    lowered = [w.lower() for w in words]
    if lowered[-1] in OUTLET_WORDS or (
        lowered[-1] == "agency" and any(w in NEWS_AGENCY_WORDS for w in lowered)
    ):
        return "outlet"
    if any(w in ORGANISATION_WORDS for w in lowered) or (len(words[0]) > 1 and words[0].isupper()):
        return "organisation"
    if lowered[-1] in PLACE_WORDS:
        return "place"
    before = WORD.findall(text[max(0, start - 60) : start])
    if before:
        prev = before[-1].lower()
        if prev in language.titles:
            return "person"
        if prev in PLACE_PREPOSITIONS and len(words) <= 2:
            return "place"
        if prev == "the":
            return "unknown"  # people rarely take an article: "the Eastern Front"
    after = WORD.findall(text[end : end + 30])
    if after and after[0].islower() and after[0] in language.titles:
        return "unknown"  # an affiliation before a role: "Opposition Labour leader"
    if after and language.verb(after[0]) is not None:
        return "person" if len(words) >= 2 else "unknown"
    if 2 <= len(words) <= 4 and all(w[0].isupper() and not w.isupper() for w in words):
        return "person"
    return "unknown"
