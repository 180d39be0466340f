"""Deterministic synthetic news corpus for benchmarking alignment.

N stories x M outlets: each story is a set of facts (actor, action, object, number, place,
day, quote); each outlet retells a sample of them with paraphrase (synonyms, active/passive,
reported speech), reordering, truncated quotes and now and then a changed number, padded
with background sentences of its own, plus off-story noise documents. Same seed, same
corpus.

    .venv/bin/python bench/synth.py --stories 3 --outlets 4 --out /tmp/corpus   # .md files
    .venv/bin/python bench/synth.py --stories 2000 --outlets 5 --jsonl /tmp/c.jsonl  # one file

``corpus_articles()`` returns ``ExtractedArticle`` objects directly (one claim per sentence,
split by ``fidelity.text.sentences``), for benchmarks that skip the earlier stages.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from fidelity.text.sentences import split_sentences
from fidelity.types import (
    Article,
    Claim,
    DetectedArticle,
    ExtractedArticle,
    PivotSegment,
    Provenance,
    Segment,
    TranslatedArticle,
)

FIRST = [
    "Anna",
    "Maria",
    "Jonas",
    "Peter",
    "Elena",
    "Tomas",
    "Sofia",
    "Viktor",
    "Irena",
    "Lukas",
    "Marta",
    "Pavel",
    "Olga",
    "Henrik",
    "Clara",
    "Dmitri",
    "Nadia",
    "Oskar",
    "Greta",
    "Mikhail",
    "Lena",
    "Stefan",
    "Ines",
    "Boris",
    "Hana",
    "Felix",
    "Vera",
    "Milan",
    "Rosa",
    "Karl",
]
LAST = [
    "Novak",
    "Horvat",
    "Berg",
    "Lindqvist",
    "Moreau",
    "Rossi",
    "Petrov",
    "Kowalski",
    "Schmidt",
    "Dubois",
    "Jensen",
    "Varga",
    "Costa",
    "Nilsson",
    "Weber",
    "Fischer",
    "Bauer",
    "Marin",
    "Popescu",
    "Kovac",
    "Larsen",
    "Svoboda",
    "Meyer",
    "Richter",
    "Haas",
    "Falk",
]
ROLES = [
    ("finance minister", "the finance ministry"),
    ("central bank governor", "the central bank"),
    ("health minister", "the health ministry"),
    ("mayor", "the city council"),
    ("defence minister", "the defence ministry"),
    ("transport minister", "the transport ministry"),
    ("energy regulator chief", "the energy regulator"),
    ("union leader", "the rail union"),
]
PLACES = [
    "Vienna",
    "Prague",
    "Warsaw",
    "Oslo",
    "Lisbon",
    "Athens",
    "Dublin",
    "Helsinki",
    "Riga",
    "Tallinn",
    "Vilnius",
    "Zagreb",
    "Sofia",
    "Bratislava",
    "Ljubljana",
    "Budapest",
    "Bucharest",
    "Copenhagen",
    "Stockholm",
    "Brussels",
    "Madrid",
    "Rome",
    "Bern",
]
TOPICS = [
    # (noun, unit, verb past, synonym verb past, object, synonym object)
    ("budget", "million euros", "approved", "signed off", "the spending plan", "the budget bill"),
    ("rates", "percent", "raised", "increased", "its key interest rate", "the benchmark rate"),
    ("strike", "workers", "called", "announced", "a nationwide strike", "a walkout"),
    ("hospital", "beds", "opened", "inaugurated", "a new hospital wing", "an extra ward"),
    ("bridge", "metres", "closed", "shut", "the main river bridge", "the old crossing"),
    ("tariff", "percent", "cut", "lowered", "electricity tariffs", "power prices"),
    ("troops", "soldiers", "deployed", "sent", "an engineering battalion", "army engineers"),
    ("rail", "trains", "cancelled", "scrapped", "regional rail services", "local trains"),
    ("vaccine", "doses", "ordered", "bought", "a new flu vaccine", "flu shots"),
    ("housing", "homes", "promised", "pledged", "new social housing", "affordable flats"),
    ("water", "litres", "rationed", "restricted", "household water supplies", "tap water"),
    ("airport", "flights", "grounded", "halted", "all departing flights", "outbound planes"),
    ("school", "teachers", "recruited", "hired", "extra primary teachers", "new staff"),
    ("police", "officers", "arrested", "detained", "a smuggling ring", "suspected smugglers"),
    ("pension", "euros a month", "increased", "lifted", "the state pension", "old-age benefits"),
    ("fishing", "tonnes", "capped", "limited", "the cod quota", "cod catches"),
    ("mining", "jobs", "suspended", "paused", "the copper mine expansion", "the new pit"),
    ("wind", "turbines", "licensed", "authorised", "an offshore wind farm", "sea turbines"),
    ("museum", "visitors", "reopened", "restored", "the national gallery", "the art museum"),
    ("ferry", "passengers", "rerouted", "diverted", "the island ferry line", "boat services"),
    ("farm", "hectares", "subsidised", "funded", "organic farmland", "organic growers"),
    ("court", "defendants", "convicted", "sentenced", "three former executives", "ex-managers"),
    ("flood", "households", "evacuated", "moved", "riverside districts", "low-lying streets"),
    ("census", "residents", "counted", "registered", "the urban population", "city dwellers"),
    ("drug", "patients", "licensed", "cleared", "a new cancer drug", "the tumour treatment"),
    ("satellite", "kilograms", "launched", "sent up", "a weather satellite", "a climate probe"),
    ("election", "voters", "postponed", "delayed", "the local elections", "the municipal vote"),
    ("steel", "tonnes", "curbed", "reduced", "steel imports", "foreign steel"),
    ("tourism", "nights", "taxed", "levied", "hotel stays", "overnight visitors"),
    ("cyber", "accounts", "breached", "hacked", "the tax office servers", "state databases"),
    ("metro", "stations", "extended", "expanded", "the metro line", "the underground"),
    ("forest", "trees", "felled", "cut down", "the old-growth forest", "ancient woodland"),
    ("bank", "branches", "merged", "combined", "two regional lenders", "the savings banks"),
    ("port", "containers", "blocked", "held up", "cargo at the harbour", "shipping boxes"),
    ("tobacco", "packs", "banned", "outlawed", "menthol cigarettes", "flavoured tobacco"),
    ("stadium", "seats", "demolished", "pulled down", "the old football stadium", "the arena"),
    ("zoo", "animals", "relocated", "moved", "the elephant herd", "the zoo's elephants"),
    ("wine", "bottles", "recalled", "withdrew", "a batch of red wine", "contaminated wine"),
    ("bus", "routes", "privatised", "sold off", "city bus services", "municipal buses"),
    ("library", "books", "digitised", "scanned", "the medieval archive", "old manuscripts"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
REASONS = [
    ("to ease pressure on households", "to help families cope with costs"),
    ("after months of negotiations", "following lengthy talks"),
    ("despite opposition from regional leaders", "even though regional leaders objected"),
    ("to meet a deadline set by the European Commission", "ahead of a deadline from Brussels"),
    ("in response to a sharp rise in demand", "because demand rose steeply"),
    ("as part of a wider reform package", "within a broader set of reforms"),
]
QUOTE_OPENERS = [
    "We have no choice but to act now",
    "This decision will protect ordinary people",
    "Nobody should doubt our commitment to this plan",
    "The figures speak for themselves",
    "We listened carefully to every side",
    "It is the responsible thing to do",
]
QUOTE_TAILS = [
    "and we will keep our promises to voters",
    "because the alternative would cost far more in the long run",
    "even if some critics will say it comes too late",
    "and we expect the first results before the summer",
    "so that the burden is shared fairly across the country",
]
# Background sentences are composed from parts, so two articles rarely share one verbatim.
SUBJECTS = [
    "analysts",
    "local economists",
    "a senior official",
    "opposition lawmakers",
    "union representatives",
    "the regional governor",
    "several mayors",
    "business leaders",
    "a government adviser",
    "independent experts",
    "civil servants",
    "a former minister",
    "student groups",
    "pension funds",
    "the auditor's office",
    "church leaders",
    "farmers' associations",
    "a think tank",
    "retail chains",
    "commuters",
]
VERBS = [
    "had warned about",
    "have long questioned",
    "privately welcomed",
    "openly criticised",
    "asked for clarity on",
    "expressed doubts about",
    "called for a review of",
    "raised concerns over",
    "demanded compensation for",
    "praised the timing of",
    "questioned the cost of",
    "urged caution over",
    "pointed to delays in",
    "highlighted gaps in",
    "challenged the data behind",
]
OBJECTS = [
    "the funding formula",
    "last year's audit",
    "the regional allocation",
    "the consultation process",
    "the legal basis",
    "the impact on small firms",
    "the procurement rules",
    "the rural provinces",
    "the implementation timetable",
    "the expected savings",
    "the staffing levels",
    "the reporting requirements",
    "the oversight board",
    "the pilot scheme",
    "the tax treatment",
]
WHEN = [
    "in recent weeks",
    "at a hearing on {day}",
    "in a radio interview",
    "in a letter to parliament",
    "during a visit to {place}",
    "at a conference in {place}",
    "on social media",
    "in a written statement",
    "at a press briefing",
    "in an opinion piece",
]
NOISE = [
    "The local football club won its third match in a row on {day}.",
    "A new exhibition of modern sculpture opened at the city museum in {place}.",
    "Forecasters expect heavy snowfall across the north of {place} region this week.",
    "A famous chef opened a restaurant serving traditional dishes near the old harbour.",
    "The annual film festival in {place} announced its jury for this year.",
    "Scientists reported the discovery of a new species of beetle in a nature reserve.",
    "Ticket prices for the summer music festival rose for the first time in years.",
    "The zoo in {place} welcomed two panda cubs born last month.",
    "A marathon through the streets of {place} drew a record {n} runners.",
    "A rare comet will be visible to the naked eye on {day} night, astronomers said.",
]


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact of a story and two ways of telling it."""

    plain: str
    paraphrase: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class SynthArticle:
    id: str
    outlet: str
    story: int | None  # None for noise
    title: str
    text: str


