"""``fidelity models``: list, install, remove and (on request only) download translation packages.

Mounted by the main CLI with ``app.add_typer(models_app, name="models")``. It parses options,
calls ``fidelity.translate.packages`` and prints; a ``FidelityError`` exits with its code (2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fidelity.errors import FidelityError

models_app = typer.Typer(
    name="models",
    help="Manage offline translation packages (argostranslate .argosmodel files).",
    no_args_is_help=True,
    add_completion=False,
)

DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        help="Packages folder (default: argos-packages under FIDELITY_HOME or the XDG data dir).",
        file_okay=False,
    ),
]


def _console(err: bool = False) -> Console:
    return Console(stderr=err, highlight=False, soft_wrap=True)


def _fail(exc: FidelityError) -> typer.Exit:
    _console(err=True).print(f"[bold red]error:[/] {exc}", markup=True)
    return typer.Exit(code=exc.exit_code)


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


@models_app.command("list")
def list_command(packages_dir: DirOption = None) -> None:
    """List installed translation packages (pair, version, size, sentence splitter) and any
    broken package folders with the reason and the fix."""
    from fidelity.paths import argos_packages_dir
    from fidelity.translate.packages import scan_packages

    try:
        installed, broken = scan_packages(packages_dir)
    except FidelityError as exc:
        raise _fail(exc) from exc
    console = _console()
    folder = packages_dir if packages_dir is not None else argos_packages_dir()
    if not installed:
        working = " working" if broken else ""
        console.print(
            f"No{working} translation packages installed in {folder}.\n"
            "Install one with `fidelity models install translate-el_en.argosmodel`."
        )
    else:
        table = Table(title=f"Translation packages in {folder}")
        for column in ("pair", "package", "version", "size", "splitter"):
            table.add_column(column)
        for pkg in installed:
            splitter = pkg.splitter if pkg.splitter != "fidelity" else "fidelity (fallback)"
            table.add_row(pkg.pair, pkg.package_id, pkg.version, _size(pkg.size_bytes), splitter)
        console.print(table)
    from fidelity.judge.info import shipped_judge

    judge = shipped_judge()
    if judge is None:
        console.print("\nConsistency judge: no classifier in the package (fidelity/judge/weights).")
    else:
        console.print(
            "\nConsistency judge: word-alignment features + boosted trees "
            f"({_size(judge.size_bytes)} classifier), "
            f"{judge.signature} (fidelity/judge/MODEL_CARD.md)",
            markup=False,
        )
    if broken:
        console.print("\nBroken package folders (not used for translation):")
        for item in broken:
            pair = f" ({item.pair})" if item.pair else ""
            console.print(f"  {item.path.name}{pair}: {item.reason}", markup=False)
            console.print(f"    fix: {item.fix}", markup=False)


@models_app.command("install")
def install_command(
    archive: Annotated[Path, typer.Argument(help="A .argosmodel file.", dir_okay=False)],
    packages_dir: DirOption = None,
) -> None:
    """Validate a .argosmodel archive and install it (replaces a package for the same pair)."""
    from fidelity.translate.packages import install_package

    try:
        pkg = install_package(archive, packages_dir)
    except FidelityError as exc:
        raise _fail(exc) from exc
    _console().print(f"installed {pkg.pair} ({pkg.label}, {_size(pkg.size_bytes)}) in {pkg.path}")


@models_app.command("remove")
def remove_command(
    pair: Annotated[
        str, typer.Argument(help="Language pair, e.g. el-en, or a package folder's name.")
    ],
    packages_dir: DirOption = None,
) -> None:
    """Remove the installed package for a language pair (or a broken package folder by name)."""
    from fidelity.translate.packages import InstalledPackage, remove_package

    try:
        pkg = remove_package(pair, packages_dir)
    except FidelityError as exc:
        raise _fail(exc) from exc
    if isinstance(pkg, InstalledPackage):
        _console().print(f"removed {pkg.pair} ({pkg.label})")
    else:
        _console().print(f"removed the broken package folder {pkg.path.name}")


@models_app.command("download")
def download_command(
    lang: Annotated[str, typer.Argument(help="Source language code, e.g. el.")],
    pivot: Annotated[str, typer.Option(help="Target (pivot) language.")] = "en",
    timeout: Annotated[float, typer.Option(help="Network timeout in seconds.")] = 5.0,
    index_url: Annotated[
        str | None, typer.Option(help="Package index (JSON) to use instead of argos's.")
    ] = None,
    packages_dir: DirOption = None,
) -> None:
    """Download and install a package from the argos index (the only command using the network)."""
    from fidelity.translate.packages import ARGOS_INDEX_URL, download_package

    try:
        pkg = download_package(
            lang,
            pivot=pivot,
            packages_dir=packages_dir,
            index_url=index_url or ARGOS_INDEX_URL,
            timeout=timeout,
        )
    except FidelityError as exc:
        raise _fail(exc) from exc
    _console().print(f"downloaded and installed {pkg.pair} ({pkg.label}) in {pkg.path}")
