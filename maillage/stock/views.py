"""Screens of equipment and connection. Every object is reached through its `visible_to`
QuerySet (404 outside the person's scope); operations go through `services`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import audit
from maillage.core.forms import bind, errors_text
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate, query_string
from maillage.core.pdf import pdf_response
from maillage.core.perms import require
from maillage.core.statemachine import TransitionNotAllowed
from maillage.learning.enums import CohortStatus
from maillage.learning.models import Cohort, Session
from maillage.people.models import Beneficiary
from maillage.people.services import record_view
from maillage.stock import eligibility, services
from maillage.stock.enums import DeviceKind, DeviceState, PlaceKind, ProductKind, WipeMethod
from maillage.stock.forms import (
    CancelForm,
    CheckInForm,
    CheckOutForm,
    CountForm,
    CriterionForm,
    DeviceForm,
    DisposeForm,
    DonationForm,
    DonationLineFormSet,
    FleetForm,
    FreeDistributionForm,
    GradeForm,
    PersonSearchForm,
    PlaceForm,
    PriceListForm,
    ProductForm,
    ReserveForm,
    SaleForm,
    TakeBackForm,
    TestForm,
    TransferForm,
    WipeForm,
    quantities,
)
from maillage.stock.ledger import StockError
from maillage.stock.models import (
    Device,
    Donation,
    DonationLine,
    Fleet,
    FleetLoan,
    FreeDistribution,
    Place,
    PlaceQuerySet,
    Price,
    PriceList,
    Product,
    Sale,
    StockBalance,
    StockCount,
    Transfer,
    euros,
)
from maillage.stock.perms import can_manage_places, can_refurbish, can_see_stock, can_set_offer
from maillage.stock.services import ProductLine

# --- Places ------------------------------------------------------------------------------


def _per_row(related: QuerySet[Any], link: str, total: Any) -> Subquery:
    """A total of related rows for each row of a list, without multiplying joins."""
    rows = related.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Subquery(rows.annotate(total=total).values("total"))


def _places(request: HttpRequest) -> PlaceQuerySet:
    require(can_see_stock(request.user))
    return Place.objects.visible_to(request.user)


def _place(request: HttpRequest, pk: int) -> Place:
    return get_object_or_404(_places(request).select_related("department", "structure"), pk=pk)


def _workshops(request: HttpRequest) -> QuerySet[Place]:
    """Places where this person receives and refurbishes devices."""
    if not can_refurbish(request.user):
        return Place.objects.none()
    return _places(request).filter(
        kind__in=(PlaceKind.WAREHOUSE, PlaceKind.WORKSHOP), is_active=True
    )


def place_list(request: HttpRequest) -> HttpResponse:
    places = (
        _places(request)
        .select_related("department", "structure")
        .annotate(
            ready=_per_row(Device.objects.filter(state=DeviceState.READY), "place", Count("pk")),
            units=_per_row(StockBalance.objects.all(), "place", Sum("quantity")),
        )
        .order_by("department__code", "name")
    )
    kind = request.GET.get("type", "")
    if kind in PlaceKind.values:
        places = places.filter(kind=kind)
    return render(
        request,
        "stock/place_list.html",
        {
            "page": paginate(request, places),
            "kinds": PlaceKind.choices,
            "kind": kind,
            "can_create": can_manage_places(request.user),
            "pending": Transfer.objects.visible_to(request.user)
            .pending()
            .filter(to_place__in=_places(request).values("pk"))
            .select_related("from_place", "to_place")[:20],
        },
    )


def place_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_places(request.user))
    form = bind(request, PlaceForm, user=request.user)
    if request.method == "POST" and form.is_valid():
        place = audit.save_form(
            form, request.user, fields=["name", "kind", "department", "structure"]
        )
        messages.success(request, _("Le lieu « %(name)s » est ouvert.") % {"name": place.name})
        return redirect(place)
    return render(request, "stock/place_form.html", {"form": form})


def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place(request, pk)
    devices = place.devices.exclude(
        state__in=(DeviceState.SOLD, DeviceState.GIVEN, DeviceState.RECYCLED, DeviceState.LOST)
    ).select_related("fleet")
    state = request.GET.get("etat", "")
    if state in DeviceState.values:
        devices = devices.filter(state=state)
    counts = dict(
        place.devices.order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return render(
        request,
        "stock/place_detail.html",
        {
            "place": place,
            "balances": place.balances.select_related("product").order_by(
                "product__kind", "product__name"
            ),
            "page": paginate(request, devices.order_by("kind", "reference")),
            "state": state,
            "states": [(s, label, counts.get(s, 0)) for s, label in DeviceState.choices],
            "incoming": place.transfers_in.pending().select_related("from_place"),
            "outgoing": place.transfers_out.pending().select_related("to_place"),
            "can_refurbish": can_refurbish(request.user)
            and place.kind in (PlaceKind.WAREHOUSE, PlaceKind.WORKSHOP),
            "sales_today": place.sales.filter(sold_at__date=timezone.localdate()).count()
            if place.sells
            else None,
            "fleets": place.fleets.all(),
            "last_count": place.counts.first(),
        },
    )


def place_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place(request, pk)
    movements = place.movements.select_related("product", "by").order_by("-at", "-pk")
    product = request.GET.get("produit", "")
    if product.isdigit():
        movements = movements.filter(product_id=int(product))
    return render(
        request,
        "stock/place_ledger.html",
        {
            "place": place,
            "page": paginate(request, movements),
            "products": Product.objects.filter(movements__place=place).distinct(),
            "product": product,
        },
    )


def place_count(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place(request, pk)
    form = bind(request, CountForm, place=place)
    if request.method == "POST" and form.is_valid():
        count = services.record_count(
            place,
            form.counted(),
            reasons=form.reasons(),
            note=form.cleaned_data["note"],
            by=request.user,
        )
        differences = sum(1 for line in count.lines.all() if line.difference)
        messages.success(
            request,
            _("Inventaire enregistré : %(count)s écart(s) corrigé(s) dans le stock.")
            % {"count": differences},
        )
        return redirect("stock:count_detail", pk=count.pk)
    return render(request, "stock/place_count.html", {"place": place, "form": form})


def count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    count = get_object_or_404(
        StockCount.objects.filter(place__in=_places(request)).select_related("place", "counted_by"),
        pk=pk,
    )
    return render(
        request,
        "stock/count_detail.html",
        {"count": count, "lines": count.lines.select_related("product")},
    )


# --- Devices -----------------------------------------------------------------------------


def device_list(request: HttpRequest) -> HttpResponse:
    require(can_see_stock(request.user))
    devices = Device.objects.visible_to(request.user).select_related("place")
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "")
    state = request.GET.get("etat", "")
    devices = devices.search(query)
    if kind in DeviceKind.values:
        devices = devices.filter(kind=kind)
    if state in DeviceState.values:
        devices = devices.filter(state=state)
    return render(
        request,
        "stock/device_list.html",
        {
            "page": paginate(request, devices),
            "query": query,
            "kind": kind,
            "state": state,
            "kinds": DeviceKind.choices,
            "states": DeviceState.choices,
            "filters": query_string(request.GET),
            "can_create": _workshops(request).exists(),
        },
    )


def device_create(request: HttpRequest) -> HttpResponse:
    places = _workshops(request)
    require(places.exists())
    initial = {}
    if request.GET.get("don"):
        donation = (
            Donation.objects.visible_to(request.user).filter(reference=request.GET["don"]).first()
        )
        if donation is not None:
            initial = {"donation": donation.pk, "place": donation.place_id}
    form = bind(
        request,
        DeviceForm,
        places=places,
        donations=Donation.objects.visible_to(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        device = form.save(commit=False)
        device.start_history(by=request.user)
        messages.success(
            request,
            _("%(device)s est enregistré. Collez la référence %(reference)s sur l'appareil.")
            % {"device": device, "reference": device.reference},
        )
        if "another" in request.POST:
            target = f"{request.path}{query_string(request.GET)}"
            return redirect(target)
        return redirect(device)
    return render(request, "stock/device_form.html", {"form": form})


def _device(request: HttpRequest, reference: str) -> Device:
    require(can_see_stock(request.user))
    return get_object_or_404(
        Device.objects.visible_to(request.user).select_related("place", "donation", "fleet"),
        reference=reference,
    )


def _step_forms(device: Device, posted: str = "", data: Any = None) -> dict[str, Any]:
    """The forms of the device's next steps; only the one `posted` is bound to `data`."""
    targets = device.workflow.targets(device.state)
    steps: dict[str, Any] = {}
    if DeviceState.TESTED in targets:
        steps["test"] = lambda bound: TestForm(bound, device=device, prefix="test")
    if DeviceState.WIPED in targets:
        steps["wipe"] = lambda bound: WipeForm(
            bound, prefix="wipe", initial={"wiped_on": timezone.localdate()}
        )
    if DeviceState.GRADED in targets:
        steps["grade"] = lambda bound: GradeForm(bound, prefix="grade")
    if DeviceState.RECYCLED in targets:
        steps["dispose"] = lambda bound: DisposeForm(bound, prefix="dispose")
    if device.fleet_id is None:
        if DeviceState.RESERVED in targets:
            steps["reserve"] = lambda bound: ReserveForm(bound, prefix="reserve")
        if DeviceState.LENT in targets:
            steps["lend"] = lambda bound: ReserveForm(bound, prefix="lend")
        if DeviceState.RETURNED in targets and device.state != DeviceState.READY:
            steps["take_back"] = lambda bound: TakeBackForm(bound, prefix="take_back")
    return {name: make(data if name == posted else None) for name, make in steps.items()}