def _story_facts(rng: random.Random, s: int) -> tuple[str, list[Fact]]:
    noun, unit, verb, verb2, obj, obj2 = TOPICS[s % len(TOPICS)]
    role, body = ROLES[(s * 3) % len(ROLES)]
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    surname = name.split()[1]
    place = PLACES[s % len(PLACES)]
    if s >= len(PLACES):
        place = f"{place}-{LAST[s % len(LAST)]}"
    day = rng.choice(DAYS)
    n1 = rng.randrange(12, 950)
    n2 = rng.randrange(2, 60)
    n3 = rng.randrange(100, 9000)
    reason, reason2 = rng.choice(REASONS)
    quote = f"{rng.choice(QUOTE_OPENERS)}, {rng.choice(QUOTE_TAILS)}"
    title = f"{place} {noun}: {body} {verb} {obj} by {n1} {unit}"
    facts = [
        Fact(
            f"The {role} of {place}, {name}, {verb} {obj} on {day}, {reason}.",
            f"On {day}, {body} in {place} {verb2} {obj2} {reason2}, led by {surname}.",
        ),
        Fact(
            f"The change amounts to {n1} {unit}, according to official figures.",
            f"Official figures put the size of the change at {n1} {unit}.",
            n1,
        ),
        Fact(
            f"{surname} said the measure would take effect within {n2} days.",
            f"The measure is due to come into force in {n2} days, {surname} told reporters.",
            n2,
        ),
        Fact(
            f'"{quote}," {surname} told parliament in {place}.',
            f'Speaking in parliament, {surname} said: "{quote}."',
        ),
        Fact(
            f"About {n3} people in {place} will be directly affected, the ministry estimates.",
            f"The ministry estimates that roughly {n3} residents of {place} will feel the effect.",
            n3,
        ),
        Fact(
            f"The previous attempt to change the {noun} rules failed in parliament last year.",
            f"A similar {noun} reform was voted down by lawmakers a year ago.",
        ),
        Fact(
            f"Opposition leader {rng.choice(FIRST)} {rng.choice(LAST)} called the {noun} "
            f"decision reckless and promised to challenge it in court.",
            f"The leader of the opposition vowed a court challenge, calling the {noun} move "
            "reckless.",
        ),
        Fact(
            f"Business groups in {place} welcomed the {noun} decision but asked for more detail.",
            f"Employers' associations said they backed the {noun} step, though details were thin.",
        ),
    ]
    return title, facts


