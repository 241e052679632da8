"""Who may do what with people's records and referrals (which ones they reach is in the
QuerySets: `Beneficiary.objects.visible_to`, `erasable_by`, `Referral.objects.actionable_by`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import manages_territory, works_with_people


@action(_("Voir et suivre les personnes accompagnées (dossier, consentements, import, export)"))
def can_see_people(user: Any) -> bool:
    """Everyone who accompanies people; funders see figures only."""
    return works_with_people(user)


@action(_("Recevoir, traiter et envoyer des orientations, partager un lien d'orientation"))
def can_see_referrals(user: Any) -> bool:
    return works_with_people(user)


@action(_("Voir les personnes à anonymiser et effacer les données d'une personne"))
def can_manage_people(user: Any) -> bool:
    """Managers see who is due for anonymisation and answer erasure requests."""
    return manages_territory(user)