# Steps that the referents of a relay take too (the workshop's steps are for staff).
COUNTER_STEPS = ("reserve", "release", "lend", "take_back")


def device_detail(request: HttpRequest, reference: str, step: str = "") -> HttpResponse:
    device = _device(request, reference)
    refurbishing = can_refurbish(request.user)
    posted = step if request.method == "POST" else ""
    forms = _step_forms(device, posted, request.POST if posted else None)
    if request.method == "POST":
        require(step in forms or step in ("ready", "release"))
        require(refurbishing or step in COUNTER_STEPS)
        try:
            done = _do_step(request, device, step, forms.get(step))
        except (StockError, TransitionNotAllowed) as error:
            messages.error(request, str(error))
            done = False
        if done:
            return redirect(device)
    events = device.events.select_related("by", "place", "beneficiary", "written_note").order_by(
        "at", "pk"
    )
    return render(
        request,
        "stock/device_detail.html",
        {
            "device": device,
            "events": events,
            "forms": forms
            if refurbishing
            else {k: f for k, f in forms.items() if k in COUNTER_STEPS},
            "conditions": device.decree_conditions(),
            "can_refurbish": refurbishing,
            "can_ready": refurbishing and device.state == DeviceState.GRADED,
            "can_release": device.state == DeviceState.RESERVED,
            "wiped": device.last_event(DeviceState.WIPED),
            "sale_line": device.sale_lines.filter(sale__cancelled_at__isnull=True)
            .select_related("sale")
            .first(),
        },
    )


