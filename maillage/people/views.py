from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from maillage.accounts.second_factor import reauthenticated
from maillage.bookings import services as bookings
from maillage.core import audit, throttle
from maillage.core.forms import bind
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.core.phones import normalise_phone
from maillage.core.roles import scope_of, within_scope
from maillage.core.statemachine import TransitionNotAllowed
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people import importer, registry, services
from maillage.people.enums import ConsentPurpose, ReferralStatus
from maillage.people.forms import (
    AnonymousBeneficiaryForm,
    BeneficiaryFilterForm,
    BeneficiaryForm,
    ConsentForm,
    ImportForm,
    ReferralForm,
    ReferralLinkForm,
    ReferralStepForm,
)
from maillage.people.models import Beneficiary, PeopleImport, Referral, ReferralLink
from maillage.people.perms import can_manage_people, can_see_people, can_see_referrals
from maillage.territories.models import Region


def _placeable(user: Any) -> QuerySet[Structure]:
    """Structures where this person may record people: their territory, or their own."""
    return Structure.objects.editable_by(user)


def _visible_person(request: HttpRequest, reference: str) -> Beneficiary:
    return get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related(
            "structure__commune__department", "commune"
        ),
        reference=reference,
    )


# --- People ------------------------------------------------------------------

# What the list of people shows of each (`people/beneficiary_list.html`).
LISTED = ("reference", "first_name", "last_name", "is_anonymous", "erased_at", "last_contact_on")


def beneficiary_list(request: HttpRequest) -> HttpResponse:
    require(can_see_people(request.user))
    visible = Beneficiary.objects.visible_to(request.user)
    filters = BeneficiaryFilterForm(
        request.GET or None,
        structures=Structure.objects.filter(pk__in=visible.values("structure")),
    )
    people = (
        filters.filter(visible)
        .select_related("structure", "commune")
        .only(*LISTED, "structure__name", "commune__name")
    )
    page = paginate(request, people)
    return render(
        request,
        "people/beneficiary_list.html",
        {
            "filters": filters,
            "page": page,
            # Unfiltered, the pages count everyone already.
            "total": visible.count() if filters.is_bound else page.paginator.count,
            "can_create": _placeable(request.user).exists(),
            "can_manage": can_manage_people(request.user),
        },
    )


def beneficiary_create(request: HttpRequest) -> HttpResponse:
    structures = _placeable(request.user)
    require(can_see_people(request.user) and structures.exists())
    form = bind(request, BeneficiaryForm, structures=structures)
    duplicates: QuerySet[Beneficiary] | list[Beneficiary] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = Beneficiary.objects.visible_to(request.user).likely_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_year=data["birth_year"],
            phone=data["phone"],
        )
        consents = data.get("consents", [])
        merge_reference = request.POST.get("merge_into")
        if merge_reference:
            existing = get_object_or_404(duplicates, reference=merge_reference)
            person = services.merge_into(existing, data, by=request.user, consents=consents)
            messages.success(
                request,
                _("Les informations saisies ont complété la fiche existante de %(name)s.")
                % {"name": person},
            )
            return redirect(person)
        if not duplicates.exists() or request.POST.get("confirm_new"):
            person = services.create_beneficiary(
                form.save(commit=False), by=request.user, consents=consents
            )
            messages.success(request, _("La fiche de %(name)s a été créée.") % {"name": person})
            return redirect(person)
    return render(
        request,
        "people/beneficiary_form.html",
        {"form": form, "beneficiary": None, "duplicates": list(duplicates)},
    )


def beneficiary_create_anonymous(request: HttpRequest) -> HttpResponse:
    structures = _placeable(request.user)
    require(can_see_people(request.user) and structures.exists())
    form = bind(request, AnonymousBeneficiaryForm, structures=structures)
    if request.method == "POST" and form.is_valid():
        person = services.create_beneficiary(form.save(commit=False), by=request.user)
        messages.success(
            request,
            _("La personne anonyme %(reference)s a été comptée.") % {"reference": person.reference},
        )
        return redirect(person)
    return render(request, "people/beneficiary_anonymous_form.html", {"form": form})


def beneficiary_detail(request: HttpRequest, reference: str) -> HttpResponse:
    person = _visible_person(request, reference)
    services.record_view(person, by=request.user)
    sections = []
    for provider in registry.providers():
        section = provider.section(request, person)
        if section is not None:
            template, context = section
            # A rendered template is already marked safe.
            sections.append(render_to_string(template, {"beneficiary": person, **context}, request))
    history = list(person.consents.select_related("recorded_by", "withdrawn_by"))
    consents = person.active_consents(history)
    return render(
        request,
        "people/beneficiary_detail.html",
        {
            "beneficiary": person,
            "consents": [(ConsentPurpose(p), c) for p, c in consents.items()],
            "consent_history": history,
            "referrals": person.referrals.select_related("to_structure"),
            "sections": sections,
            "can_erase": Beneficiary.objects.erasable_by(request.user)
            .filter(pk=person.pk)
            .exists(),
        },
    )


