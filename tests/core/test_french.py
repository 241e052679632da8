"""French as it is written."""

from __future__ import annotations

import pytest

from maillage.core.french import de


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Reims", "de Reims"),
        ("Épernay", "d'Épernay"),
        ("Orléans", "d'Orléans"),
        ("Yvetot", "d'Yvetot"),
        ("Le Mans", "du Mans"),
        ("Les Mureaux", "des Mureaux"),
        ("La Rochelle", "de La Rochelle"),
        ("Haubourdin", "de Haubourdin"),
    ],
)
def test_de_is_elided_before_a_vowel_and_contracted_with_the_article(
    name: str, written: str
) -> None:
    assert de(name) == written