def _do_step(request: HttpRequest, device: Device, step: str, form: Any) -> bool:
    by = request.user
    if step == "ready":
        services.make_ready(device, by=by)
        messages.success(request, _("L'équipement est prêt : il peut être transféré ou vendu."))
        return True
    if step == "release":
        services.release(device, by=by)
        messages.success(request, _("La réservation est levée."))
        return True
    if not form.is_valid():
        messages.error(
            request, _("Corrigez le formulaire : %(errors)s") % {"errors": errors_text(form)}
        )
        return False
    data = form.cleaned_data
    if step == "test":
        services.record_test(device, form.results(), repairs=data["repairs"], by=by)
    elif step == "wipe":
        services.record_wipe(
            device,
            method=data["method"],
            operator=data["operator"],
            wiped_on=data["wiped_on"],
            software=data["software"],
            by=by,
        )
    elif step == "grade":
        services.record_grade(device, grade=data["grade"], note=data["note"], by=by)
    elif step == "dispose":
        services.dispose(device, data["outcome"], note=data["note"], by=by)
    elif step == "take_back":
        services.take_back(device, note=data["note"], by=by)
    elif step in ("reserve", "lend"):
        person = (
            Beneficiary.objects.visible_to(by)
            .filter(reference=data["person"].strip().upper())
            .first()
        )
        if person is None:
            messages.error(request, _("Aucune personne suivie ne porte cette référence."))
            return False
        if step == "reserve":
            services.reserve(device, person, until=data["until"], by=by)
        else:
            services.lend(device, person, until=data["until"], by=by)
    messages.success(
        request,
        _("Étape enregistrée : %(state)s.") % {"state": device.get_state_display()},
    )
    return True


