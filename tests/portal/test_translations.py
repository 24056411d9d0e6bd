"""The Chinese catalogue covers every user-facing string of the code and templates."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = ["manage.py", "core", "audit", "portal", "organizations", "standards", "applications",
           "review", "evaluation", "notices", "designations", "reinspections", "templates",
           "locale", "fixtures"]  # fmt: skip


def test_every_string_is_translated_to_chinese(tmp_path):
    # Extract afresh from a copy of the sources, so a string added without its
    # translation fails here rather than showing up in English.
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    catalogue = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert untranslated == "", untranslated
    assert fuzzy == "", fuzzy
