"""The English catalogue is complete and its compiled file is up to date (run `make messages`
after changing French strings)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def _unquote(lines: str) -> str:
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines))
    return re.sub(r"\\(.)", lambda m: {"n": "\n", '"': '"', "\\": "\\", "t": "\t"}[m.group(1)], raw)


def _entries() -> list[tuple[str, list[str]]]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        strings = [
            _unquote(m) for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        ]
        entries.append((_unquote(msgid.group(1)), strings))
    return entries


def test_every_french_string_has_an_english_translation() -> None:
    entries = _entries()
    assert len(entries) > 300
    untranslated = [msgid for msgid, strings in entries if not all(strings)]
    assert not untranslated, untranslated[:5]
    assert (
        "#, fuzzy" not in (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[1]
    )


def test_the_compiled_catalogue_matches_the_source() -> None:
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, strings in _entries():
        if len(strings) == 1:
            assert compiled.gettext(msgid) == strings[0], msgid


def test_every_french_string_of_the_source_is_in_the_catalogue(settings, tmp_path) -> None:
    """Extract the strings again, from a copy of the sources into a copy of the catalogue: none
    may be new or fuzzy, so a string added without `make messages` fails here."""
    import os
    import shutil

    from django.core.management import call_command

    base = Path(settings.BASE_DIR)
    for folder in ("config", "maillage", "templates", "locale"):
        shutil.copytree(
            base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("data", "*.pyc")
        )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = (tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [
        block.splitlines()[-2:]
        for block in fresh.split("\n\n")[1:]
        if "#, fuzzy" in block or re.search(r'^msgstr(?:\[\d\])? ""\Z', block.strip(), re.M)
    ]
    assert not missing, f"Run `make messages` and translate: {missing[:5]}"