def device_certificate(request: HttpRequest, reference: str) -> HttpResponse:
    """The erasure certificate of the device's last wipe."""
    device = _device(request, reference)
    wipe = device.last_event(DeviceState.WIPED)
    if wipe is None:
        raise Http404
    audit.record(request.user, AuditEvent.Action.EXPORT, device, note="erasure certificate")
    return pdf_response(
        "stock/certificate_pdf.html",
        {
            "device": device,
            "wipe": wipe,
            "wipe_method": WipeMethod(wipe.data["method"]).label,
            "wiped_on": date.fromisoformat(wipe.data["wiped_on"]),
        },
        f"certificat-effacement-{device.reference}.pdf",
    )


# --- Donations ---------------------------------------------------------------------------


def donation_list(request: HttpRequest) -> HttpResponse:
    require(can_refurbish(request.user))
    donations = (
        Donation.objects.visible_to(request.user)
        .select_related("donor", "place")
        .annotate(
            items=_per_row(DonationLine.objects.all(), "donation", Sum("quantity")),
            registered=_per_row(Device.objects.all(), "donation", Count("pk")),
        )
        .order_by("-received_on", "-pk")
    )
    return render(
        request,
        "stock/donation_list.html",
        {"page": paginate(request, donations), "can_create": _workshops(request).exists()},
    )


def donation_create(request: HttpRequest) -> HttpResponse:
    places = _workshops(request)
    require(places.exists())
    form = bind(request, DonationForm, places=places)
    lines = DonationLineFormSet(request.POST or None, prefix="lignes")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        rows = [line.cleaned_data for line in lines if line.cleaned_data.get("item")]
        if not rows:
            messages.error(request, _("Indiquez au moins un article reçu."))
        else:
            with transaction.atomic():
                donor = form.donor_to_save()
                if donor.pk is None:
                    donor.save()
                donation = form.save(commit=False)
                donation.donor = donor
                services.receive_donation(
                    donation, [_donation_line(row) for row in rows], by=request.user
                )
            messages.success(
                request,
                _("Le don %(reference)s est enregistré.") % {"reference": donation.reference},
            )
            return redirect(donation)
    return render(request, "stock/donation_form.html", {"form": form, "lines": lines})


def _donation_line(row: dict[str, Any]) -> DonationLine:
    kind, _sep, value = row["item"].partition(":")
    line = DonationLine(quantity=row["quantity"], description=row.get("description", ""))
    if kind == "product":
        line.product = Product.objects.get(pk=int(value))
    else:
        line.device_kind = value
    return line


def _donation(request: HttpRequest, reference: str) -> Donation:
    require(can_refurbish(request.user))
    return get_object_or_404(
        Donation.objects.visible_to(request.user).select_related("donor", "place"),
        reference=reference,
    )


def donation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    donation = _donation(request, reference)
    return render(
        request,
        "stock/donation_detail.html",
        {
            "donation": donation,
            "lines": donation.lines.select_related("product"),
            "devices": donation.devices.all(),
            "can_register": _workshops(request).filter(pk=donation.place_id).exists(),
        },
    )


