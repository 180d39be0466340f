"""Consensus: a divergence counts when more than a share of the counterparts disagree; against
a panel, each panel counterpart counts the outlets it stands for."""

from __future__ import annotations

import pytest

from fidelity.score.base import Category, Divergence, Severity
from fidelity.score.engine import agree
from fidelity.types import Claim, Span


def claim(ident: str, text: str) -> Claim:
    return Claim(
        id=ident,
        article_id=ident.split("#", maxsplit=1)[0],
        index=0,
        kind="body",
        span=Span(0, len(text)),
        text=text,
    )


DERIVED = claim("d#0", '"We have no choice but to act now," Moreau said.')


def differs(ref: str) -> list[Divergence]:
    return [
        Divergence(
            Category.QUOTE_ALTERED,
            Severity.MEDIUM,
            "the quote differs",
            DERIVED,
            claim(f"{ref}#0", '"We have no choice," Moreau said.'),
        )
    ]


# three counterparts: the first two disagree, the third agrees
PER_REF = [differs("a"), differs("b"), []]


@pytest.mark.parametrize(
    ("weights", "kept"),
    [
        (None, True),  # 2 of 3 outlets disagree
        ([1.0, 1.0, 1.0], True),
        ([1.0, 1.0, 10.0], False),  # the agreeing counterpart stands for ten outlets
        ([5.0, 5.0, 1.0], True),
    ],
)
def test_weights_decide_the_consensus(weights: list[float] | None, kept: bool) -> None:
    found = agree(PER_REF, strict=False, fraction=0.5, weights=weights)
    assert bool(found) is kept
    assert len(found) <= 1, "one piece of evidence per category"


def test_against_sources_weights_do_not_matter() -> None:
    assert agree(PER_REF, strict=True, fraction=0.5, weights=[1.0, 1.0, 10.0]) == []
    assert agree(PER_REF[:2], strict=True, fraction=0.5, weights=[1.0, 9.0]) != []
