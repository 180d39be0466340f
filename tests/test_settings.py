"""House rules: fidelity.toml found upward or given, [tool.fidelity] in pyproject.toml, the
FIDELITY_* environment over the file, flags over both, and errors naming file, line and the
allowed values."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.errors import ConfigError
from fidelity.settings import find_settings_file, load_settings

runner = CliRunner()
HOUSE = """\
# house rules of the desk
languages = ["en", "el"]
pivot = "en"
source_outlets = ["Reuters"]
lexicons = ["terms.yaml"]

[gate]
min_severity = "high"
fail_under = 40

[severity]
headline_unsupported = "low"

[thresholds]
"align.accept" = 0.6

[thresholds.score]
min_alignment = 0.5
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_found_upward_and_read_with_origins(tmp_path: Path) -> None:
    config = _write(tmp_path, "fidelity.toml", HOUSE)
    deep = tmp_path / "desk" / "politics"
    deep.mkdir(parents=True)
    assert find_settings_file(deep) == config.resolve()
    settings = load_settings(cwd=deep, environ={})
    assert settings.languages == ("en", "el")
    assert settings.source_outlets == ("Reuters",)
    assert settings.lexicons == (config.resolve().parent / "terms.yaml",)
    assert settings.min_severity == "high" and settings.fail_under == 40.0
    assert settings.severity == {"headline_unsupported": "low"}
    assert settings.thresholds == {"align.accept": 0.6, "score.min_alignment": 0.5}
    assert settings.origin("languages").endswith("fidelity.toml:2")
    assert settings.origin("min_severity").endswith("fidelity.toml:8")
    assert settings.origin("thresholds.align.accept").endswith("fidelity.toml:15")
    assert settings.origin("thresholds.score.min_alignment").endswith("fidelity.toml:18")
    assert settings.origin("detector") == "default"
    run = settings.run_config(jobs=1)
    assert run.extra_thresholds == {"align.accept": 0.6, "score.min_alignment": 0.5}
    assert run.source_outlets == ("Reuters",) and run.languages == ("en", "el")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.fidelity]\npivot = "de"\n')
    settings = load_settings(cwd=tmp_path, environ={})
    assert settings.pivot == "de"
    assert settings.origin("pivot").endswith("pyproject.toml:5")


def test_pyproject_without_the_table_is_not_a_settings_file(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    assert find_settings_file(sub) != (tmp_path / "pyproject.toml").resolve()


def test_environment_overrides_file_and_flags_override_both(tmp_path: Path) -> None:
    config = _write(tmp_path, "fidelity.toml", HOUSE)
    environ = {
        "FIDELITY_MIN_SEVERITY": "low",
        "FIDELITY_PIVOT": "el",
        "FIDELITY_SEVERITY": "omission=high",
        "FIDELITY_THRESHOLDS": "align.accept=0.7",
        "FIDELITY_HOME": "/elsewhere",  # not a setting: ignored
    }
    settings = load_settings(config, environ=environ)
    assert (
        settings.min_severity == "low"
        and settings.origin("min_severity") == "$FIDELITY_MIN_SEVERITY"
    )
    assert settings.pivot == "el"
    assert settings.severity == {"headline_unsupported": "low", "omission": "high"}
    assert settings.thresholds["align.accept"] == 0.7
    flagged = load_settings(config, environ=environ, flags={"min_severity": "medium"})
    assert flagged.min_severity == "medium" and flagged.origin("min_severity") == "--min-severity"


@pytest.mark.parametrize(
    ("text", "line", "allowed"),
    [
        ('pivot = "en"\ncolour = "red"\n', 2, "allowed: languages, pivot"),
        ('[gate]\nmin_severity = "urgent"\n', 2, "allowed: low, medium, high"),
        ("[gate]\nfail_under = 300\n", 2, "allowed: 0 to 100"),
        ("[gate]\nmax = 3\n", 2, "allowed: gate.min_severity, gate.fail_under"),
        ('\n[severity]\nheadline_unsupported = "warning"\n', 3, "allowed: low, medium, high"),
        ('[severity]\nheadlines = "low"\n', 2, "allowed: quote_altered"),
        ('[thresholds]\n"align.nope" = 1\n', 2, "allowed: align.accept"),
        ('[thresholds]\n"align.accept" = "high"\n', 2, "allowed: a number"),
        ('languages = ["english"]\n', 1, "allowed: ISO 639-1"),
        ('embedder = "bert"\n', 1, "allowed: minilm, none"),
    ],
)
def test_bad_key_or_value_names_file_line_and_allowed(
    tmp_path: Path, text: str, line: int, allowed: str
) -> None:
    config = _write(tmp_path, "fidelity.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    message = str(caught.value)
    assert f"fidelity.toml:{line}:" in message
    assert allowed in message


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"FIDELITY_MIN_SEVERITY": "urgent"}, "$FIDELITY_MIN_SEVERITY"),
        ({"FIDELITY_FAIL_UNDER": "lots"}, "$FIDELITY_FAIL_UNDER"),
        ({"FIDELITY_SEVERITY": "omission"}, "$FIDELITY_SEVERITY"),
        ({"FIDELITY_THRESHOLDS": "align.nope=1"}, "$FIDELITY_THRESHOLDS"),
    ],
)
def test_bad_environment_names_the_variable(
    tmp_path: Path, environ: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=named.replace("$", r"\$")):
        load_settings(cwd=tmp_path, environ=environ)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(_write(tmp_path, "fidelity.toml", "pivot = \n"), environ={})
    with pytest.raises(ConfigError, match="no such settings file"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_config_show_and_bad_config_exit_2(tmp_path: Path) -> None:
    config = _write(tmp_path, "fidelity.toml", HOUSE)
    shown = runner.invoke(app, ["config", "show", "--config", str(config)])
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.stdout.splitlines() if line.startswith("gate.min_severity"))
    assert "high" in row and "fidelity.toml:8" in row
    assert any(
        line.startswith("detector") and "default" in line for line in shown.stdout.splitlines()
    )
    thresholds = [line for line in shown.stdout.splitlines() if line.startswith("thresholds.")]
    assert any("align.accept" in line and "fidelity.toml:15" in line for line in thresholds)
    assert any(
        line.startswith("thresholds.score.") and line.endswith("default") for line in thresholds
    )
    bad = _write(tmp_path, "bad.toml", "[severity]\nomission = 'urgent'\n")
    failed = runner.invoke(app, ["config", "show", "--config", str(bad)])
    assert failed.exit_code == 2
    assert "bad.toml:2" in failed.output and "allowed: low, medium, high" in failed.output


