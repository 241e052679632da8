from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import audit
from maillage.core.forms import bind, delete_line, save_line
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.network.models import Structure
from maillage.programmes.forms import ProgrammeForm, StaffingForm
from maillage.programmes.models import Programme, Staffing
from maillage.programmes.pages import PROGRAMME_PAGE
from maillage.programmes.perms import can_edit_programmes, can_see_programmes


def programme_list(request: HttpRequest) -> HttpResponse:
    require(can_see_programmes(request.user))
    programmes = Programme.objects.visible_to(request.user).prefetch_related("funders")
    return render(
        request,
        "programmes/programme_list.html",
        {"page": paginate(request, programmes), "can_create": can_edit_programmes(request.user)},
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)
    partners = Structure.objects.visible_to(request.user).filter(programmes=programme)
    can_edit = can_edit_programmes(request.user)
    rendered = PROGRAMME_PAGE.render(request, programme)
    staffing = list(programme.staffing.select_related("person"))
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "departments": programme.departments.select_related("region"),
            "partners": paginate(request, partners.select_related("commune__department")),
            "can_edit": can_edit,
            "sections": rendered,
            "staffing": staffing,
            "staff_by_title": Counter(s.get_title_display() for s in staffing).most_common(),
            "staffing_form": StaffingForm(programme=programme) if can_edit else None,
        },
    )


@require_POST
def staffing_add(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_edit_programmes(request.user))
    programme = get_object_or_404(Programme, slug=slug)
    form = StaffingForm(request.POST, programme=programme)
    save_line(
        request,
        form,
        fields=["title", "person", "fte", "start", "end"],
        added=_("Poste ajouté à l'équipe."),
        refused=_("Le poste n'a pas été ajouté : %(errors)s"),
    )
    return redirect(programme)


@require_POST
def staffing_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(can_edit_programmes(request.user))
    staffing = get_object_or_404(Staffing, programme__slug=slug, pk=pk)
    delete_line(
        request, staffing, fields=["title", "person", "fte"], removed=_("Poste retiré de l'équipe.")
    )
    return redirect(staffing.programme)


def programme_create(request: HttpRequest) -> HttpResponse:
    require(can_edit_programmes(request.user))
    return _save(request, None)


def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_edit_programmes(request.user))
    return _save(request, get_object_or_404(Programme, slug=slug))


def _save(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    form = bind(request, ProgrammeForm, instance=programme)
    if request.method == "POST" and form.is_valid():
        saved = audit.save_form(form, request.user, fields=ProgrammeForm.AUDITED)
        messages.success(request, _("Le programme « %(name)s » est enregistré.") % {"name": saved})
        return redirect(saved)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})