def beneficiary_edit(request: HttpRequest, reference: str) -> HttpResponse:
    person = _visible_person(request, reference)
    require(not person.is_anonymous)
    before = audit.values(person, Beneficiary.EDITABLE_FIELDS)
    structures = _placeable(request.user) | Structure.objects.filter(pk=person.structure_id)
    form = bind(request, BeneficiaryForm, instance=person, structures=structures.distinct())
    if request.method == "POST" and form.is_valid():
        services.update_beneficiary(form.save(commit=False), before, by=request.user)
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect(person)
    return render(
        request,
        "people/beneficiary_form.html",
        {"form": form, "beneficiary": person, "duplicates": []},
    )


@require_POST
def beneficiary_consent(request: HttpRequest, reference: str) -> HttpResponse:
    person = _visible_person(request, reference)
    require(not person.is_anonymous)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette demande n'est pas valide."))
        return redirect(person)
    purpose = ConsentPurpose(form.cleaned_data["purpose"])
    if form.cleaned_data["action"] == "give":
        services.give_consent(person, purpose, by=request.user)
        messages.success(
            request, _("Accord enregistré : %(purpose)s.") % {"purpose": purpose.label}
        )
    else:
        services.withdraw_consent(person, purpose, by=request.user)
        messages.success(request, _("Accord retiré : %(purpose)s.") % {"purpose": purpose.label})
    return redirect(person)


