"""The Chinese catalogue is complete: every string the portal shows has its translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_entry_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.percent_translated() == 100


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            for placeholder in ("%(", "{"):
                wanted = sorted(part.split(")")[0] for part in entry.msgid.split(placeholder)[1:])
                if placeholder == "%(":
                    found = sorted(part.split(")")[0] for part in translation.split(placeholder)[1:])
                    assert found == wanted, entry.msgid


def test_the_catalogue_covers_the_code(tmp_path):
    """makemessages over a copy of the code finds no msgid that the catalogue lacks."""
    for name in SOURCE_FOLDERS:
        skip = shutil.ignore_patterns("node_modules", "__pycache__")
        shutil.copytree(ROOT / name, tmp_path / name, ignore=skip)
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "PORTAL_VAR_DIR": str(tmp_path / "var"),
           "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v", "0"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert len(extracted) > 100  # the extraction really read the code
    known = {entry.msgid for entry in polib.pofile(str(CATALOGUE))}
    assert sorted(entry.msgid for entry in extracted if entry.msgid not in known) == []


SOURCE_FOLDERS = ["common", "portal", "agencies", "issues", "search", "notifications", "demo", "frontend"]
