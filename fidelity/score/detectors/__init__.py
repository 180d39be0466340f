"""The detectors, in the order they run: a finding family per entry, name -> detector with
its default thresholds. Adding a detector is one line here (and its module)."""

from __future__ import annotations

from collections.abc import Mapping

from fidelity.score.base import ArticleDetector, PairDetector
from fidelity.score.detectors.attribution import AttributionDetector
from fidelity.score.detectors.certainty import CertaintyDetector
from fidelity.score.detectors.entities import EntityDetector
from fidelity.score.detectors.framing import FramingDetector, LoadedWordingDetector
from fidelity.score.detectors.headline import HeadlineDetector
from fidelity.score.detectors.numbers import NewFigureDetector, NumberDetector
from fidelity.score.detectors.omission import (
    DroppedClauseDetector,
    DroppedQualifierDetector,
    OmittedCaveatDetector,
)
from fidelity.score.detectors.polarity import OtherSentenceDetector, PolarityDetector
from fidelity.score.detectors.quotes import QuoteDetector, StatementQuoteDetector
from fidelity.score.detectors.times import TimeDetector
from fidelity.score.detectors.unsupported import UnsupportedDetector

# One derived claim against one counterpart. The order is the order of evidence: the first
# divergence of a category found for a claim is the one reported.
PAIR_DETECTORS: Mapping[str, PairDetector] = {
    d.name: d
    for d in (
        QuoteDetector(),
        NumberDetector(),
        TimeDetector(),
        AttributionDetector(),
        PolarityDetector(),
        CertaintyDetector(),
        EntityDetector(),
        FramingDetector(),
        DroppedClauseDetector(),
        DroppedQualifierDetector(),
    )
}

# A derived article against its references.
ARTICLE_DETECTORS: Mapping[str, ArticleDetector] = {
    d.name: d
    for d in (
        HeadlineDetector(),
        UnsupportedDetector(),
        StatementQuoteDetector(),
        NewFigureDetector(),
        OmittedCaveatDetector(),
        LoadedWordingDetector(),
        OtherSentenceDetector(),
    )
}

__all__ = ["ARTICLE_DETECTORS", "PAIR_DETECTORS"]
