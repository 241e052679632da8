"""French as it is written: « CCAS d'Épernay », « Mairie du Mans »."""

from __future__ import annotations

import unicodedata

_VOWELS = set("aeiouy")


def de(name: str) -> str:
    """« de » before a place's name, elided before a vowel and contracted with « Le » and
    « Les » (an initial h is left alone: aspirated or not, that is the name's own)."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    first = unicodedata.normalize("NFD", name[:1])[:1].lower()
    return f"d'{name}" if first in _VOWELS else f"de {name}"
