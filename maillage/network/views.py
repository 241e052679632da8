from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import audit
from maillage.core.forms import bind
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.core.statemachine import TransitionNotAllowed
from maillage.network.forms import RelayTransitionForm, StructureFilterForm, StructureForm
from maillage.network.geocoding import geocode_later
from maillage.network.models import Structure
from maillage.network.pages import STRUCTURE_PAGE
from maillage.network.perms import (
    can_create_structure,
    may_move,
    placeable_department_ids,
    visible_departments,
)
from maillage.network.services import start_of


def structure_list(request: HttpRequest) -> HttpResponse:
    visible = Structure.objects.visible_to(request.user)
    require(visible.exists() or can_create_structure(request.user))
    filters = StructureFilterForm(
        request.GET or None, departments=visible_departments(request.user)
    )
    structures = filters.filter(visible).select_related("commune__department")
    status_counts = structures.count_by_relay_status()
    return render(
        request,
        "network/structure_list.html",
        {
            "filters": filters,
            "page": paginate(request, structures),
            "status_counts": status_counts,
            "can_create": can_create_structure(request.user),
        },
    )


def structure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(
        Structure.objects.visible_to(request.user).select_related("commune__department__region"),
        pk=pk,
    )
    return _render_detail(request, structure)


def _render_detail(
    request: HttpRequest,
    structure: Structure,
    transition_form: RelayTransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The structure page; `transition_form` is given back with its errors after a refusal."""
    can_edit = Structure.objects.editable_by(request.user).filter(pk=structure.pk).exists()
    can_transition = may_move(request.user, structure) and bool(
        Structure.relay_workflow.targets(structure.relay_status)
    )
    if transition_form is None and can_transition:
        transition_form = RelayTransitionForm(structure=structure)
    changes = (
        AuditEvent.objects.for_object(structure)
        .filter(action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE])
        .select_related("actor")[:20]
        if can_edit
        else []
    )
    return render(
        request,
        "network/structure_detail.html",
        {
            "structure": structure,
            "can_edit": can_edit,
            "transition_form": transition_form,
            "changes": changes,
            "referents": structure.referents(),
            "sections": STRUCTURE_PAGE.render(request, structure),
        },
        status=status,
    )


def structure_create(request: HttpRequest) -> HttpResponse:
    require(can_create_structure(request.user))
    form = bind(
        request, StructureForm, allowed_department_ids=placeable_department_ids(request.user)
    )
    if request.method == "POST" and form.is_valid():
        structure = audit.save_form(form, request.user, fields=Structure.EDITABLE_FIELDS)
        if form.needs_geocoding:
            geocode_later(structure)
        messages.success(request, _("La structure « %(name)s » a été créée.") % {"name": structure})
        return redirect(structure)
    return render(request, "network/structure_form.html", {"form": form, "structure": None})


def structure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure.objects.visible_to(request.user), pk=pk)
    require(Structure.objects.editable_by(request.user).filter(pk=pk).exists())
    form = bind(
        request,
        StructureForm,
        instance=structure,
        allowed_department_ids=placeable_department_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        structure = audit.save_form(form, request.user, fields=Structure.EDITABLE_FIELDS)
        if form.needs_geocoding:
            geocode_later(structure)
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect(structure)
    return render(request, "network/structure_form.html", {"form": form, "structure": structure})


@require_POST
def structure_transition(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure.objects.visible_to(request.user), pk=pk)
    require(may_move(request.user, structure))
    form = RelayTransitionForm(request.POST, structure=structure)
    if form.is_valid():
        try:
            Structure.relay_workflow.apply(
                structure,
                form.cleaned_data["target"],
                by=request.user,
                at=start_of(form.cleaned_data["on"]),
                note=form.cleaned_data["note"],
            )
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Statut mis à jour : %(status)s.")
                % {"status": structure.get_relay_status_display()},
            )
            return redirect(structure)
    return _render_detail(request, structure, transition_form=form, status=400)