def donation_receipt(request: HttpRequest, reference: str) -> HttpResponse:
    donation = _donation(request, reference)
    audit.record(request.user, AuditEvent.Action.EXPORT, donation, note="donor receipt")
    return pdf_response(
        "stock/donation_pdf.html",
        {"donation": donation, "lines": donation.lines.select_related("product")},
        f"recu-don-{donation.reference}.pdf",
    )


# --- Transfers ---------------------------------------------------------------------------


def transfer_create(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place(request, pk)
    require(can_refurbish(request.user) or can_manage_places(request.user))
    form = bind(request, TransferForm, from_place=place, destinations=_places(request).active())
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.send(
                Transfer(
                    from_place=place,
                    to_place=form.cleaned_data["to_place"],
                    note=form.cleaned_data["note"],
                ),
                devices=form.cleaned_data["devices"],
                products=quantities(form),
                by=request.user,
            )
        except StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Transfert envoyé : imprimez le bon de livraison %(reference)s.")
                % {"reference": transfer.reference},
            )
            return redirect(transfer)
    return render(request, "stock/transfer_form.html", {"place": place, "form": form})


def _transfer(request: HttpRequest, reference: str) -> Transfer:
    require(can_see_stock(request.user))
    return get_object_or_404(
        Transfer.objects.visible_to(request.user).select_related(
            "from_place", "to_place", "sent_by", "received_by"
        ),
        reference=reference,
    )


def transfer_detail(request: HttpRequest, reference: str) -> HttpResponse:
    transfer = _transfer(request, reference)
    return render(
        request,
        "stock/transfer_detail.html",
        {
            "transfer": transfer,
            "lines": transfer.lines.select_related("device", "product"),
            "can_confirm": transfer.received_at is None
            and _places(request).filter(pk=transfer.to_place_id).exists(),
        },
    )


@require_POST
def transfer_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    transfer = _transfer(request, reference)
    require(_places(request).filter(pk=transfer.to_place_id).exists())
    try:
        services.confirm_receipt(transfer, by=request.user)
    except StockError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Réception confirmée : les articles sont dans le stock de %(place)s.")
            % {"place": transfer.to_place},
        )
    return redirect(transfer)


def transfer_note(request: HttpRequest, reference: str) -> HttpResponse:
    transfer = _transfer(request, reference)
    return pdf_response(
        "stock/transfer_pdf.html",
        {"transfer": transfer, "lines": transfer.lines.select_related("device", "product")},
        f"bon-de-livraison-{transfer.reference}.pdf",
    )


# --- The counter -------------------------------------------------------------------------


def _counters(request: HttpRequest) -> QuerySet[Place]:
    return _places(request).filter(kind__in=(PlaceKind.RELAY, PlaceKind.KIT), is_active=True)


def counters(request: HttpRequest) -> HttpResponse:
    """The counters this person serves at: straight to the only one, or a choice."""
    places = list(_counters(request).select_related("structure", "department"))
    if len(places) == 1:
        return redirect("stock:counter", pk=places[0].pk)
    return render(request, "stock/counters.html", {"places": places})


def counter(request: HttpRequest, pk: int) -> HttpResponse:
    """A relay's counter: find the person to serve; the day's sales."""
    place = get_object_or_404(_counters(request).select_related("structure"), pk=pk)
    search = PersonSearchForm(request.GET or None)
    people: list[Beneficiary] = []
    if search.is_valid():
        people = list(
            Beneficiary.objects.visible_to(request.user)
            .named()
            .search(search.cleaned_data["q"])
            .select_related("structure")[:20]
        )
    return render(
        request,
        "stock/counter.html",
        {
            "place": place,
            "search": search,
            "people": people,
            "searched": search.is_bound,
            "sales": place.sales.filter(sold_at__date=timezone.localdate())
            .select_related("beneficiary")
            .order_by("-sold_at"),
            "held": place.balances.filter(quantity__gt=0).select_related("product"),
            "devices": place.devices.for_sale().count(),
        },
    )


