"""Forms of equipment and connection: places, intake and the workshop's steps, donations,
transfers, stock counts, the counter, prices, free distributions and the laptop fleet."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.accounts.models import User
from maillage.core.forms import QuantityField, RadioSelect
from maillage.learning.models import Session
from maillage.network.models import Structure
from maillage.network.perms import visible_departments
from maillage.people.enums import Eligibility
from maillage.programmes.forms import offer_programmes, refuse_programme_outside
from maillage.stock.enums import (
    PHONE_KINDS,
    CheckItem,
    Condition,
    DeviceKind,
    DeviceState,
    DonorKind,
    Grade,
    Payment,
    PlaceKind,
    ProductKind,
    TestResult,
    WipeMethod,
)
from maillage.stock.models import (
    Device,
    Donation,
    Donor,
    Fleet,
    FreeDistribution,
    Place,
    PriceList,
    Product,
)
from maillage.stock.validators import clean_digits, validate_iccid

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceForm(forms.ModelForm[Place]):
    class Meta:
        model = Place
        fields = ["name", "kind", "structure", "department", "keeper", "address", "is_active"]
        widgets = {"kind": RadioSelect}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.editable_by(user).select_related(  # type: ignore[attr-defined]
            "commune"
        )
        self.fields["structure"].help_text = _("Pour un relais : la structure partenaire.")
        self.fields["department"].queryset = visible_departments(user)  # type: ignore[attr-defined]
        self.fields["department"].required = False
        self.fields["department"].help_text = _(
            "Pour un relais, le département de la structure est repris."
        )
        self.fields["keeper"].queryset = User.objects.network_staff()  # type: ignore[attr-defined]
        self.fields["keeper"].help_text = _("Pour un kit : l'animateur·rice qui le porte.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == PlaceKind.RELAY and not data.get("structure"):
            self.add_error(
                "structure", _("Un relais est une structure partenaire : choisissez-la.")
            )
        if kind == PlaceKind.KIT and not data.get("keeper"):
            self.add_error("keeper", _("Choisissez l'animateur·rice qui porte ce kit."))
        if data.get("structure"):
            data["department"] = data["structure"].commune.department
            self.instance.department = data["department"]
        elif not data.get("department"):
            self.add_error("department", _("Choisissez le département de ce lieu."))
        return data


class DeviceForm(forms.ModelForm[Device]):
    """A device received at a place (intake)."""

    # Longer than 15 characters: people type spaces between groups of digits.
    imei = forms.CharField(
        label=gettext_lazy("IMEI"),
        max_length=24,
        required=False,
        help_text=gettext_lazy("15 chiffres ; tapez *#06# sur le téléphone."),
    )

    class Meta:
        model = Device
        fields = [
            "kind",
            "brand",
            "model",
            "serial",
            "imei",
            "processor",
            "memory_gb",
            "storage_gb",
            "operating_system",
            "screen_inches",
            "place",
            "donation",
            "fleet",
        ]
        widgets = {"kind": RadioSelect}

    def __init__(self, *args: Any, places: QuerySet[Place], donations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["donation"].queryset = donations.select_related("donor")  # type: ignore[attr-defined]
        self.fields["fleet"].queryset = self.fields["fleet"].queryset.filter(place__in=places)  # type: ignore[attr-defined]
        self.fields["fleet"].help_text = _(
            "Pour un ordinateur de la flotte de prêt aux ateliers (il ne sera pas vendu)."
        )

    def clean_imei(self) -> str:
        return clean_digits(self.cleaned_data.get("imei", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in PHONE_KINDS and not data.get("imei") and "imei" not in self.errors:
            self.add_error("imei", _("Un téléphone s'identifie par son IMEI : indiquez-le."))
        if not data.get("serial") and not data.get("imei") and "imei" not in self.errors:
            self.add_error("serial", _("Indiquez le numéro de série ou l'IMEI."))
        return data


class TestForm(forms.Form):
    """One choice per function of the device's checklist."""

    repairs = forms.CharField(
        label=gettext_lazy("Réparations faites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Obligatoire si une fonction a été réparée."),
    )

    def __init__(self, *args: Any, device: Device, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in device.checklist:
            self.fields[f"check_{item}"] = forms.ChoiceField(
                label=CheckItem(item).label, choices=TestResult.choices, widget=RadioSelect
            )
        self.fields["repairs"] = self.fields.pop("repairs")
        self.items = device.checklist

    def results(self) -> dict[str, str]:
        return {item: self.cleaned_data[f"check_{item}"] for item in self.items}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        repaired = any(data.get(f"check_{item}") == TestResult.REPAIRED for item in self.items)
        if repaired and not data.get("repairs", "").strip():
            self.add_error("repairs", _("Décrivez les réparations faites."))
        return data


class WipeForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Méthode d'effacement"), choices=WipeMethod.choices
    )
    software = forms.CharField(
        label=gettext_lazy("Logiciel ou outil utilisé"), max_length=120, required=False
    )
    operator = forms.CharField(label=gettext_lazy("Opérateur·rice"), max_length=120)
    wiped_on = forms.DateField(label=gettext_lazy("Date de l'effacement"), widget=DATE)

    def clean_wiped_on(self) -> Any:
        day = self.cleaned_data["wiped_on"]
        if day > timezone.localdate():
            raise ValidationError(_("La date de l'effacement ne peut pas être dans le futur."))
        return day


class GradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade"), choices=Grade.choices, widget=RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Remarque sur l'aspect"), max_length=255, required=False
    )


class DisposeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Sortie du stock"),
        choices=[
            (DeviceState.RECYCLED, gettext_lazy("Recyclé (irréparable)")),
            (DeviceState.LOST, gettext_lazy("Perdu ou volé")),
        ],
        widget=RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Motif"), max_length=255)


class ReserveForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("Référence de la personne"),
        max_length=12,
        help_text=gettext_lazy("Par exemple P-7K3M9Q (sur sa fiche)."),
    )
    until = forms.DateField(label=gettext_lazy("Réservé jusqu'au"), widget=DATE)

    def clean_until(self) -> Any:
        day = self.cleaned_data["until"]
        if day < timezone.localdate():
            raise ValidationError(_("La date de fin de réservation est passée."))
        return day


class TakeBackForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Pourquoi l'équipement revient-il ?"),
        max_length=255,
        help_text=gettext_lazy("Fin du prêt, panne sous garantie…"),
    )


class DonationForm(forms.ModelForm[Donation]):
    donor = forms.ModelChoiceField(
        label=gettext_lazy("Donateur déjà connu"), queryset=Donor.objects.all(), required=False
    )
    donor_name = forms.CharField(
        label=gettext_lazy("Ou nouveau donateur : nom"), max_length=200, required=False
    )
    donor_kind = forms.ChoiceField(
        label=gettext_lazy("Type de donateur"), choices=DonorKind.choices, required=False
    )
    donor_address = forms.CharField(
        label=gettext_lazy("Adresse du donateur (pour le reçu)"), max_length=255, required=False
    )

    class Meta:
        model = Donation
        fields = ["received_on", "place", "note"]
        widgets = {"received_on": DATE}

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        order = ["donor", "donor_name", "donor_kind", "donor_address", "received_on", "place"]
        self.order_fields([*order, "note"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("donor") and not data.get("donor_name"):
            self.add_error("donor", _("Choisissez le donateur ou indiquez le nom d'un nouveau."))
        if data.get("donor_name") and not data.get("donor_kind"):
            self.add_error("donor_kind", _("Indiquez le type du nouveau donateur."))
        if data.get("received_on") and data["received_on"] > timezone.localdate():
            self.add_error("received_on", _("La date de réception ne peut pas être dans le futur."))
        return data

    def donor_to_save(self) -> Donor:
        if self.cleaned_data.get("donor"):
            return self.cleaned_data["donor"]
        return Donor(
            name=self.cleaned_data["donor_name"],
            kind=self.cleaned_data["donor_kind"],
            address=self.cleaned_data.get("donor_address", ""),
        )


class DonationLineForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("Article"), required=False)
    description = forms.CharField(
        label=gettext_lazy("Précision (modèles, état…)"), max_length=200, required=False
    )
    quantity = QuantityField(label=gettext_lazy("Nombre"), min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (
                _("Équipements (enregistrés un par un ensuite)"),
                [(f"kind:{k}", label) for k, label in DeviceKind.choices],
            ),
            (
                _("Produits (entrent en stock)"),
                [(f"product:{p.pk}", p.name) for p in Product.objects.filter(is_active=True)],
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("item") and not data.get("quantity"):
            self.add_error("quantity", _("Indiquez le nombre reçu."))
        if data.get("quantity") and not data.get("item"):
            self.add_error("item", _("Choisissez ce qui a été reçu."))
        return data


DonationLineFormSet = forms.formset_factory(DonationLineForm, extra=5, max_num=30)


def _quantity_fields(form: forms.Form, balances: dict[int, int]) -> None:
    """A quantity per product the place holds, at most what it holds."""
    products = list(Product.objects.filter(pk__in=balances, is_active=True))
    for product in products:
        form.fields[f"product_{product.pk}"] = QuantityField(
            label=product.name, required=False, max_value=balances[product.pk]
        )
    form.products = products  # type: ignore[attr-defined]


def quantities(form: forms.Form) -> dict[Product, int]:
    return {
        product: form.cleaned_data.get(f"product_{product.pk}") or 0
        for product in form.products  # type: ignore[attr-defined]
    }


class TransferForm(forms.Form):
    to_place = forms.ModelChoiceField(label=gettext_lazy("Vers"), queryset=Place.objects.none())
    devices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Équipements prêts à envoyer"),
        queryset=Device.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, from_place: Place, destinations: QuerySet[Place], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_place"].queryset = destinations.exclude(pk=from_place.pk)  # type: ignore[attr-defined]
        self.fields["devices"].queryset = from_place.devices.filter(  # type: ignore[attr-defined]
            state=DeviceState.READY, fleet__isnull=True
        ).order_by("kind", "reference")
        _quantity_fields(self, from_place.held())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("devices") and not any(quantities(self).values()):
            raise ValidationError(_("Choisissez au moins un équipement ou un produit à envoyer."))
        return data


class CountForm(forms.Form):
    """What was found on the shelves, product by product, with the reason of a difference."""

    note = forms.CharField(
        label=gettext_lazy("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = {b.product_id: b.quantity for b in place.balances.all()}
        products = list(
            Product.objects.filter(pk__in=self.expected) | Product.objects.filter(is_active=True)
        )
        self.products = sorted(set(products), key=lambda p: (p.kind, p.name))
        for product in self.products:
            self.fields[f"product_{product.pk}"] = QuantityField(label=product.name)
            self.fields[f"reason_{product.pk}"] = forms.CharField(
                label=_("Motif de l'écart — %(product)s") % {"product": product.name},
                max_length=255,
                required=False,
            )
        self.fields["note"] = self.fields.pop("note")

    def rows(self) -> list[tuple[Product, int, Any, Any]]:
        return [
            (p, self.expected.get(p.pk, 0), self[f"product_{p.pk}"], self[f"reason_{p.pk}"])
            for p in self.products
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for product in self.products:
            found = data.get(f"product_{product.pk}")
            differs = found is not None and found != self.expected.get(product.pk, 0)
            if differs and not data.get(f"reason_{product.pk}", "").strip():
                self.add_error(
                    f"reason_{product.pk}",
                    _("Expliquez l'écart pour %(product)s.") % {"product": product.name},
                )
        return data

    def counted(self) -> dict[Product, int]:
        return {p: self.cleaned_data[f"product_{p.pk}"] for p in self.products}

    def reasons(self) -> dict[Product, str]:
        return {p: self.cleaned_data.get(f"reason_{p.pk}", "") for p in self.products}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Nom, référence ou téléphone de la personne"), max_length=100
    )


class CriterionForm(forms.Form):
    criterion = forms.ChoiceField(
        label=gettext_lazy("Critère vérifié sur un justificatif"), choices=Eligibility.choices
    )


class SaleForm(forms.Form):
    """The basket at the counter: devices scanned or typed, products by quantity, payment."""

    devices = forms.CharField(
        label=gettext_lazy("Équipements : référence, IMEI ou numéro de série"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=gettext_lazy("Scannez l'étiquette ou tapez ; un équipement par ligne."),
    )
    iccids = forms.CharField(
        label=gettext_lazy("Numéros des cartes SIM (ICCID), facultatif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=gettext_lazy("Un par ligne, dans l'ordre des cartes remises."),
    )
    payment = forms.ChoiceField(
        label=gettext_lazy("Moyen de paiement"), choices=Payment.choices, widget=RadioSelect
    )
    free_distribution = forms.ModelChoiceField(
        label=gettext_lazy("Opération de distribution gratuite"),
        queryset=FreeDistribution.objects.none(),
        required=False,
        help_text=gettext_lazy("Pour une remise gratuite."),
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        today = timezone.localdate()
        self.fields["free_distribution"].queryset = FreeDistribution.objects.open_on(today).filter(  # type: ignore[attr-defined]
            places=place
        )
        _quantity_fields(self, place.held())
        for name in ("payment", "free_distribution"):
            self.fields[name] = self.fields.pop(name)

    def clean_devices(self) -> list[Device]:
        found = []
        for line in self.cleaned_data.get("devices", "").splitlines():
            text = line.strip()
            if not text:
                continue
            matches = list(Device.objects.filter(place=self.place).scanned(text)[:2])
            if len(matches) != 1:
                raise ValidationError(
                    _("Aucun équipement « %(text)s » dans le stock de ce lieu.") % {"text": text}
                )
            if matches[0] in found:
                raise ValidationError(
                    _("L'équipement %(reference)s est saisi deux fois.")
                    % {"reference": matches[0].reference}
                )
            found.append(matches[0])
        return found

    def clean_iccids(self) -> list[str]:
        numbers = []
        for line in self.cleaned_data.get("iccids", "").splitlines():
            number = clean_digits(line.strip())
            if number:
                validate_iccid(number)
                numbers.append(number)
        return numbers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not data.get("devices") and not any(quantities(self).values()):
            raise ValidationError(_("Choisissez au moins un article."))
        free = data.get("payment") == Payment.FREE
        if free and not data.get("free_distribution"):
            self.add_error(
                "free_distribution",
                _("Une remise gratuite se fait dans le cadre d'une opération : choisissez-la."),
            )
        if not free and data.get("free_distribution"):
            self.add_error("payment", _("Une opération de distribution gratuite ne se paie pas."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motif de l'annulation"), max_length=255)


class PriceListForm(forms.ModelForm[PriceList]):
    """A list with one price per device kind and grade, and per product (empty: not sold)."""

    class Meta:
        model = PriceList
        fields = ["name", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device_rows: list[tuple[str, list[str]]] = []
        for kind, label in DeviceKind.choices:
            names = []
            for grade in Grade.values:
                name = f"price_{kind}_{grade}"
                self.fields[name] = forms.DecimalField(
                    label=_("%(kind)s, grade %(grade)s (€)") % {"kind": label, "grade": grade},
                    min_value=Decimal("0"),
                    max_digits=8,
                    decimal_places=2,
                    required=False,
                )
                names.append(name)
            self.device_rows.append((str(label), names))
        self.products = list(Product.objects.filter(is_active=True))
        for product in self.products:
            self.fields[f"product_{product.pk}"] = forms.DecimalField(
                label=_("%(product)s (€)") % {"product": product.name},
                min_value=Decimal("0"),
                max_digits=8,
                decimal_places=2,
                required=False,
            )
        if self.instance.pk:
            for price in self.instance.prices.all():
                key = (
                    f"product_{price.product_id}"
                    if price.product_id
                    else f"price_{price.device_kind}_{price.grade}"
                )
                if key in self.fields:
                    self.initial[key] = price.amount

    def amounts(self) -> list[tuple[str, str, Product | None, Decimal]]:
        rows: list[tuple[str, str, Product | None, Decimal]] = []
        for kind in DeviceKind.values:
            for grade in Grade.values:
                amount = self.cleaned_data.get(f"price_{kind}_{grade}")
                if amount is not None:
                    rows.append((kind, grade, None, amount))
        for product in self.products:
            amount = self.cleaned_data.get(f"product_{product.pk}")
            if amount is not None:
                rows.append(("", "", product, amount))
        return rows


class ProductForm(forms.ModelForm[Product]):
    class Meta:
        model = Product
        fields = ["name", "kind", "operator", "face_value", "connection_months", "is_active"]
        widgets = {"kind": RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ProductKind.TOPUP and data.get("face_value") is None:
            self.add_error("face_value", _("Indiquez le crédit que donne cette recharge."))
        return data


class FleetForm(forms.ModelForm[Fleet]):
    class Meta:
        model = Fleet
        fields = ["name", "place", "owner"]

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class FreeDistributionForm(forms.ModelForm[FreeDistribution]):
    criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Publics éligibles"),
        choices=Eligibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Aucun coché : toute personne éligible à l'offre solidaire."),
    )

    class Meta:
        model = FreeDistribution
        fields = [
            "name",
            "programme",
            "criteria",
            "device_kind",
            "product",
            "quantity",
            "start",
            "end",
            "places",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "places": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_programmes(self, user)
        self.fields["places"].queryset = Place.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            kind__in=(PlaceKind.RELAY, PlaceKind.KIT), is_active=True
        )
        self.fields["product"].queryset = Product.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("device_kind")) == bool(data.get("product")):
            self.add_error(
                "product", _("Choisissez soit un type d'équipement, soit un produit donné.")
            )
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("La fin doit suivre le début."))
        refuse_programme_outside(self, data.get("start"), data.get("end"))
        return data


class CheckOutForm(forms.Form):
    devices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Ordinateurs"),
        queryset=Device.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    facilitator = forms.ModelChoiceField(
        label=gettext_lazy("Animateur·rice"), queryset=User.objects.none()
    )
    due_on = forms.DateField(label=gettext_lazy("Retour prévu le"), widget=DATE)
    session = forms.ModelChoiceField(
        label=gettext_lazy("Pour la séance"),
        queryset=Session.objects.none(),
        required=False,
        help_text=gettext_lazy("Une séance de parcours des deux semaines à venir, s'il y a lieu."),
    )
    note = forms.CharField(
        label=gettext_lazy("Pour quel atelier ?"), max_length=255, required=False
    )

    def __init__(
        self, *args: Any, available: list[Device], sessions: QuerySet[Session], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["devices"].queryset = Device.objects.filter(  # type: ignore[attr-defined]
            pk__in=[d.pk for d in available]
        ).order_by("reference")
        self.fields["facilitator"].queryset = User.objects.network_staff()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=1))

    def clean_due_on(self) -> Any:
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise ValidationError(_("La date de retour prévue est passée."))
        return day


class CheckInForm(forms.Form):
    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"condition_{item.device_id}"] = forms.ChoiceField(
                label=str(item.device),
                choices=Condition.choices,
                initial=Condition.GOOD,
                widget=RadioSelect,
            )
            self.fields[f"note_{item.device_id}"] = forms.CharField(
                label=_("Remarque — %(device)s") % {"device": item.device.reference},
                max_length=255,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for item in self.items:
            problem = data.get(f"condition_{item.device_id}") in (
                Condition.DAMAGED,
                Condition.MISSING,
            )
            if problem and not data.get(f"note_{item.device_id}", "").strip():
                self.add_error(
                    f"note_{item.device_id}",
                    _("Décrivez le problème de %(device)s.") % {"device": item.device.reference},
                )
        return data

    def conditions(self) -> dict[int, tuple[str, str]]:
        return {
            item.device_id: (
                self.cleaned_data[f"condition_{item.device_id}"],
                self.cleaned_data.get(f"note_{item.device_id}", ""),
            )
            for item in self.items
        }
