"""One list of finding categories: the ``Category`` enum, which the detectors declare, the JSON
schema's ``enum`` and SCHEMA.md's table are written from it and must agree with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fidelity.judge.gate import MEANING_CHANGED
from fidelity.report import schema
from fidelity.score import CATEGORIES, Category, Severity
from fidelity.score.base import category_table
from fidelity.score.detectors import ARTICLE_DETECTORS, PAIR_DETECTORS

SCHEMA_MD = Path(__file__).parents[1] / "fidelity" / "report" / "SCHEMA.md"


def test_the_schema_enum_is_the_category_list() -> None:
    finding: Any = schema()["$defs"]["finding"]["properties"]  # type: ignore[index]
    assert finding["category"]["enum"] == list(CATEGORIES) == [c.value for c in Category]
    assert finding["severity"]["enum"] == [s.value for s in Severity]


def test_schema_md_holds_the_category_table() -> None:
    text = SCHEMA_MD.read_text("utf-8")
    block = re.search(r"<!-- categories: begin -->\n(.*?)\n<!-- categories: end -->", text, re.S)
    assert block is not None
    assert block.group(1) == category_table(), (
        "SCHEMA.md's category table is out of date; replace it with "
        "fidelity.score.base.category_table()"
    )


def test_every_category_has_a_detector_or_is_the_judges() -> None:
    declared = {c for d in PAIR_DETECTORS.values() for c in d.categories}
    declared |= {c for d in ARTICLE_DETECTORS.values() for c in d.categories}
    assert declared | {Category(MEANING_CHANGED)} == set(Category)
    assert Category(MEANING_CHANGED) not in declared