def counter_person(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """Serve one person: their eligibility and caps, then the basket."""
    place = get_object_or_404(_counters(request).select_related("structure"), pk=pk)
    person = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).named(), reference=reference
    )
    form = bind(request, SaleForm, place=place)
    criterion = CriterionForm(prefix="critere")
    if request.method == "POST" and form.is_valid():
        try:
            sale = _sell(request, place, person, form)
        except StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Vente enregistrée : ticket %(reference)s.") % {"reference": sale.reference},
            )
            return redirect(sale)
    else:
        record_view(person, by=request.user)
    today = timezone.localdate()
    found = eligibility.basis(person, today)
    return render(
        request,
        "stock/counter_person.html",
        {
            "place": place,
            "person": person,
            "form": form,
            "criterion": criterion,
            "basis": found,
            "refusal": eligibility.refusal(person, today, None),
            "topups": eligibility.topups_this_month(person, today),
            "recent": person.purchases.standing()
            .filter(lines__device__isnull=False)
            .select_related("place")
            .prefetch_related("lines__device")
            .distinct()[:10],
            "for_sale": place.devices.for_sale().filter(
                Q(state=DeviceState.READY) | Q(reserved_for=person)
            ),
        },
    )


def _sell(request: HttpRequest, place: Place, person: Beneficiary, form: SaleForm) -> Sale:
    data = form.cleaned_data
    iccids = list(data["iccids"])
    lines = []
    for product, quantity in quantities(form).items():
        if not quantity:
            continue
        if product.kind == ProductKind.SIM and iccids:
            for _unit in range(quantity):
                lines.append(ProductLine(product, 1, iccids.pop(0) if iccids else ""))
        else:
            lines.append(ProductLine(product, quantity))
    if iccids:
        raise StockError(_("Il y a plus de numéros de carte SIM que de cartes SIM choisies."))
    distribution = data.get("free_distribution")
    return services.sell(
        place=place,
        person=person,
        devices=data["devices"],
        products=_merged(lines),
        payment=data["payment"],
        free_distribution=distribution,
        by=request.user,
    )


def _merged(lines: list[ProductLine]) -> list[ProductLine]:
    """Units of a product without a SIM number are sold on one line."""
    merged: dict[int, ProductLine] = {}
    kept = []
    for line in lines:
        if line.iccid:
            kept.append(line)
        elif line.product.pk in merged:
            before = merged[line.product.pk]
            merged[line.product.pk] = ProductLine(line.product, before.quantity + line.quantity)
        else:
            merged[line.product.pk] = line
    return [*merged.values(), *kept]


@require_POST
def counter_criterion(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    place = get_object_or_404(_counters(request), pk=pk)
    person = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).named(), reference=reference
    )
    form = CriterionForm(request.POST, prefix="critere")
    if form.is_valid():
        check = services.record_criterion(person, form.cleaned_data["criterion"], by=request.user)
        messages.success(
            request,
            _("Critère enregistré : %(criterion)s, valable jusqu'au %(date)s.")
            % {
                "criterion": check.get_criterion_display(),
                "date": check.valid_until.strftime("%d/%m/%Y"),
            },
        )
    else:
        messages.error(request, errors_text(form))
    return redirect("stock:counter_person", pk=place.pk, reference=person.reference)


def sale_list(request: HttpRequest) -> HttpResponse:
    require(can_see_stock(request.user))
    sales = Sale.objects.visible_to(request.user).select_related("place", "beneficiary")
    place = request.GET.get("lieu", "")
    if place.isdigit():
        sales = sales.filter(place_id=int(place))
    return render(
        request,
        "stock/sale_list.html",
        {
            "page": paginate(request, sales),
            "counters": _counters(request),
            "place": place,
            "filters": query_string(request.GET),
        },
    )


def _sale(request: HttpRequest, reference: str) -> Sale:
    require(can_see_stock(request.user))
    return get_object_or_404(
        Sale.objects.visible_to(request.user).select_related(
            "place__structure", "beneficiary", "sold_by", "free_distribution", "referral"
        ),
        reference=reference,
    )


