"""Pages anyone may read without an account."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from maillage.animation import services, tasks
from maillage.animation.forms import ApplicationForm, MeetingRegistrationForm
from maillage.animation.models import Application, Call, InfoMeeting
from maillage.bookings.services import coming_at
from maillage.core import throttle
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people import services as people
from maillage.people.enums import Language
from maillage.public import opendata, places
from maillage.public.forms import CallBackForm, PlaceErrorForm
from maillage.public.tasks import report_place_error


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {
            "relay_count": Structure.objects.filter(relay_status=RelayStatus.RELAY).count(),
            "search_form": places.PlaceSearchForm(),
        },
    )


def _page(template: str) -> Callable[[HttpRequest], HttpResponse]:
    @login_not_required
    def view(request: HttpRequest) -> HttpResponse:
        return render(
            request,
            template,
            {
                "organisation_name": settings.ORGANISATION_NAME,
                "organisation_address": settings.ORGANISATION_ADDRESS,
                "contact_email": settings.CONTACT_EMAIL,
                "hosting_provider": settings.HOSTING_PROVIDER,
            },
        )

    return view


legal_notice = _page("public/legal_notice.html")
privacy = _page("public/privacy.html")
accessibility = _page("public/accessibility.html")


# --- Finding a place near me ------------------------------------------------------------------


@login_not_required
@require_safe
def place_search(request: HttpRequest) -> HttpResponse:
    """The list first (sorted by distance, paginated), then the same results on a map."""
    form = places.PlaceSearchForm(request.GET or None)
    now = timezone.now()
    results = None
    if form.is_bound and form.is_valid():
        results = places.search(form.cleaned_data, now)
    ranked = results.ranked if results else []
    page = Paginator(ranked, places.PAGE_SIZE).get_page(request.GET.get("page"))
    offers = {choice.data["value"]: choice for choice in form["offre"]}
    return render(
        request,
        "public/place_search.html",
        {
            "form": form,
            "results": results,
            "page": page,
            "found": places.places(list(page.object_list), now),
            "offer_groups": [
                (label, [offers[c.value] for c in choices])
                for label, choices in places.OFFER_GROUPS
            ],
            "filtered": any(request.GET.getlist(name) for name in places.FILTERS),
            "map_points": places.map_points(ranked, results.marks if results else None),
            "workshops": places.coming_workshops(ranked, now),
        },
    )


def _listed_place(pk: int) -> Structure:
    return get_object_or_404(
        Structure.objects.listed().select_related("commune__department"), pk=pk
    )


@login_not_required
@require_safe
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = _listed_place(pk)
    now = timezone.now()
    workshops, slots = coming_at(place, now)
    return render(
        request,
        "public/place_detail.html",
        {
            "place": place,
            "status": place.hours_status(now),
            "postal_code": place.commune.postal_codes.order_by("code").first(),
            "workshops": workshops,
            "slots": slots,
            "map_points": places.map_points([(place.pk, 0.0)]),
        },
    )


@login_not_required
def place_error(request: HttpRequest, pk: int) -> HttpResponse:
    """« Signaler une erreur »: what is wrong reaches the place's staff by e-mail."""
    place = _listed_place(pk)
    form = PlaceErrorForm(request.POST or None)
    if throttle.accepts(request, form, throttle.PLACE_ERROR, f"place:{place.pk}"):
        transaction.on_commit(
            partial(
                report_place_error.enqueue,
                place.pk,
                form.cleaned_data["message"],
                form.cleaned_data["contact"],
            )
        )
        messages.success(request, _("Merci : votre message a été transmis à l'équipe de ce lieu."))
        return redirect("public:place_detail", place.pk)
    return render(request, "public/place_error.html", {"place": place, "form": form})


@login_not_required
def place_call_back(request: HttpRequest, pk: int) -> HttpResponse:
    """« Je voudrais être rappelé·e »: a referral from the public in the place's inbox."""
    place = _listed_place(pk)
    form = CallBackForm(request.POST or None)
    if throttle.accepts(request, form, throttle.CALL_BACK, f"place:{place.pk}"):
        referral = form.save(commit=False)
        referral.to_structure = place
        referral.from_public = True
        referral.preferred_language = Language.current()
        people.send_referral(referral, by=None)
        messages.success(
            request,
            _("Merci. L'équipe de « %(name)s » va vous rappeler.") % {"name": place.name},
        )
        return redirect("public:place_detail", place.pk)
    return render(request, "public/place_call_back.html", {"place": place, "form": form})


# --- Open data: the network's public places in the national standard --------------------------


