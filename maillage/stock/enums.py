"""Vocabularies of equipment and connection: places, devices and their lifecycle, products,
ledger movements, payments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Entrepôt")
    WORKSHOP = "workshop", _("Atelier de reconditionnement")
    RELAY = "relay", _("Structure partenaire (relais)")
    KIT = "kit", _("Kit d'animateur")


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", _("Ordinateur portable")
    DESKTOP = "desktop", _("Ordinateur fixe")
    TABLET = "tablet", _("Tablette")
    SMARTPHONE = "smartphone", _("Smartphone")
    BASIC_PHONE = "basic_phone", _("Téléphone simple")


# Kinds identified by their IMEI rather than (or as well as) a serial number.
PHONE_KINDS = (DeviceKind.SMARTPHONE, DeviceKind.BASIC_PHONE)


class Grade(models.TextChoices):
    A = "A", _("A — comme neuf")
    B = "B", _("B — traces d'usage légères")
    C = "C", _("C — traces d'usage visibles")


class DeviceState(models.TextChoices):
    RECEIVED = "received", _("Reçu")
    TESTED = "tested", _("Testé")
    WIPED = "wiped", _("Données effacées")
    GRADED = "graded", _("Classé")
    READY = "ready", _("Prêt, en stock")
    IN_TRANSIT = "in_transit", _("En transfert")
    RESERVED = "reserved", _("Réservé")
    SOLD = "sold", _("Vendu")
    GIVEN = "given", _("Donné")
    LENT = "lent", _("Prêté")
    RETURNED = "returned", _("Rendu")
    RECYCLED = "recycled", _("Recyclé")
    LOST = "lost", _("Perdu")


# A device that leaves the network's hands before it is ready, or comes back, may be
# recycled (beyond repair) or declared lost at any point where someone holds it.
_END = [DeviceState.RECYCLED, DeviceState.LOST]

DEVICE_TRANSITIONS: dict[str, list[str]] = {
    DeviceState.RECEIVED: [DeviceState.TESTED, *_END],
    DeviceState.TESTED: [DeviceState.TESTED, DeviceState.WIPED, *_END],
    DeviceState.WIPED: [DeviceState.GRADED, *_END],
    DeviceState.GRADED: [DeviceState.READY, *_END],
    DeviceState.READY: [
        DeviceState.IN_TRANSIT,
        DeviceState.RESERVED,
        DeviceState.SOLD,
        DeviceState.GIVEN,
        DeviceState.LENT,
        # A laptop of a lending fleet that comes back damaged from a workshop.
        DeviceState.RETURNED,
        *_END,
    ],
    DeviceState.IN_TRANSIT: [DeviceState.READY, DeviceState.LOST],
    DeviceState.RESERVED: [
        DeviceState.READY,
        DeviceState.SOLD,
        DeviceState.GIVEN,
        DeviceState.LENT,
        DeviceState.LOST,
    ],
    # A sale cancelled the same day puts the device back in stock.
    DeviceState.SOLD: [DeviceState.READY, DeviceState.RETURNED],
    DeviceState.GIVEN: [DeviceState.READY, DeviceState.RETURNED],
    DeviceState.LENT: [DeviceState.RETURNED, DeviceState.LOST],
    # A returned device goes through the tests again, or to recycling.
    DeviceState.RETURNED: [DeviceState.TESTED, *_END],
}

# States in which a device is held at a place, available or on its way to being so.
IN_STOCK_STATES = (
    DeviceState.RECEIVED,
    DeviceState.TESTED,
    DeviceState.WIPED,
    DeviceState.GRADED,
    DeviceState.READY,
    DeviceState.RESERVED,
    DeviceState.RETURNED,
)
# States in which a device has left with a person.
WITH_A_PERSON_STATES = (DeviceState.SOLD, DeviceState.GIVEN, DeviceState.LENT)


class CheckItem(models.TextChoices):
    """The functions tested on every device (those that apply to its kind)."""

    POWER = "power", _("Démarrage et alimentation")
    SCREEN = "screen", _("Écran")
    TOUCH = "touch", _("Écran tactile")
    KEYBOARD = "keyboard", _("Clavier")
    TOUCHPAD = "touchpad", _("Pavé tactile ou souris")
    BATTERY = "battery", _("Batterie")
    CHARGER = "charger", _("Chargeur")
    CAMERA = "camera", _("Caméra")
    AUDIO = "audio", _("Son et micro")
    WIFI = "wifi", _("Wi-Fi")
    NETWORK = "network", _("Réseau mobile")
    PORTS = "ports", _("Ports USB")


CHECKLIST: dict[str, list[str]] = {
    DeviceKind.LAPTOP: [
        CheckItem.POWER,
        CheckItem.SCREEN,
        CheckItem.KEYBOARD,
        CheckItem.TOUCHPAD,
        CheckItem.BATTERY,
        CheckItem.CHARGER,
        CheckItem.CAMERA,
        CheckItem.AUDIO,
        CheckItem.WIFI,
        CheckItem.PORTS,
    ],
    DeviceKind.DESKTOP: [
        CheckItem.POWER,
        CheckItem.SCREEN,
        CheckItem.KEYBOARD,
        CheckItem.TOUCHPAD,
        CheckItem.AUDIO,
        CheckItem.WIFI,
        CheckItem.PORTS,
    ],
    DeviceKind.TABLET: [
        CheckItem.POWER,
        CheckItem.SCREEN,
        CheckItem.TOUCH,
        CheckItem.BATTERY,
        CheckItem.CHARGER,
        CheckItem.CAMERA,
        CheckItem.AUDIO,
        CheckItem.WIFI,
    ],
    DeviceKind.SMARTPHONE: [
        CheckItem.POWER,
        CheckItem.SCREEN,
        CheckItem.TOUCH,
        CheckItem.BATTERY,
        CheckItem.CHARGER,
        CheckItem.CAMERA,
        CheckItem.AUDIO,
        CheckItem.WIFI,
        CheckItem.NETWORK,
    ],
    DeviceKind.BASIC_PHONE: [
        CheckItem.POWER,
        CheckItem.SCREEN,
        CheckItem.KEYBOARD,
        CheckItem.BATTERY,
        CheckItem.CHARGER,
        CheckItem.AUDIO,
        CheckItem.NETWORK,
    ],
}


class TestResult(models.TextChoices):
    """How a function of the checklist came out of the test."""

    OK = "ok", _("Fonctionne")
    REPAIRED = "repaired", _("Réparé")
    FAILED = "failed", _("En panne")


class WipeMethod(models.TextChoices):
    NIST_CLEAR = "nist_clear", _("Réécriture (NIST 800-88, purge logique)")
    NIST_PURGE = "nist_purge", _("Effacement sécurisé du support (NIST 800-88, purge)")
    FACTORY_RESET = "factory_reset", _("Réinitialisation d'usine chiffrée (téléphone, tablette)")
    DESTROYED = "destroyed", _("Support de stockage détruit et remplacé")


class ProductKind(models.TextChoices):
    SIM = "sim", _("Carte SIM")
    TOPUP = "topup", _("Recharge")
    ACCESSORY = "accessory", _("Accessoire")


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Réception")
    TRANSFER_OUT = "transfer_out", _("Transfert sortant")
    TRANSFER_IN = "transfer_in", _("Transfert entrant")
    SALE = "sale", _("Vente")
    DISTRIBUTION = "distribution", _("Distribution gratuite")
    CANCELLATION = "cancellation", _("Annulation d'une vente")
    ADJUSTMENT = "adjustment", _("Ajustement après inventaire")


class Payment(models.TextChoices):
    CASH = "cash", _("Espèces")
    CARD = "card", _("Carte bancaire")
    CHEQUE = "cheque", _("Chèque")
    FREE = "free", _("Gratuit")


class DonorKind(models.TextChoices):
    COMPANY = "company", _("Entreprise")
    PUBLIC = "public", _("Organisme public")
    INDIVIDUAL = "individual", _("Particulier")


class Condition(models.TextChoices):
    """How a lent laptop comes back."""

    GOOD = "good", _("Bon état")
    DAMAGED = "damaged", _("Endommagé")
    MISSING = "missing", _("Manquant")
