"""The layering of the apps (pyproject.toml, [tool.importlinter]) holds, and it bites."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "audit",
    "organizations",
    "standards",
    "applications",
    "review",
    "evaluation",
    "notices",
    "designations",
    "portal",
)
LINT = str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT, "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def test_no_app_imports_an_app_above_it():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("app", "imported"),
    [
        # The quota's count of titles read by importing designations from evaluation.
        ("evaluation", "designations.models"),
        # The public notice asking the register for the office's predicate.
        ("notices", "designations.permissions"),
        # Counting working days from evaluation: the calendar sits above it.
        ("evaluation", "notices.holidays"),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, app, imported):
    for name in APPS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / app / "probe.py").write_text(f"import {imported}\n")
    result = subprocess.run(
        [LINT, "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{app}.probe -> {imported}" in result.stdout
