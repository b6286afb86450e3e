"""The architecture is a contract (DESIGN §3, pyproject.toml's [tool.importlinter]): apps depend
downward only (common → agencies → notifications → issues → search → portal), so do the rooms of
search (harvest and ingest above investigate above index), and the modules of an app import one
another without cycles. Import Linter reads every import statement, those inside functions too,
so a cycle cannot be dodged by importing late."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(config: Path) -> subprocess.CompletedProcess:
    # In a process of its own: grimp imports nothing, but the test process has Django and its
    # libraries loaded, which confused import-linter's own start-up.
    return subprocess.run([LINT_IMPORTS, "--config", str(config), "--no-cache", "--no-logo"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr


def lint_with_probe(module: str, source: str) -> subprocess.CompletedProcess:
    """The contracts checked with one more module in the tree, gone again afterwards."""
    probe = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    probe.write_text(source, encoding="utf-8")
    try:
        return lint_imports(ROOT / "pyproject.toml")
    finally:
        probe.unlink()


def test_an_upward_import_breaks_them():
    """The contract is not vacuous: a department-level app importing the board is caught, even
    from inside a function."""
    result = lint_with_probe("agencies._upward_import_probe",
                             "def late():\n    from issues import models  # noqa: F401\n")
    assert result.returncode == 1
    assert "agencies._upward_import_probe -> issues.models" in result.stdout


def test_a_product_import_of_the_demo_breaks_them():
    """The demo stays apart: product code importing it is caught, from inside a function too."""
    result = lint_with_probe("search._demo_import_probe",
                             "def late():\n    from demo import city  # noqa: F401\n")
    assert result.returncode == 1
    assert "search._demo_import_probe -> demo.city" in result.stdout


@pytest.mark.parametrize(("probe", "source", "caught"), [
    # The rooms of search depend downward: the index importing the permissions is caught.
    ("search.index._upward_import_probe", "def late():\n    from search.investigate import permissions\n",
     "search.investigate.permissions"),
    # The harvest and ingestion sit side by side and import nothing of each other.
    ("search.harvest._sideways_import_probe", "from search.ingest import storage\n", "search.ingest.storage"),
], ids=["upward", "sideways"])
def test_the_rooms_of_search_depend_downward_only(probe, source, caught):
    result = lint_with_probe(probe, source)
    assert result.returncode == 1
    assert f"{probe} -> {caught}" in result.stdout