def _truncate_quote(sentence: str, rng: random.Random) -> str:
    start, end = sentence.find('"'), sentence.rfind('"')
    if start < 0 or end <= start:
        return sentence
    words = sentence[start + 1 : end].rstrip(",.").split()
    if len(words) < 6:
        return sentence
    keep = rng.randrange(4, len(words) - 1)
    return sentence[: start + 1] + " ".join(words[:keep]) + sentence[end:]


def _change_number(sentence: str, number: int, rng: random.Random) -> str:
    return sentence.replace(str(number), str(number + rng.choice([-3, -2, 2, 5, 10])), 1)


def _background(rng: random.Random, s: int) -> str:
    noun = TOPICS[s % len(TOPICS)][0]
    place = PLACES[s % len(PLACES)]
    when = rng.choice(WHEN).format(place=place, day=rng.choice(DAYS))
    sentence = (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} of the {noun} "
        f"plan {when}"
    )
    if rng.random() < 0.3:
        sentence += f", citing {rng.randrange(3, 900)} cases in {place}"
    return sentence[0].upper() + sentence[1:] + "."


def generate(
    stories: int,
    outlets: int,
    *,
    noise: int = 0,
    sentences: int = 30,
    seed: int = 7,
    relays: float = 0.0,
) -> list[SynthArticle]:
    """The corpus: ``stories * outlets`` articles plus ``noise`` off-story documents.

    Each article has about ``sentences`` sentences: a sample of its story's facts (plain or
    paraphrased, reordered, quotes sometimes truncated, numbers sometimes changed), then
    background sentences. A share ``relays`` of the outlets after a story's first republish
    an earlier outlet's article of the story: verbatim, or (every other one) with a credit
    line added; the rest of the corpus is the same as without relays.
    """
    rng = random.Random(seed)
    relay_rng = random.Random(seed + 1)  # its own stream: relays=0 gives the corpus unchanged
    out: list[SynthArticle] = []
    for s in range(stories):
        title, facts = _story_facts(rng, s)
        background = [_background(rng, s) for _ in range(int(sentences * 1.2))]
        for o in range(outlets):
            chosen = [f for f in facts if rng.random() < 0.85] or facts[:2]
            rng.shuffle(chosen)
            lines: list[str] = []
            for fact in chosen:
                line = fact.paraphrase if rng.random() < 0.5 else fact.plain
                if '"' in line and rng.random() < 0.4:
                    line = _truncate_quote(line, rng)
                if fact.number is not None and rng.random() < 0.15:
                    line = _change_number(line, fact.number, rng)
                lines.append(line)
            # Background from the story's own pool: outlets of one story share context, two
            # stories share only the common words of news prose.
            pool = [b for b in background if rng.random() < 0.7]
            rng.shuffle(pool)
            lines.extend(pool[: max(0, sentences - len(lines))])
            outlet = f"Outlet {o + 1}"
            text = "\n\n".join(" ".join(lines[k : k + 3]) for k in range(0, len(lines), 3))
            if o > 0 and relays > 0 and relay_rng.random() < relays:
                copied = out[len(out) - 1 - relay_rng.randrange(o)]
                text = copied.text
                if relay_rng.random() < 0.5:
                    text += f"\n\nThis report first appeared in {copied.outlet}."
            out.append(SynthArticle(f"s{s:03d}-o{o:02d}", outlet, s, title, text))
    for k in range(noise):
        # Off-story noise: a story of its own told by one outlet (a later topic, so it only
        # shares a topic with a story of this corpus when more than 40 topics are in play),
        # with a few city-life sentences of NOISE.
        title, facts = _story_facts(rng, stories + k)
        lines = [f.plain for f in facts] + [
            rng.choice(NOISE).format(
                place=rng.choice(PLACES), day=rng.choice(DAYS), n=rng.randrange(1000, 40000)
            )
            for _ in range(3)
        ]
        lines += [_background(rng, stories + k) for _ in range(max(0, sentences - len(lines)))]
        rng.shuffle(lines)
        out.append(SynthArticle(f"noise-{k:03d}", f"Noise {k}", None, title, " ".join(lines)))
    return out


