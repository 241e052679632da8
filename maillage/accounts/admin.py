from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from maillage.accounts.forms import RoleAssignmentForm
from maillage.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.StackedInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    extra = 0
    raw_id_fields = ["structure"]
    filter_horizontal = ["departments", "programmes"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "role_assignments__role"]
    search_fields = ["email", "full_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        (_("Accès"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@login_not_required
def sign_in_through_the_site(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The technical administration has no sign-in of its own: the site's (same throttle, same
    journal, same second factor) opens it to the administrators."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target, reverse("accounts:login"))
    if admin.site.has_permission(request):
        return redirect(target)
    raise PermissionDenied


admin.site.login = sign_in_through_the_site  # type: ignore[method-assign]
