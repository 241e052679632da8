from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "maillage.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.core.perms import scope_of

        register(
            NavItem(
                pillar="mesurer",
                label=_("Programmes"),
                url_name="programmes:programme_list",
                visible=lambda user: not scope_of(user).is_empty,
            )
        )
