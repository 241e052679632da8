from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.accounts.forms import SignInForm
from maillage.accounts.models import ApiToken, User
from maillage.core import audit, throttle
from maillage.core.models import AuditEvent
from maillage.network.models import Structure
from maillage.programmes.models import Programme


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per address and per account (counted whether the account
    exists or not, so that the limit tells nothing about who has one)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        if not throttle.spend(self.request, throttle.PASSWORD_RESET, f"account:{email}"):
            form.add_error(
                None,
                _(
                    "Trop de demandes de réinitialisation en une heure : réessayez un peu plus "
                    "tard, ou contactez l'administration du réseau."
                ),
            )
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        assert isinstance(user, User)
        audit.record(user, AuditEvent.Action.PASSWORD_CHANGE, user)
        return response


def home(request: HttpRequest) -> HttpResponse:
    """A person's landing page: their roles, and where things stand in their scope."""
    user = request.user
    status_counts = Structure.objects.visible_to(user).count_by_relay_status()
    return render(
        request,
        "accounts/home.html",
        {
            "assignments": user.role_assignments.select_related(  # type: ignore[union-attr]
                "region", "structure"
            ).prefetch_related("departments", "programmes"),
            "structure_total": sum(count for _status, count in status_counts),
            "status_counts": status_counts,
            "programmes": Programme.objects.visible_to(user)[:10],
        },
    )


@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """A person's key to the statistics API: issued (shown once), replaced or revoked."""
    user = request.user
    assert isinstance(user, User)
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            ApiToken.objects.filter(user=user).delete()
            audit.record(user, AuditEvent.Action.DELETE, user, note="api token")
            messages.success(request, _("Votre jeton d'accès à l'API est révoqué."))
            return redirect("accounts:api_token")
        key = ApiToken.issue(user)
        audit.record(user, AuditEvent.Action.CREATE, user, note="api token")
    token = ApiToken.objects.filter(user=user).first()
    return render(request, "accounts/api_token.html", {"token": token, "key": key})
