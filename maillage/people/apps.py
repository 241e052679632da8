from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "maillage.people"
    label = "people"
    verbose_name = _("Personnes accompagnées")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.people import importer, retention
        from maillage.people.perms import can_see_people, can_see_referrals

        retention.register("people.imports", importer.forget_old_imports)

        register(
            NavItem(
                pillar="orienter",
                label=_("Orientations reçues"),
                url_name="people:referral_inbox",
                visible=can_see_referrals,
            )
        )
        register(
            NavItem(
                pillar="orienter",
                label=_("Personnes"),
                url_name="people:beneficiary_list",
                visible=can_see_people,
                order=1,
            )
        )
