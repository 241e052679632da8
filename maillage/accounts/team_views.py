"""The team screen: the accounts a manager reaches, invitations, roles, access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from maillage.accounts import perms, team
from maillage.accounts.forms import InviteForm, TeamRoleForm
from maillage.accounts.models import User
from maillage.accounts.second_factor import has_second_factor, reauthenticated
from maillage.core.pagination import paginate
from maillage.core.perms import require


def _account(request: HttpRequest, pk: int) -> User:
    require(perms.can_manage_team(request.user))
    return get_object_or_404(perms.accounts_reached(request.user), pk=pk)


def team_list(request: HttpRequest) -> HttpResponse:
    require(perms.can_manage_team(request.user))
    accounts = perms.accounts_reached(request.user).annotate(roles=Count("role_assignments"))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        accounts = accounts.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return render(
        request,
        "accounts/team_list.html",
        {
            "page": paginate(request, accounts.order_by("full_name", "email")),
            "query": query,
        },
    )


@reauthenticated
@require_http_methods(["GET", "POST"])
def team_invite(request: HttpRequest) -> HttpResponse:
    require(perms.can_manage_team(request.user))
    invite_form = InviteForm(request.POST or None)
    role_form = TeamRoleForm(request.user, request.POST or None, prefix="role")
    if request.method == "POST" and invite_form.is_valid() and role_form.is_valid():
        account, created = team.invite(
            invite_form.cleaned_data["email"],
            invite_form.cleaned_data["full_name"],
            role_form,
            by=request.user,
        )
        if created:
            messages.success(
                request,
                _("Compte créé : %(email)s a reçu un e-mail pour choisir son mot de passe.")
                % {"email": account.email},
            )
        else:
            messages.success(
                request,
                _("%(email)s avait déjà un compte : le rôle lui est ajouté.")
                % {"email": account.email},
            )
        return redirect("accounts:team_member", account.pk)
    return render(
        request,
        "accounts/team_invite.html",
        {"invite_form": invite_form, "role_form": role_form},
    )


@reauthenticated
@require_http_methods(["GET", "POST"])
def team_member(request: HttpRequest, pk: int) -> HttpResponse:
    """An account: its roles (each removable when within reach), a role to add, its access."""
    account = _account(request, pk)
    role_form = TeamRoleForm(request.user, request.POST or None, prefix="role")
    if request.method == "POST" and role_form.is_valid():
        team.grant(account, role_form)
        messages.success(request, _("Rôle ajouté."))
        return redirect("accounts:team_member", account.pk)
    assignments = account.role_assignments.select_related("region", "structure").prefetch_related(
        "departments", "programmes"
    )
    return render(
        request,
        "accounts/team_member.html",
        {
            "account": account,
            "roles": [(a, perms.may_change_role(request.user, a)) for a in assignments],
            "role_form": role_form,
            "may_change": perms.may_change_account(request.user, account),
            "has_second_factor": has_second_factor(account),
        },
    )


@reauthenticated
@require_POST
def team_role_remove(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    account = _account(request, pk)
    assignment = get_object_or_404(account.role_assignments, pk=role_pk)
    require(perms.may_change_role(request.user, assignment))
    assignment.delete()
    messages.success(
        request, _("Rôle retiré : %(role)s.") % {"role": assignment.get_role_display()}
    )
    return redirect("accounts:team_member", account.pk)


ACCESS_CHANGES: dict[str, tuple[Any, Any]] = {
    "deactivate": (
        lambda account, by: team.set_active(account, False),
        gettext_lazy("Compte désactivé : la personne ne peut plus se connecter."),
    ),
    "reactivate": (
        lambda account, by: team.set_active(account, True),
        gettext_lazy("Compte réactivé."),
    ),
    "unlock": (
        lambda account, by: team.unlock(account, by=by),
        gettext_lazy("Compte déverrouillé."),
    ),
    "remove_second_factor": (
        lambda account, by: team.remove_second_factor(account, by=by),
        gettext_lazy(
            "Double authentification retirée : la personne l'activera à nouveau à sa prochaine "
            "connexion."
        ),
    ),
}


@reauthenticated
@require_POST
def team_access(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    change = ACCESS_CHANGES.get(request.POST.get("action", ""))
    require(change is not None and perms.may_change_account(request.user, account))
    if account.pk == request.user.pk:
        messages.error(request, _("Vous ne pouvez pas modifier l'accès de votre propre compte."))
        return redirect("accounts:team_member", account.pk)
    assert change is not None
    apply, done = change
    apply(account, request.user)
    messages.success(request, str(done))
    return redirect("accounts:team_member", account.pk)