def sale_detail(request: HttpRequest, reference: str) -> HttpResponse:
    sale = _sale(request, reference)
    return render(
        request,
        "stock/sale_detail.html",
        {
            "sale": sale,
            "lines": sale.lines.select_related("device", "product"),
            "cancel": CancelForm() if sale.may_be_cancelled() else None,
        },
    )


@require_POST
def sale_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    sale = _sale(request, reference)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'annulation."))
        return redirect(sale)
    try:
        services.cancel(sale, reason=form.cleaned_data["reason"], by=request.user)
    except StockError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Vente annulée : les articles sont revenus en stock."))
    return redirect(sale)


def sale_receipt(request: HttpRequest, reference: str) -> HttpResponse:
    sale = _sale(request, reference)
    audit.record(request.user, AuditEvent.Action.EXPORT, sale, note="receipt")
    lines = list(sale.lines.select_related("device", "product"))
    return pdf_response(
        "stock/receipt_pdf.html",
        {
            "sale": sale,
            "lines": [(line, euros(line.unit_price), euros(line.amount)) for line in lines],
            "total": euros(sale.total),
            "devices": [line.device for line in lines if line.device],
            "warranty_months": settings.STOCK_WARRANTY_MONTHS,
        },
        f"ticket-{sale.reference}.pdf",
    )


# --- The solidarity offer ----------------------------------------------------------------


def price_lists(request: HttpRequest) -> HttpResponse:
    require(can_see_stock(request.user))
    today = timezone.localdate()
    current = PriceList.objects.valid_on(today)
    return render(
        request,
        "stock/price_lists.html",
        {
            "lists": PriceList.objects.all(),
            "current": current,
            "prices": current.prices.select_related("product") if current else [],
            "can_edit": can_set_offer(request.user),
        },
    )


def price_list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(can_set_offer(request.user))
    price_list = get_object_or_404(PriceList, pk=pk) if pk else None
    form = bind(request, PriceListForm, instance=price_list)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            saved.prices.all().delete()
            Price.objects.bulk_create(
                Price(
                    price_list=saved, device_kind=kind, grade=grade, product=product, amount=amount
                )
                for kind, grade, product, amount in form.amounts()
            )
            audit.record(
                request.user,
                AuditEvent.Action.UPDATE if price_list else AuditEvent.Action.CREATE,
                saved,
                changes={
                    "prices": [
                        None,
                        {f"{k}{g}{p.pk if p else ''}": str(a) for k, g, p, a in form.amounts()},
                    ]
                },
            )
        messages.success(request, _("La grille « %(name)s » est enregistrée.") % {"name": saved})
        return redirect("stock:price_lists")
    return render(request, "stock/price_list_form.html", {"form": form, "price_list": price_list})


def product_list(request: HttpRequest) -> HttpResponse:
    require(can_see_stock(request.user))
    return render(
        request,
        "stock/product_list.html",
        {"products": Product.objects.all(), "can_edit": can_set_offer(request.user)},
    )


def product_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(can_set_offer(request.user))
    product = get_object_or_404(Product, pk=pk) if pk else None
    form = bind(request, ProductForm, instance=product)
    if request.method == "POST" and form.is_valid():
        saved = audit.save_form(
            form, request.user, fields=["name", "kind", "operator", "face_value", "is_active"]
        )
        messages.success(request, _("Le produit « %(name)s » est enregistré.") % {"name": saved})
        return redirect("stock:product_list")
    return render(request, "stock/product_form.html", {"form": form, "product": product})


def distribution_list(request: HttpRequest) -> HttpResponse:
    require(can_see_stock(request.user))
    operations = FreeDistribution.objects.select_related("product", "programme").prefetch_related(
        "places"
    )
    places = _places(request)
    if not can_set_offer(request.user):
        operations = operations.filter(places__in=places).distinct()
    return render(
        request,
        "stock/distribution_list.html",
        {
            "operations": [(operation, operation.given()) for operation in operations],
            "can_edit": can_set_offer(request.user),
        },
    )


