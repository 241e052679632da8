from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    name = "maillage.stock"
    label = "stock"
    verbose_name = _("Équipement et connexion")

    def ready(self) -> None:
        from maillage.core.navigation import NavItem, register
        from maillage.learning.pages import COHORT_PAGE
        from maillage.people import registry
        from maillage.stock import fleet, person
        from maillage.stock.perms import can_refurbish, can_see_stock

        for pillar, label, url_name, visible, order in [
            ("equiper", _("Stocks"), "stock:place_list", can_see_stock, 0),
            ("equiper", _("Équipements"), "stock:device_list", can_see_stock, 1),
            ("equiper", _("Dons"), "stock:donation_list", can_refurbish, 2),
            ("equiper", _("Flotte de prêt"), "stock:fleet_list", can_refurbish, 3),
            ("connecter", _("Comptoir"), "stock:counters", can_see_stock, 0),
            ("connecter", _("Ventes et remises"), "stock:sale_list", can_see_stock, 1),
            ("connecter", _("Prix solidaires"), "stock:price_lists", can_see_stock, 2),
            (
                "connecter",
                _("Distributions gratuites"),
                "stock:distribution_list",
                can_see_stock,
                3,
            ),
        ]:
            register(
                NavItem(pillar=pillar, label=label, url_name=url_name, visible=visible, order=order)
            )
        COHORT_PAGE.register("stock.fleet", fleet.cohort_panel)
        registry.register(
            registry.PersonData(
                key="stock",
                section=person.section,
                export=person.export,
                erase=person.erase,
                order=2,
            )
        )
