from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from maillage.territories.forms import MAX_CHOICES
from maillage.territories.models import Commune


@login_not_required
@require_GET
def commune_search(request: HttpRequest) -> HttpResponse:
    """Suggestions for the commune picker: public data, so no sign-in needed."""
    field = request.GET.get("field", "commune")
    query = request.GET.get(field, request.GET.get("q", ""))[:100]
    communes = (
        (
            Commune.objects.search(query)
            .select_related("department")
            .prefetch_related("postal_codes")
        )[:MAX_CHOICES]
        if len(query.strip()) >= 2
        else []
    )
    return render(
        request,
        "territories/commune_options.html",
        {"communes": communes, "query": query, "field": field},
    )