def extracted(article: SynthArticle) -> ExtractedArticle:
    """An ``ExtractedArticle`` with one body claim per sentence (title first, as headline)."""
    text = f"{article.title}\n\n{article.text}"
    spans = split_sentences(text)
    art = Article(id=article.id, origin=f"{article.id}.md", text=text, outlet=article.outlet)
    segments = tuple(
        Segment(index=i, span=span, paragraph=0, language="en", confidence=1.0, is_title=i == 0)
        for i, span in enumerate(spans)
    )
    detected = DetectedArticle(article=art, language="en", shares=(("en", 1.0),), segments=segments)
    identity = Provenance(engine="identity", status="original")
    translated = TranslatedArticle(
        detected=detected,
        pivot_language="en",
        segments=tuple(PivotSegment(s, s.span.of(text), identity) for s in segments),
    )
    claims = tuple(
        Claim(
            id=f"{article.id}#{i}",
            article_id=article.id,
            index=i,
            kind="headline" if i == 0 else "lede" if i == 1 else "body",
            span=span,
            text=span.of(text),
        )
        for i, span in enumerate(spans)
    )
    return ExtractedArticle(translated=translated, claims=claims)


def corpus_articles(
    stories: int, outlets: int, *, noise: int = 0, sentences: int = 30, seed: int = 7
) -> list[ExtractedArticle]:
    return [
        extracted(a)
        for a in generate(stories, outlets, noise=noise, sentences=sentences, seed=seed)
    ]


