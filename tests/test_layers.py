"""The layering of the apps (pyproject.toml, [tool.importlinter]) holds, and it bites."""

import re
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
    "reinspections",
    "portal",
)
LINT = str(Path(sys.executable).with_name("lint-imports"))
# The reasons an import may stay inside a function (pyproject.toml, [tool.ruff.lint], PLC0415).
INLINE_IMPORT_REASONS = ("heavy", "ready", "settings")
NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)(?P<rest>.*)$")


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


def inline_import_problem(line: str) -> str | None:
    """What is wrong with the line's ``# noqa: PLC0415``: no reason, or one outside the list
    (an import cycle is not one); ``None`` when it is right or absent."""
    match = NOQA.search(line)
    if not match or "PLC0415" not in re.split(r"[,\s]+", match["codes"]):
        return None
    reason = match["rest"].strip().partition(" ")[0]
    if reason not in INLINE_IMPORT_REASONS:
        return f"reason {reason!r} is not one of {', '.join(INLINE_IMPORT_REASONS)}"
    return None


@pytest.mark.parametrize(
    ("line", "wrong"),
    [
        ("    from weasyprint import HTML  # noqa: PLC0415 heavy", False),
        ("    from . import signals  # noqa: F401, PLC0415 ready (the audit trail)", False),
        ("    from .models import User  # noqa: F401", False),
        ("    from .models import User  # noqa: PLC0415", True),
        ("    from .models import User  # noqa: PLC0415 lazy", True),
        ("    from .models import User  # noqa: F401,PLC0415", True),
        ("    from .tasks import run  # noqa: PLC0415 cycle", True),
        ("    from .tasks import run  # noqa: PLC0415 cycle (app.tasks imports .jobs)", True),
    ],
)
def test_the_inline_import_reason_check_bites(line, wrong):
    assert (inline_import_problem(line) is not None) is wrong


def test_every_inline_import_says_why_from_the_list():
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", "node_modules"} or "migrations" in parts:
            continue
        if any(part.startswith(".") for part in parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            problem = inline_import_problem(line)
            if problem:
                problems.append(f"{path.relative_to(ROOT)}:{number}: {problem}")
    assert not problems, "\n".join(problems)
