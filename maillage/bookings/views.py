"""Booking by the public (no account), the person's own page through a signed link, and the
staff's handling of the bookings of their places."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.bookings import services
from maillage.bookings.enums import BookingStatus
from maillage.bookings.forms import BookingForm
from maillage.bookings.models import Booking
from maillage.bookings.perms import can_handle_bookings, places_handled_by
from maillage.core import throttle
from maillage.core.perms import require
from maillage.learning.models import DropInSlot, Workshop
from maillage.people.enums import Language
from maillage.people.models import ReferralLink


def _open_activity(model: type[Workshop] | type[DropInSlot], pk: int) -> Workshop | DropInSlot:
    """An activity the public may book: at a published place, still to come, with seats."""
    activity = get_object_or_404(
        model.objects.select_related("structure__commune"), pk=pk, structure__is_public=True
    )
    if not services.is_bookable(activity, timezone.now()):
        raise Http404(_("Cette date n'est plus ouverte à la réservation."))
    return activity


def _on_behalf(request: HttpRequest, activity: Workshop | DropInSlot) -> ReferralLink | None:
    """A social worker who came through the place's referral link books for someone."""
    link = ReferralLink.from_token(request.GET.get("lien", ""))
    if link is None or link.structure_id != activity.structure_id:
        return None
    return link


def _book(request: HttpRequest, activity: Workshop | DropInSlot) -> HttpResponse:
    link = _on_behalf(request, activity)
    form = BookingForm(request.POST or None, on_behalf=link is not None)
    free = services.free_seats(activity)
    if throttle.accepts(request, form, throttle.BOOKING, f"place:{activity.structure_id}"):
        data = form.cleaned_data
        asked = services.Request(
            first_name=data["first_name"],
            phone=data["phone"],
            email=data["email"],
            purpose=data["purpose"],
            sms_consent=data["sms_consent"],
            language=Language.current(),
            booked_by=data.get("booked_by", ""),
        )
        try:
            booking = services.book(activity, asked, wait=bool(request.POST.get("attente")))
        except services.BookingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if booking.status == BookingStatus.WAITING:
                messages.success(
                    request,
                    _(
                        "Vous êtes sur la liste d'attente. Nous vous prévenons si une place se libère."
                    ),
                )
            else:
                messages.success(request, _("Votre réservation est confirmée."))
            return redirect(booking.get_public_url())
    return render(
        request,
        "bookings/book.html",
        {
            "activity": activity,
            "place": activity.structure,
            "is_workshop": isinstance(activity, Workshop),
            "free": free,
            "form": form,
            "link": link,
        },
    )


@login_not_required
def book_workshop(request: HttpRequest, pk: int) -> HttpResponse:
    return _book(request, _open_activity(Workshop, pk))


@login_not_required
def book_slot(request: HttpRequest, pk: int) -> HttpResponse:
    return _book(request, _open_activity(DropInSlot, pk))


@login_not_required
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own page, reached from the link of their SMS or e-mail: see or cancel."""
    pk = Booking.from_token(token)
    booking = get_object_or_404(
        Booking.objects.select_related("structure__commune", "workshop", "slot"),
        pk=pk,
        erased_at=None,
    )
    now = timezone.now()
    if request.method == "POST":
        if booking.may_be_cancelled(now):
            services.cancel(booking)
            messages.success(
                request, _("Votre réservation est annulée. Merci de nous avoir prévenus.")
            )
        else:
            messages.error(
                request,
                _("Il est trop tard pour annuler en ligne : appelez le lieu pour le prévenir."),
            )
        return redirect(booking.get_public_url())
    return render(
        request,
        "bookings/manage.html",
        {
            "booking": booking,
            "place": booking.structure,
            "cancellable": booking.may_be_cancelled(now),
        },
    )


# --- The staff --------------------------------------------------------------------------------


def slot_bookings(request: HttpRequest, pk: int) -> HttpResponse:
    """The bookings of a drop-in slot, each to turn into the recorded drop-in."""
    require(can_handle_bookings(request.user))
    slot = get_object_or_404(
        DropInSlot.objects.filter(structure__in=places_handled_by(request.user)).select_related(
            "structure", "facilitator"
        ),
        pk=pk,
    )
    return render(
        request,
        "bookings/slot_bookings.html",
        {
            "slot": slot,
            "bookings": services.shown_to_staff(request.user, slot),
            "free": services.free_seats(slot),
        },
    )


def _handled(request: HttpRequest, pk: int) -> Booking:
    require(can_handle_bookings(request.user))
    return get_object_or_404(
        Booking.objects.handled_by(request.user).select_related("workshop", "slot"), pk=pk
    )


def _back(booking: Booking) -> str:
    if booking.workshop_id is not None:
        return reverse("learning:workshop_detail", args=[booking.workshop_id]) + "#reservations"
    return reverse("bookings:slot_bookings", args=[booking.slot_id])


@require_POST
def came(request: HttpRequest, pk: int) -> HttpResponse:
    """« Présent·e »: a workshop counts the person; a drop-in opens its form, filled in."""
    booking = _handled(request, pk)
    if booking.slot_id is not None:
        return redirect(reverse("learning:drop_in_create") + f"?reservation={booking.pk}")
    if not Booking.workflow.can(booking.status, BookingStatus.ATTENDED):
        messages.error(request, _("Cette réservation a déjà été traitée."))
    else:
        services.came_to_workshop(booking, by=request.user)
        messages.success(
            request,
            _("%(name)s est compté·e parmi les participants.") % {"name": booking.first_name},
        )
    return redirect(_back(booking))


@require_POST
def did_not_come(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _handled(request, pk)
    if not Booking.workflow.can(booking.status, BookingStatus.NO_SHOW):
        messages.error(request, _("Cette réservation a déjà été traitée."))
    else:
        services.did_not_come(booking, by=request.user)
        messages.success(
            request, _("Absence enregistrée pour %(name)s.") % {"name": booking.first_name}
        )
    return redirect(_back(booking))