def write_markdown(articles: list[SynthArticle], folder: Path) -> list[Path]:
    """Write each article as ``<id>.md`` with YAML front matter; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in articles:
        path = folder / f"{a.id}.md"
        path.write_text(
            f'---\noutlet: {a.outlet}\ntitle: "{a.title}"\nlanguage: en\n---\n{a.text}\n',
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def write_jsonl(articles: list[SynthArticle], path: Path) -> Path:
    """Write the articles as one JSONL shard (``id``, ``outlet``, ``title``, ``language``,
    ``text`` per line); returns the path."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            record = {"id": a.id, "outlet": a.outlet, "title": a.title, "language": "en"}
            out.write(json.dumps({**record, "text": a.text}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=3)
    parser.add_argument("--outlets", type=int, default=4)
    parser.add_argument("--noise", type=int, default=1)
    parser.add_argument("--sentences", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--relays", type=float, default=0.0, help="share of relayed outlets")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="a folder of .md files")
    target.add_argument("--jsonl", type=Path, help="one JSONL shard")
    args = parser.parse_args()
    articles = generate(
        args.stories,
        args.outlets,
        noise=args.noise,
        sentences=args.sentences,
        seed=args.seed,
        relays=args.relays,
    )
    if args.jsonl:
        write_jsonl(articles, args.jsonl)
        print(f"wrote {len(articles)} articles to {args.jsonl}")
    else:
        paths = write_markdown(articles, args.out)
        print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
