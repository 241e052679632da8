from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.forms import ListedModelChoiceField, RadioSelect
from maillage.core.phones import normalise_optional_phone
from maillage.network.models import Structure
from maillage.people.enums import (
    ConsentPurpose,
    Eligibility,
    Equipment,
    Gender,
    Need,
    ReferralStatus,
)
from maillage.people.models import (
    OLDEST_BIRTH_YEAR,
    Beneficiary,
    PersonDetails,
    Referral,
    ReferralLink,
)
from maillage.territories.forms import CommuneField

SENSITIVE_DATA_WARNING = gettext_lazy(
    "N'écrivez ici aucune information de santé, ni sur les opinions, la religion, l'origine, la "
    "vie privée ou une condamnation : seulement ce qui sert à l'accompagnement numérique. "
    "La personne peut demander à lire tout ce qui est noté."
)


def _checkboxes(choices: Any, label: Any, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )


def clean_birth_year_value(value: int | None) -> int | None:
    if value is not None and not OLDEST_BIRTH_YEAR <= value <= timezone.localdate().year:
        raise forms.ValidationError(
            _("Indiquez une année de naissance entre %(oldest)s et %(this_year)s.")
            % {"oldest": OLDEST_BIRTH_YEAR, "this_year": timezone.localdate().year}
        )
    return value


def clean_equipment_value(values: list[str]) -> list[str]:
    if Equipment.NONE in values and len(values) > 1:
        raise forms.ValidationError(
            _("« Aucun équipement » ne peut pas être coché avec un autre équipement.")
        )
    return values


class StructureChoiceField(ListedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.commune.name})"


def offer_structures(
    form: forms.BaseForm, structures: QuerySet[Structure], *, preselect: bool = True
) -> None:
    """Limit the form's structure field to `structures`; a single one is chosen in advance."""
    field = form.fields["structure"]
    assert isinstance(field, StructureChoiceField)
    # A select lists names and communes only: the rest of each row is never read.
    field.queryset = structures.select_related("commune").only("name", "commune__name")
    # The rows are read once, for this count and for the select (ListedChoices).
    if preselect and len(field.queryset) == 1:
        field.initial = field.queryset[0]


def offers_structures(form: forms.BaseForm) -> bool:
    """Whether `offer_structures` left any structure to choose (the rows read here are the
    select's: no query of its own)."""
    field = form.fields["structure"]
    assert isinstance(field, StructureChoiceField)
    return bool(field.queryset)


class BeneficiaryForm(forms.ModelForm):
    structure = StructureChoiceField(
        label=gettext_lazy("Structure qui suit la personne"), queryset=Structure.objects.none()
    )
    commune = CommuneField(
        label=gettext_lazy("Commune de résidence"),
        help_text=gettext_lazy("Nom de la commune ou code postal."),
    )
    equipment = _checkboxes(Equipment.choices, gettext_lazy("Équipement à domicile"))
    consents = _checkboxes(
        ConsentPurpose.choices,
        gettext_lazy("La personne accepte"),
    )

    class Meta:
        model = Beneficiary
        fields = ("structure", *Beneficiary.EDITABLE_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": SENSITIVE_DATA_WARNING}

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures, preselect=not self.instance.pk)
        for name in ("first_name", "birth_year", "gender", "commune"):
            self.fields[name].required = True
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        self.fields["phone"].help_text = _("Mobile de préférence, pour les rappels par SMS.")
        self.fields["gender"].choices = [("", _("Choisir")), *Gender.choices]  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.fields["gender"].initial = None  # an explicit answer, not the default
        self.fields["consents"].help_text = _(
            "Cochez seulement ce que la personne a accepté après explication. Elle peut retirer "
            "son accord à tout moment."
        )
        if self.instance.pk:
            del self.fields["consents"]

    def clean_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("phone", ""))

    def clean_birth_year(self) -> int | None:
        return clean_birth_year_value(self.cleaned_data.get("birth_year"))

    def clean_equipment(self) -> list[str]:
        return clean_equipment_value(self.cleaned_data.get("equipment", []))

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data.get("last_name", "").strip()


class AnonymousBeneficiaryForm(forms.ModelForm):
    structure = StructureChoiceField(
        label=gettext_lazy("Structure"), queryset=Structure.objects.none()
    )

    class Meta:
        model = Beneficiary
        fields = ("structure", "gender", "age_band")

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures)
        self.fields["age_band"].help_text = ""
        self.instance.is_anonymous = True


class BeneficiaryFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Rechercher"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Nom, prénom, référence ou téléphone."),
    )
    structure = StructureChoiceField(
        label=gettext_lazy("Structure"), queryset=Structure.objects.none(), required=False
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Genre"),
        required=False,
        choices=[("", gettext_lazy("Tous")), *Gender.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Fiches"),
        required=False,
        choices=[
            ("", gettext_lazy("Toutes")),
            ("named", gettext_lazy("Nominatives")),
            ("anonymous", gettext_lazy("Anonymes")),
        ],
    )

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures, preselect=False)

    def filter(self, people: QuerySet[Beneficiary]) -> QuerySet[Beneficiary]:
        if not self.is_valid():
            return people
        data = self.cleaned_data
        people = people.search(data["q"])  # type: ignore[attr-defined]
        if data["structure"]:
            people = people.filter(structure=data["structure"])
        if data["gender"]:
            people = people.filter(gender=data["gender"])
        if data["kind"]:
            people = people.filter(is_anonymous=data["kind"] == "anonymous")
        return people


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])


