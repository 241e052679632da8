from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "maillage.learning"
    label = "learning"
    verbose_name = _("Accompagnement")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.core.perms import STAFF_ROLES, Role, scope_of
        from maillage.learning import person
        from maillage.people import registry
        from maillage.people.perms import can_see_people

        register(
            NavItem(
                pillar="accompagner",
                label=_("Parcours"),
                url_name="learning:cohort_list",
                visible=can_see_people,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Catalogue"),
                url_name="learning:course_list",
                visible=can_see_people,
                order=1,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Ateliers"),
                url_name="learning:workshop_list",
                visible=can_see_people,
                order=2,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Permanences"),
                url_name="learning:drop_in_list",
                visible=can_see_people,
                order=3,
            )
        )
        register(
            NavItem(
                pillar="accompagner",
                label=_("Mon agenda"),
                url_name="learning:agenda",
                visible=lambda user: scope_of(user).has_role(*STAFF_ROLES, Role.RELAY_REFERENT),
                order=-1,
            )
        )
        registry.register(
            registry.PersonData(
                key="learning",
                section=person.section,
                export=person.export,
                erase=person.erase,
                order=1,
            )
        )