def distribution_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(can_set_offer(request.user))
    operation = get_object_or_404(FreeDistribution, pk=pk) if pk else None
    form = bind(request, FreeDistributionForm, instance=operation, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = audit.save_form(
            form, request.user, fields=["name", "criteria", "quantity", "start", "end"]
        )
        messages.success(request, _("L'opération « %(name)s » est enregistrée.") % {"name": saved})
        return redirect("stock:distribution_list")
    return render(request, "stock/distribution_form.html", {"form": form, "operation": operation})


# --- The laptop fleet --------------------------------------------------------------------


def _fleets(request: HttpRequest) -> QuerySet[Fleet]:
    require(can_refurbish(request.user))
    return Fleet.objects.filter(place__in=_places(request)).select_related("place")


def fleet_list(request: HttpRequest) -> HttpResponse:
    fleets = _fleets(request).annotate(size=Count("devices")).order_by("name", "pk")
    places = _places(request).filter(is_active=True)
    form = bind(request, FleetForm, places=places) if can_manage_places(request.user) else None
    if request.method == "POST":
        require(form is not None)
        assert form is not None
        if form.is_valid():
            fleet = audit.save_form(form, request.user, fields=["name", "place", "owner"])
            messages.success(
                request,
                _(
                    "La flotte « %(name)s » est créée : ses ordinateurs s'y ajoutent à leur "
                    "enregistrement."
                )
                % {"name": fleet.name},
            )
            return redirect(fleet)
    today = timezone.localdate()
    return render(
        request,
        "stock/fleet_list.html",
        {
            "fleets": [(fleet, len(services.available(fleet, today))) for fleet in fleets],
            "overdue": FleetLoan.objects.visible_to(request.user)
            .overdue(today)
            .select_related("fleet", "facilitator")
            .annotate(size=Count("items")),
            "form": form,
        },
    )


def fleet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fleet = get_object_or_404(_fleets(request), pk=pk)
    today = timezone.localdate()
    available = services.available(fleet, today)
    sessions = (
        Session.objects.filter(
            cohort__in=Cohort.objects.visible_to(request.user),
            cohort__structure__commune__department_id=fleet.place.department_id,
            starts_at__date__gte=today,
            starts_at__date__lte=today + timedelta(days=14),
        )
        .exclude(cohort__status=CohortStatus.CANCELLED)
        .select_related("cohort__course", "cohort__structure")
        .order_by("starts_at")
    )
    initial: dict[str, Any] = {}
    asked = sessions.filter(pk=request.GET.get("seance") or 0).first()
    if asked is not None:
        initial = {
            "session": asked.pk,
            "due_on": timezone.localtime(asked.starts_at).date(),
            "facilitator": asked.cohort.facilitators.values_list("pk", flat=True).first(),
            "devices": [d.pk for d in available[: asked.cohort.capacity]],
        }
    form = bind(request, CheckOutForm, available=available, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.check_out(
                fleet,
                list(data["devices"]),
                facilitator=data["facilitator"],
                due_on=data["due_on"],
                session=data["session"],
                note=data["note"],
                by=request.user,
            )
        except StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(count)s ordinateurs sortis, retour prévu le %(date)s.")
                % {"count": loan.items.count(), "date": loan.due_on.strftime("%d/%m/%Y")},
            )
            return redirect(loan)
    return render(
        request,
        "stock/fleet_detail.html",
        {
            "fleet": fleet,
            "devices": fleet.devices.order_by("reference"),
            "available": available,
            "form": form,
            "loans": fleet.loans.open().select_related("facilitator").annotate(size=Count("items")),
            "today": today,
        },
    )


def fleet_loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_refurbish(request.user))
    loan = get_object_or_404(
        FleetLoan.objects.visible_to(request.user).select_related("fleet", "facilitator"), pk=pk
    )
    items = list(loan.items.select_related("device"))
    form = bind(request, CheckInForm, items=items) if loan.returned_at is None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.check_in(loan, form.conditions(), by=request.user)
        except StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Retour enregistré."))
            return redirect(loan)
    return render(
        request,
        "stock/fleet_loan_detail.html",
        {"loan": loan, "items": items, "form": form, "overdue": loan.is_overdue()},
    )