class ImportForm(forms.Form):
    structure = StructureChoiceField(
        label=gettext_lazy("Structure qui suivra les personnes"), queryset=Structure.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy(
            "Au format CSV (séparateur point-virgule) ou Excel (.xlsx), selon le modèle."
        ),
    )

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures)  # a referent's only structure is chosen already
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Le fichier doit être au format CSV ou XLSX."))
        if upload.size > settings.IMPORT_MAX_MEGABYTES * 1024 * 1024:
            raise forms.ValidationError(
                _("Le fichier dépasse %(size)s Mo.") % {"size": settings.IMPORT_MAX_MEGABYTES}
            )
        return upload


# --- Referrals ---------------------------------------------------------------


class ReferralForm(forms.ModelForm):
    """A referral written by a signed-in person, or through a structure's shared link."""

    commune = CommuneField(
        label=gettext_lazy("Commune de résidence de la personne"),
        required=False,
        help_text=gettext_lazy("Nom de la commune ou code postal."),
    )
    needs = _checkboxes(Need.choices, gettext_lazy("Besoins de la personne"), required=True)
    person_agreed = forms.BooleanField(
        label=gettext_lazy(
            "J'atteste que la personne est d'accord pour être orientée et pour que ses "
            "coordonnées soient transmises à la structure."
        ),
        required=True,
        error_messages={
            "required": gettext_lazy("L'accord de la personne est nécessaire pour l'orienter.")
        },
    )

    class Meta:
        model = Referral
        fields = (
            "to_structure",
            "referrer_name",
            "referrer_organisation",
            "referrer_email",
            "referrer_phone",
            *PersonDetails.DETAILS,
            "needs",
            "urgency",
            "eligibility",
            "message",
            "person_agreed",
        )
        widgets = {
            "message": forms.Textarea(attrs={"rows": 3}),
            "urgency": RadioSelect,
        }
        help_texts = {"message": SENSITIVE_DATA_WARNING}
        labels = {
            "phone": gettext_lazy("Téléphone de la personne"),
            "email": gettext_lazy("E-mail de la personne"),
        }

    def __init__(
        self, *args: Any, destinations: QuerySet[Structure] | None = None, **kwargs: Any
    ) -> None:
        """`destinations`: where the referrer may send the person; None when a shared link
        fixes the structure."""
        super().__init__(*args, **kwargs)
        if destinations is None:
            del self.fields["to_structure"]
        else:
            field = StructureChoiceField(
                label=gettext_lazy("Structure vers laquelle orienter"),
                queryset=destinations.select_related("commune"),
            )
            self.fields["to_structure"] = field
            self.order_fields(["to_structure"])
        self.fields["first_name"].required = True
        for name in ("referrer_name", "referrer_organisation", "referrer_email"):
            self.fields[name].required = True
        self.fields["eligibility"].choices = [  # type: ignore[attr-defined]
            ("", _("Non éligible ou ne sait pas")),
            *Eligibility.choices,
        ]
        self.fields["eligibility"].help_text = _(
            "Critère déclaré par vous, pour l'accès aux équipements et à la connexion à prix solidaire."
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        self.fields["referrer_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["referrer_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["referrer_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["referrer_organisation"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})

    def clean_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("phone", ""))

    def clean_referrer_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("referrer_phone", ""))

    def clean_birth_year(self) -> int | None:
        return clean_birth_year_value(self.cleaned_data.get("birth_year"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("phone") and not cleaned.get("email") and "phone" not in self.errors:
            self.add_error(
                "phone",
                _("Indiquez au moins un moyen de joindre la personne : téléphone ou e-mail."),
            )
        return cleaned


class ReferralStepForm(forms.Form):
    """Contacted or declined; acceptance has its own page."""

    target = forms.ChoiceField(
        label=gettext_lazy("Nouveau statut"),
        choices=[
            (ReferralStatus.CONTACTED, ReferralStatus.CONTACTED.label),
            (ReferralStatus.DECLINED, ReferralStatus.DECLINED.label),
        ],
        widget=RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Commentaire"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Obligatoire pour un refus : le motif est transmis au prescripteur."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("target") == ReferralStatus.DECLINED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Indiquez le motif du refus."))
        return cleaned


class ReferralLinkForm(forms.ModelForm):
    structure = StructureChoiceField(
        label=gettext_lazy("Structure destinataire"), queryset=Structure.objects.none()
    )

    class Meta:
        model = ReferralLink
        fields = ("structure", "label", "expires_on")
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures)
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(
            days=settings.REFERRAL_LINK_DAYS
        )

    def clean_expires_on(self) -> date:
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choisissez une date à venir."))
        if day > today + timedelta(days=366):
            raise forms.ValidationError(_("Un lien est valable un an au plus."))
        return day