def _open_data_version(request: HttpRequest) -> tuple[str, Any]:
    """The open data's version, read once per request (its ETag and its date both come from
    it)."""
    if not hasattr(request, "open_data_version"):
        request.open_data_version = opendata.version()  # type: ignore[attr-defined]
    return request.open_data_version  # type: ignore[attr-defined]


def _open_data(content: Callable[[], Any], content_type: str, filename: str) -> Any:
    """A file of the open data: streamed, public, with the version a harvester compares
    (ETag, Last-Modified: an unchanged file answers 304 with nothing to download)."""

    @login_not_required
    @require_safe
    @condition(
        etag_func=lambda request: _open_data_version(request)[0],
        last_modified_func=lambda request: _open_data_version(request)[1],
    )
    def view(request: HttpRequest) -> StreamingHttpResponse:
        response = StreamingHttpResponse(content(), content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "public, max-age=3600"
        response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
        return response

    return view


places_csv = _open_data(
    opendata.csv_lines, "text/csv; charset=utf-8", "lieux-mediation-numerique.csv"
)
places_json = _open_data(opendata.json_chunks, "application/json", "lieux-mediation-numerique.json")
data_inclusion_structures = _open_data(
    opendata.di_structures_chunks, "application/json", "structures.json"
)
data_inclusion_services = _open_data(
    opendata.di_services_chunks, "application/json", "services.json"
)


# --- Joining the network: open calls, information meetings, applications ----------------------


@login_not_required
def join(request: HttpRequest) -> HttpResponse:
    """How a structure joins: the open calls and the coming information meetings."""
    return render(
        request,
        "public/join.html",
        {
            "calls": Call.objects.open_on(timezone.localdate()).prefetch_related("departments"),
            "meetings": InfoMeeting.objects.upcoming()
            .select_related("department", "call")
            .annotate(registered=Count("registrations"))[:30],
        },
    )


@login_not_required
def meeting_register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(InfoMeeting.objects.upcoming().select_related("call"), pk=pk)
    form = MeetingRegistrationForm(request.POST or None)
    if throttle.accepts(request, form, throttle.MEETING, f"meeting:{meeting.pk}"):
        try:
            registration = services.register_to_meeting(meeting, **form.cleaned_data)
        except services.NetworkError as refusal:
            form.add_error(None, str(refusal))
        else:
            return render(
                request,
                "public/meeting_registered.html",
                {"meeting": meeting, "registration": registration},
            )
    return render(
        request,
        "public/meeting_register.html",
        {"meeting": meeting, "form": form},
    )


def _open_call(slug: str) -> Call:
    return get_object_or_404(
        Call.objects.filter(is_published=True).prefetch_related("questions"), slug=slug
    )


@login_not_required
def call_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """The call and a new application."""
    return _application_form(request, _open_call(slug), None, "")


@login_not_required
def call_draft(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A draft, reached through its secret link."""
    call = _open_call(slug)
    application = services.draft_for_token(token)
    if application is None or application.call_id != call.pk:
        raise Http404
    if not application.is_draft:
        return render(request, "public/application_done.html", {"application": application})
    return _application_form(request, call, application, token)


def _application_form(
    request: HttpRequest, call: Call, application: Application | None, token: str
) -> HttpResponse:
    if not call.is_open:
        return render(request, "public/call_closed.html", {"call": call})
    submitting = request.POST.get("action") == "submit"
    form = ApplicationForm(
        request.POST or None, instance=application, call=call, submitting=submitting
    )
    if throttle.accepts(request, form, throttle.APPLICATION, f"call:{call.pk}"):
        created = application is None
        with transaction.atomic():
            application = form.save(commit=False)
            if created:
                token, application.token_digest = services.new_draft_token()
            application.save()
        link = settings.SITE_URL + reverse("public:call_draft", args=[call.slug, token])
        if submitting:
            # Redirected either way (the page of a submitted application says it is submitted),
            # so that reloading the page never sends the application twice.
            try:
                services.submit(application)
            except services.NetworkError as refusal:
                messages.error(request, str(refusal))
            return redirect("public:call_draft", call.slug, token)
        if created:
            transaction.on_commit(partial(tasks.send_draft_link.enqueue, application.pk, link))
        messages.success(
            request,
            _(
                "Votre brouillon est enregistré. Gardez l'adresse de cette page (elle vous est "
                "aussi envoyée par e-mail) pour reprendre votre candidature plus tard."
            ),
        )
        return redirect("public:call_draft", call.slug, token)
    return render(
        request,
        "public/call_apply.html",
        {"call": call, "form": form, "application": application},
    )
