from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# La Poste's establishments do not follow the Luhn rule; their SIRET digits sum to a multiple of 5.
_LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    return "".join(value.split())


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError(
            _("Un numéro SIRET compte 14 chiffres (par exemple 123 456 789 00012)."),
            code="siret_format",
        )
    if siret.startswith(_LA_POSTE_SIREN):
        valid = sum(int(c) for c in siret) % 5 == 0
    else:
        valid = luhn_valid(siret)
    if not valid:
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez les chiffres saisis."),
            code="siret_checksum",
        )