@reauthenticated
def beneficiary_export(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    """Everything held on the person: a JSON file, or a page to print and hand over."""
    person = _visible_person(request, reference)
    require(fmt in ("json", "html"))
    data = services.export_person(person, by=request.user)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="maillage-{person.reference}.json"'
        return response
    return render(
        request,
        "people/beneficiary_export.html",
        {"beneficiary": person, "data": data, "contact_email": settings.CONTACT_EMAIL},
    )


@reauthenticated
def beneficiary_erase(request: HttpRequest, reference: str) -> HttpResponse:
    person = _visible_person(request, reference)
    require(Beneficiary.objects.erasable_by(request.user).filter(pk=person.pk).exists())
    require(person.erased_at is None and not person.is_anonymous)
    if request.method == "POST":
        if request.POST.get("confirm") != person.reference:
            messages.error(request, _("Recopiez la référence de la fiche pour confirmer."))
        else:
            services.erase(person, by=request.user, note="request")
            messages.success(
                request,
                _(
                    "La fiche %(reference)s est anonymisée : elle reste comptée dans les statistiques."
                )
                % {"reference": person.reference},
            )
            return redirect("people:beneficiary_list")
    return render(request, "people/beneficiary_erase.html", {"beneficiary": person})


def people_due(request: HttpRequest) -> HttpResponse:
    """Managers: the people who will be anonymised within the warning period."""
    require(can_manage_people(request.user))
    due = services.due_for_anonymisation(
        Beneficiary.objects.erasable_by(request.user).select_related("structure")
    )
    return render(
        request,
        "people/people_due.html",
        {
            "page": paginate(request, due),
            "retention_months": settings.PEOPLE_RETENTION_MONTHS,
            "warning_days": settings.PEOPLE_RETENTION_WARNING_DAYS,
        },
    )


def beneficiary_import(request: HttpRequest) -> HttpResponse:
    """Send a file: it is read at once (a file that cannot be read, or is too long, is refused
    here), then checked and imported in the background while its progress page is shown."""
    structures = _placeable(request.user)
    require(can_see_people(request.user) and structures.exists())
    form = bind(request, ImportForm, structures=structures)
    file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importer.read_rows(upload.name, upload)
        except importer.FileError as error:
            file_error = str(error)
        else:
            started = importer.start_import(
                form.cleaned_data["structure"], upload.name, rows, by=request.user
            )
            return redirect(started)
    return render(
        request,
        "people/beneficiary_import.html",
        {
            "form": form,
            "file_error": file_error,
            "columns": importer.COLUMNS,
            "recent": PeopleImport.objects.visible_to(request.user).select_related("structure")[
                :10
            ],
        },
    )


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress, then its outcome: the people imported, those already followed,
    or every refused line."""
    require(can_see_people(request.user))
    started = get_object_or_404(
        PeopleImport.objects.visible_to(request.user).select_related("structure", "created_by"),
        pk=pk,
    )
    known = started.known[:500]
    found = set(
        Beneficiary.objects.visible_to(request.user)
        .filter(reference__in=[reference for _line, reference in known])
        .values_list("reference", flat=True)
    )
    return render(
        request,
        "people/import_detail.html",
        {
            "started": started,
            "known": [(line, reference, reference in found) for line, reference in known],
        },
    )


def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    require(can_see_people(request.user) and fmt in ("csv", "xlsx"))
    if fmt == "xlsx":
        response = HttpResponse(
            importer.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-import-personnes.{fmt}"'
    return response


# --- Referrals ---------------------------------------------------------------


def _destinations(user: Any) -> QuerySet[Structure]:
    """Where a person may be referred: the relays of the referrer's régions (those of their
    départements and structures included), other than their own structure."""
    regions = Region.objects.filter(
        within_scope(user, department="departments", structure="departments__communes__structures")
    ).values("pk")
    relays = Structure.objects.filter(relay_status__in=[RelayStatus.RELAY, RelayStatus.IN_COACHING])
    return relays.filter(commune__department__region__in=regions).exclude(
        pk__in=scope_of(user).structure_ids
    )


def referral_inbox(request: HttpRequest) -> HttpResponse:
    require(can_see_referrals(request.user))
    scope = scope_of(request.user)
    received = Referral.objects.actionable_by(request.user)
    sent = Referral.objects.filter(from_structure_id__in=scope.structure_ids)
    box = "sent" if request.GET.get("boite") == "envoyees" else "received"
    referrals = sent if box == "sent" else received
    status = request.GET.get("statut", "")
    counts = referrals.count_by_status()
    total = sum(n for _status, n in counts)
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
        total = dict(counts)[ReferralStatus(status)]
    return render(
        request,
        "people/referral_inbox.html",
        {
            "box": box,
            "status": status,
            "counts": counts,
            "page": paginate(
                request, referrals.select_related("to_structure", "from_structure"), count=total
            ),
            "has_sent": bool(scope.structure_ids),
            "can_refer": can_see_referrals(request.user) and _destinations(request.user).exists(),
            "can_share": _placeable(request.user).exists(),
        },
    )


def referral_create(request: HttpRequest) -> HttpResponse:
    destinations = _destinations(request.user)
    require(can_see_referrals(request.user) and destinations.exists())
    scope = scope_of(request.user)
    own = Structure.objects.filter(pk__in=scope.structure_ids).first()
    user: Any = request.user
    initial = {
        "referrer_name": user.full_name,
        "referrer_email": user.email,
        "referrer_organisation": own.name if own else "",
    }
    form = bind(request, ReferralForm, destinations=destinations, initial=initial)
    if request.method == "POST" and form.is_valid():
        referral = form.save(commit=False)
        referral.referrer = user
        referral.from_structure = own
        services.send_referral(referral, by=user)
        messages.success(
            request,
            _(
                "Orientation %(reference)s envoyée à %(structure)s. Vous serez prévenu·e par e-mail de chaque étape."
            )
            % {"reference": referral.reference, "structure": referral.to_structure},
        )
        return redirect(referral)
    return render(request, "people/referral_form.html", {"form": form, "link": None})


def _visible_referral(request: HttpRequest, reference: str) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "to_structure", "from_structure", "commune", "beneficiary"
        ),
        reference=reference,
    )


def _can_act(user: Any, referral: Referral) -> bool:
    return Referral.objects.actionable_by(user).filter(pk=referral.pk).exists()


def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _visible_referral(request, reference)
    can_act = _can_act(request.user, referral)
    if can_act and referral.status == ReferralStatus.SENT:
        services.move_referral(referral, ReferralStatus.RECEIVED, by=request.user)
    audit.record(request.user, AuditEvent.Action.VIEW, referral)
    return _render_referral(request, referral, can_act, ReferralStepForm() if can_act else None)


def _render_referral(
    request: HttpRequest,
    referral: Referral,
    can_act: bool,
    form: ReferralStepForm | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "people/referral_detail.html",
        {
            "referral": referral,
            "can_act": can_act and referral.is_open,
            "step_form": form
            if referral.status in (ReferralStatus.RECEIVED, ReferralStatus.CONTACTED)
            else None,
            "can_accept": can_act and referral.status == ReferralStatus.CONTACTED,
        },
        status=status,
    )


@require_POST
def referral_step(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _visible_referral(request, reference)
    require(_can_act(request.user, referral))
    form = ReferralStepForm(request.POST)
    if form.is_valid():
        try:
            services.move_referral(
                referral,
                form.cleaned_data["target"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Statut mis à jour : %(status)s.") % {"status": referral.get_status_display()},
            )
            return redirect(referral)
    return _render_referral(request, referral, True, form, status=400)


def referral_accept(request: HttpRequest, reference: str) -> HttpResponse:
    """Accept: link the referral to a person already followed, or create their record."""
    referral = _visible_referral(request, reference)
    require(_can_act(request.user, referral) and referral.status == ReferralStatus.CONTACTED)
    people = Beneficiary.objects.visible_to(request.user).named()
    candidates = people.likely_duplicates(
        first_name=referral.first_name,
        last_name=referral.last_name,
        birth_year=referral.birth_year,
        phone=referral.phone,
    )
    query = request.GET.get("q", "").strip()
    found = people.search(query).select_related("structure")[:20] if query else []
    if request.method == "POST":
        if request.POST.get("beneficiary"):
            person = get_object_or_404(people, reference=request.POST["beneficiary"])
        else:
            person = services.create_beneficiary(
                Beneficiary(
                    structure=referral.to_structure,
                    first_name=referral.first_name,
                    last_name=referral.last_name,
                    birth_year=referral.birth_year,
                    gender=referral.gender,
                    commune=referral.commune,
                    phone=referral.phone,
                    email=referral.email,
                    preferred_language=referral.preferred_language,
                ),
                by=request.user,
                note="referral",
            )
        try:
            services.accept_referral(referral, person, by=request.user)
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
            return redirect(referral)
        messages.success(
            request,
            _(
                "Orientation acceptée. Recueillez l'accord de %(name)s pour le suivi, puis faites son diagnostic."
            )
            % {"name": person},
        )
        return redirect(person)
    return render(
        request,
        "people/referral_accept.html",
        {
            "referral": referral,
            "candidates": candidates.select_related("structure"),
            "found": found,
            "query": query,
        },
    )


def referral_links(request: HttpRequest) -> HttpResponse:
    structures = _placeable(request.user)
    require(can_see_referrals(request.user) and structures.exists())
    form = bind(request, ReferralLinkForm, structures=structures)
    if request.method == "POST" and form.is_valid():
        link = form.save(commit=False)
        link.created_by = request.user
        link.save()
        audit.record(request.user, AuditEvent.Action.CREATE, link)
        messages.success(
            request, _("Le lien est créé : copiez-le et partagez-le avec les travailleurs sociaux.")
        )
        return redirect("people:referral_links")
    links = ReferralLink.objects.filter(structure__in=structures).select_related("structure")
    return render(
        request,
        "people/referral_links.html",
        {
            "form": form,
            "page": paginate(request, links),
            "base_url": request.build_absolute_uri("/")[:-1],
        },
    )


@require_POST
def referral_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        ReferralLink.objects.filter(structure__in=_placeable(request.user)), pk=pk
    )
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record(
            request.user,
            AuditEvent.Action.UPDATE,
            link,
            changes={"revoked_at": [None, str(link.revoked_at)]},
        )
    messages.success(request, _("Le lien est désactivé : il ne permet plus d'orienter."))
    return redirect("people:referral_links")


@login_not_required
def referral_public(request: HttpRequest, token: str) -> HttpResponse:
    """The form a social worker without an account opens from a structure's shared link."""
    link = ReferralLink.from_token(token)
    if link is None:
        raise Http404(
            _("Ce lien d'orientation n'est plus valable. Demandez un nouveau lien à la structure.")
        )
    form = ReferralForm(request.POST or None)
    if throttle.accepts(request, form, throttle.REFERRAL_LINK, f"structure:{link.structure_id}"):
        referral = form.save(commit=False)
        referral.to_structure = link.structure
        referral.link = link
        services.send_referral(referral, by=None)
        return render(
            request,
            "people/referral_public_done.html",
            {"referral": referral, "structure": link.structure},
        )
    workshops, slots = bookings.coming_at(link.structure, timezone.now())
    return render(
        request,
        "people/referral_form.html",
        {
            "form": form,
            "link": link,
            "bookable_workshops": [w for w in workshops if w.free_seats],
            "bookable_slots": [s for s in slots if s.free_seats],
        },
    )


STOP_WORDS = {"stop", "arret", "arrêt", "stop sms", "desabonner", "désabonner"}


@csrf_exempt
@require_POST
@login_not_required
def sms_reply(request: HttpRequest, token: str) -> HttpResponse:
    """Where the SMS provider posts the replies people send: STOP withdraws the reminders
    consent of every record with that number."""
    expected = settings.SMS_INBOUND_TOKEN
    if not expected or not secrets.compare_digest(token, expected):
        raise Http404
    try:
        payload = (
            json.loads(request.body) if request.content_type == "application/json" else request.POST
        )
    except ValueError:
        return JsonResponse({"error": "invalid json"}, status=400)
    sender = str(payload.get("from") or payload.get("number") or "")
    body = str(payload.get("text") or payload.get("message") or "")
    try:
        phone = normalise_phone(sender)
    except ValidationError:
        return JsonResponse({"error": "invalid number"}, status=400)
    stopped = 0
    if body.strip().lower().strip(".! ") in STOP_WORDS:
        for person in Beneficiary.objects.filter(phone=phone):
            stopped += services.withdraw_consent(person, ConsentPurpose.SMS, by=None)
    return JsonResponse({"opted_out": stopped})
