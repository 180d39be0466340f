"""The thresholds and weights of the align stage, recorded in every result's signature."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """Thresholds of story grouping, claim alignment and clustering.

    A claim pair's confidence is ``sigmoid(bias + w_cosine*cos + w_fuzzy*fuzzy + w_anchor*anchor
    + w_quote*quote)`` with one set of weights per evidence mode: with embeddings, without
    (``*_lexical``), and anchors only (either claim untranslated, ``*_anchor_only``). ``fuzzy``
    is 0..1 here; ``anchor`` is ``1 - exp(-anchor_gain * shared)`` where ``shared`` sums the
    squared, normalised inverse claim frequency of each shared quantity, number, name and
    quoted string, so "Ukraine" in a Ukraine story counts for little and "72 hours" for much.
    """

    # --- claim alignment
    accept: float = 0.5  # minimum confidence of an alignment
    margin: float = 0.15  # a pair must be within this of the best match on one of its sides
    w_cosine: float = 12.0
    w_fuzzy: float = 2.0
    w_anchor: float = 3.0
    w_quote: float = 3.0
    bias: float = -10.0
    w_fuzzy_lexical: float = 10.0
    w_anchor_lexical: float = 1.5
    w_quote_lexical: float = 3.0
    bias_lexical: float = -6.75
    w_anchor_anchor_only: float = 7.0
    bias_anchor_only: float = -4.2
    anchor_gain: float = 2.0
    # --- quotes: rapidfuzz scores 0..100 on normalised quoted words
    quote_verbatim: float = 97.0  # ratio at or above: verbatim
    quote_trimmed: float = 95.0  # partial ratio at or above (shorter inside longer): trimmed
    quote_altered: float = 72.0  # best of ratio / token-set ratio at or above: altered
    quote_paraphrase_cosine: float = 0.6  # quote embeddings at or above: paraphrased-as-quote
    # --- story grouping
    story_claim_accept: float = 0.5  # confidence at which a claim counts as found elsewhere
    story_link: float = 0.27  # mean link of two groups' compared document pairs, to merge
    story_brief_ratio: float = 0.5  # a document this much shorter links by its own share
    story_neighbours: int = 25  # documents compared with each document (nearest first)
    # documents published more than this many days apart link by their share of facts
    # times story_days / gap: a later event recaps an earlier one (a poll, then the result)
    story_days: float = 2.0
    # --- a story of more than ``panel_above`` articles is aligned against a panel of
    # ``panel_size`` of them (its sources, then its medoids), not every pair of outlets
    panel_above: int = 24
    panel_size: int = 16
    # --- clusters
    cluster_link: float = 0.3  # mean confidence between two groups to join into one cluster

    def as_dict(self) -> dict[str, float]:
        """The settings as ``{"align.<name>": value}`` for a result's signature."""
        return {f"align.{k}": float(v) for k, v in asdict(self).items()}
