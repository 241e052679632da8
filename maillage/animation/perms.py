"""Who may do what in the network's own life: calls for applications, coaching, trainings of
referents, teaching kits, information meetings. Which records each person reaches is in the
QuerySets."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import is_network_staff, manages_territory, scope_of, works_with_people
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.network.perms import may_move


@action(_("Suivre les appels à candidatures et leurs candidatures"))
def can_follow_calls(user: Any) -> bool:
    return is_network_staff(user)


@action(_("Lancer un appel à candidatures, présélectionner, tenir le comité de sélection"))
def can_run_calls(user: Any) -> bool:
    return manages_territory(user)


@action(_("Lire les plans d'accompagnement des structures (référent·e : celui de sa structure)"))
def can_see_coaching(user: Any) -> bool:
    return works_with_people(user)


@action(_("Accompagner une structure : plan, actions, suivi, comité de clôture"))
def can_coach(user: Any) -> bool:
    return is_network_staff(user)


def may_start_coaching(user: Any, structure: Structure) -> bool:
    """Staff who may move the structure along its journey open its coaching."""
    return can_coach(user) and may_move(user, structure)


@action(_("Voir les formations des référents et s'y inscrire"))
def can_see_trainings(user: Any) -> bool:
    return works_with_people(user)


@action(_("Organiser une session de formation, inscrire des référents, noter les présences"))
def can_organise_trainings(user: Any) -> bool:
    return is_network_staff(user)


@action(
    _(
        "Utiliser les ressources pédagogiques (référent·e : si sa structure est accompagnée ou "
        "Relais Numérique)"
    )
)
def may_use_resources(user: Any) -> bool:
    """The role's part of `can_use_resources`."""
    return works_with_people(user)


def can_use_resources(user: Any) -> bool:
    """Staff, and the referents of structures in coaching or already relays."""
    if is_network_staff(user):
        return True
    return may_use_resources(user) and (
        Structure.objects.filter(
            pk__in=scope_of(user).structure_ids,
            relay_status__in=[RelayStatus.IN_COACHING, RelayStatus.RELAY],
        ).exists()
    )


@action(_("Ajouter, modifier et partager les ressources pédagogiques"))
def can_manage_resources(user: Any) -> bool:
    return manages_territory(user)


@action(_("Annoncer les réunions d'information et noter les présences"))
def can_organise_meetings(user: Any) -> bool:
    return is_network_staff(user)
