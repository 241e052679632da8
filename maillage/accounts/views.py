from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.accounts import second_factor as second_factor_module
from maillage.accounts import throttle
from maillage.accounts.forms import LOCKED, CodeForm, ConfirmForm, SignInForm, throttled_message
from maillage.accounts.middleware import before_second_factor
from maillage.accounts.models import ApiToken, RecoveryCodes, User
from maillage.accounts.perms import can_manage_team
from maillage.core import audit
from maillage.core import throttle as doors
from maillage.core.models import AuditEvent
from maillage.core.perms import require
from maillage.core.throttle import client_address
from maillage.network.models import Structure
from maillage.programmes.models import Programme


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    # Django's view names the site after the request's host: the pages say « Maillage ».
    extra_context = {"site_name": settings.SITE_NAME}


def _next(request: HttpRequest) -> str:
    """Where to go once the step is done: a path of this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse("accounts:home"))


def _held_back(
    request: HttpRequest, user: User, form: Any, field: str | None
) -> HttpResponse | bool:
    """Before a code or a password is checked: a locked account is signed out and sent to the
    sign-in page (the response); a throttled one reads the wait on the form (True)."""
    verdict = throttle.check(user.email, client_address(request))
    if verdict.locked:
        logout(request)
        messages.error(request, str(LOCKED))
        return redirect("accounts:login")
    if verdict.blocked:
        form.add_error(field, throttled_message(verdict.retry_in_minutes))
    return verdict.blocked


@before_second_factor
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code of the authenticator app (or a recovery code), after the password."""
    user = request.user
    assert isinstance(user, User)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if not second_factor_module.has_second_factor(user):
        return redirect("accounts:second_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        held = _held_back(request, user, form, "code")
        if isinstance(held, HttpResponse):
            return held
        if not held:
            if second_factor_module.verify(request, form.cleaned_data["code"]):
                return redirect(_next(request))
            form.add_error(
                "code",
                _(
                    "Ce code ne convient pas. Saisissez le code à 6 chiffres affiché maintenant "
                    "par votre application, ou un de vos codes de secours."
                ),
            )
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next(request)})


@before_second_factor
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), give the first code;
    the recovery codes are then shown, once."""
    user = request.user
    assert isinstance(user, User)
    enrolled = second_factor_module.has_second_factor(user)
    if enrolled and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:second_factor")
    if enrolled and not second_factor_module.confirmed_recently(request):
        return redirect(
            f"{reverse('accounts:confirm')}?{urlencode({'next': request.get_full_path()})}"
        )
    device = second_factor_module.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor_module.enrol(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "enrolled": True},
            )
        form.add_error(
            "code",
            _(
                "Ce code ne convient pas. Vérifiez que l'heure de votre téléphone est juste, "
                "puis saisissez le code affiché maintenant."
            ),
        )
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "qr_code": mark_safe(second_factor_module.qr_code(device)),  # noqa: S308 (our SVG)
            "secret": second_factor_module.secret_of(device),
            "next": _next(request),
            "required": second_factor_module.must_enrol(user) or enrolled,
        },
    )


@second_factor_module.reauthenticated
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the previous ones stop working), shown once."""
    user = request.user
    assert isinstance(user, User)
    require(second_factor_module.has_second_factor(user))
    codes = RecoveryCodes.issue(user)
    audit.record(user, AuditEvent.Action.RECOVERY_CODES, user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:home"), "enrolled": False},
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Prove again who you are before a sensitive action: the password, or the code."""
    user = request.user
    assert isinstance(user, User)
    form = ConfirmForm(user, request.POST or None)
    if request.method == "POST":
        held = _held_back(request, user, form, None)
        if isinstance(held, HttpResponse):
            return held
        if not held:
            if form.is_valid():
                throttle.record(user.email, client_address(request), succeeded=True)
                second_factor_module.confirmed_now(request)
                audit.record(user, AuditEvent.Action.REAUTHENTICATED, user)
                return redirect(_next(request))
            throttle.record(user.email, client_address(request), succeeded=False)
    return render(
        request,
        "accounts/confirm.html",
        {
            "form": form,
            "next": _next(request),
            "minutes": settings.REAUTHENTICATION_MINUTES,
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per address and per account (counted whether the account
    exists or not, so that the limit tells nothing about who has one)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": settings.SITE_NAME}

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        if not doors.spend(self.request, doors.PASSWORD_RESET, f"account:{email}"):
            form.add_error(
                None,
                _(
                    "Trop de demandes de réinitialisation en une heure : réessayez un peu plus "
                    "tard, ou contactez l'administration du réseau."
                ),
            )
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset; a new password also unlocks an account locked after too many failed
    sign-ins."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.user is not None:
            throttle.unlock(self.user, by=self.user)
            audit.record(self.user, AuditEvent.Action.PASSWORD_CHANGE, self.user, note="reset")
        return response


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
            "has_second_factor": second_factor_module.has_second_factor(user),
            "can_manage_team": can_manage_team(user),
        },
    )


@second_factor_module.reauthenticated
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
