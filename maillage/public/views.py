"""Pages anyone may read without an account."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maillage.network.enums import RelayStatus
from maillage.network.models import Structure


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {"relay_count": Structure.objects.filter(relay_status=RelayStatus.RELAY).count()},
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
