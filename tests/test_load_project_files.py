"""Project files (README, LICENSE, CHANGELOG ...) in a corpus folder are not articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.errors import InputError
from fidelity.load import load_corpus
from fidelity.load.files import is_project_file

ARTICLE = "Officials said on Monday that the bridge would reopen in May after repairs.\n"


@pytest.mark.parametrize(
    ("name", "project"),
    [
        ("README.md", True),
        ("readme.txt", True),
        ("ReadMe.de.md", True),
        ("LICENSE.txt", True),
        ("LICENCE.md", True),
        ("CHANGELOG.md", True),
        ("CODE_OF_CONDUCT.md", True),
        ("code-of-conduct.md", True),
        ("CONTRIBUTING.md", True),
        ("AUTHORS.txt", True),
        ("readme-notes.md", False),
        ("licensed-goods.md", False),
        ("reuters.md", False),
        ("news.md", False),
        ("history.txt", False),
    ],
)
def test_project_file_rule(name: str, project: bool) -> None:
    assert is_project_file(Path(name)) is project


def test_folder_skips_project_files_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "wire.md").write_text(ARTICLE, "utf-8")
    (tmp_path / "paper.txt").write_text(ARTICLE.replace("May", "June"), "utf-8")
    (tmp_path / "README.md").write_text("# My corpus\n\nThese files come from ...\n", "utf-8")
    (tmp_path / "LICENSE").write_text("MIT License\n", "utf-8")  # no suffix: never a candidate
    (tmp_path / "CHANGELOG.md").write_text("## 1.0\n- added wire.md\n", "utf-8")
    corpus = load_corpus([tmp_path])
    assert sorted(Path(a.origin).name for a in corpus.articles) == ["paper.txt", "wire.md"]
    notes = {Path(s.origin).name: s.reason for s in corpus.skipped}
    assert set(notes) == {"README.md", "CHANGELOG.md"}
    assert "not an article" in notes["README.md"]
    assert "name the file itself" in notes["README.md"]


def test_named_project_file_is_read(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(ARTICLE, "utf-8")
    corpus = load_corpus([readme])
    assert [Path(a.origin).name for a in corpus.articles] == ["README.md"]
    assert corpus.skipped == ()


def test_folder_of_only_project_files_says_why(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(ARTICLE, "utf-8")
    with pytest.raises(InputError, match="not an article"):
        load_corpus([tmp_path])
