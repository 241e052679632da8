"""The English catalogue is complete and its compiled file is up to date (run `make messages`
after changing French strings)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

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


def _public_msgids(tmp_path: Path, settings: Any) -> set[str]:
    """The strings of the public's sources (`maillage.public.languages`), extracted afresh."""
    import os
    import shutil

    from django.core.management import call_command

    from maillage.public.languages import PUBLIC_SOURCES

    base = Path(settings.BASE_DIR)
    for source in PUBLIC_SOURCES:
        target = tmp_path / source
        target.parent.mkdir(parents=True, exist_ok=True)
        if (base / source).is_dir():
            shutil.copytree(base / source, target)
        else:
            shutil.copy(base / source, target)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["uk"], verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = (tmp_path / "locale" / "uk" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return {
        _unquote(match)
        for match in re.findall(r'^msgid ((?:".*"\n?)+)', fresh.split("\n\n", 1)[1], re.M)
    }


def test_every_public_string_is_translated_in_each_language_of_the_public(
    settings: Any, tmp_path: Path
) -> None:
    """The public pages, the booking and call-back forms and the booking messages read in
    French, English, Ukrainian and Arabic: no string of theirs may lack a translation."""
    from maillage.public.languages import PUBLIC_LANGUAGES

    wanted = _public_msgids(tmp_path, settings)
    assert len(wanted) > 200
    for language in PUBLIC_LANGUAGES:
        missing = sorted(wanted - translated_in(language))
        assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


def translated_in(language: str) -> set[str]:
    """The French strings the compiled catalogue of `language` translates."""
    folder = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return {
        (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]
        for key, value in catalogue.items()
        if value
    }