SOURCE = (
    "---\noutlet: Wire\ntitle: Central bank raises rates\nrole: source\n---\n"
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
)
DRAFT = (
    "---\noutlet: Tabloid\ntitle: Central bank raises rates\n---\n"
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)


def test_check_follows_house_severity_then_env_then_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "source.md", SOURCE)
    _write(tmp_path, "draft.md", DRAFT)
    config = _write(tmp_path, "fidelity.toml", '[severity]\nnumber_changed = "low"\n')
    args = [
        "check",
        str(tmp_path / "draft.md"),
        "--source",
        str(tmp_path / "source.md"),
        "--embedder",
        "none",
        "--no-cache",
        "-j",
        "1",
        "--config",
        str(config),
        "-f",
        "json",
    ]
    assert runner.invoke(app, args).exit_code == 0  # number changes only warn on this desk
    monkeypatch.setenv("FIDELITY_MIN_SEVERITY", "low")
    assert runner.invoke(app, args).exit_code == 1  # the environment makes the gate stricter
    assert runner.invoke(app, [*args, "--min-severity", "high"]).exit_code == 0  # the flag wins


def test_compare_treats_house_source_outlets_as_sources(tmp_path: Path) -> None:
    import json

    _write(tmp_path, "wire.md", SOURCE.replace("role: source\n", "").replace("Wire", "Reuters"))
    _write(tmp_path, "draft.md", DRAFT)
    config = _write(tmp_path, "fidelity.toml", 'source_outlets = ["reuters"]\n')
    args = ["compare", str(tmp_path / "wire.md"), str(tmp_path / "draft.md"), "--one-story",
            "--embedder", "none", "--no-cache", "-j", "1", "-f", "json"]  # fmt: skip
    plain = json.loads(runner.invoke(app, args).stdout)
    assert {a["outlet"]: a["role"] for a in plain["articles"]}["Reuters"] is None
    ruled = json.loads(runner.invoke(app, [*args, "--config", str(config)]).stdout)
    assert {a["outlet"]: a["role"] for a in ruled["articles"]}["Reuters"] == "source"
    flagged = json.loads(runner.invoke(app, [*args, "--source-outlet", "Reuters"]).stdout)
    assert {a["outlet"]: a["role"] for a in flagged["articles"]}["Reuters"] == "source"
