from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from maillage.accounts import team_views, views
from maillage.accounts.middleware import before_second_factor

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("jeton-api/", views.api_token, name="api_token"),
    path("connexion/", views.SignInView.as_view(), name="login"),
    path("connexion/code/", views.second_factor, name="second_factor"),
    path("double-authentification/", views.second_factor_enrol, name="second_factor_enrol"),
    path("double-authentification/codes/", views.recovery_codes, name="recovery_codes"),
    path("confirmer/", views.confirm, name="confirm"),
    path("equipe/", team_views.team_list, name="team_list"),
    path("equipe/inviter/", team_views.team_invite, name="team_invite"),
    path("equipe/<int:pk>/", team_views.team_member, name="team_member"),
    path(
        "equipe/<int:pk>/roles/<int:role_pk>/retirer/",
        team_views.team_role_remove,
        name="team_role_remove",
    ),
    path("equipe/<int:pk>/acces/", team_views.team_access, name="team_access"),
    path(
        "deconnexion/",
        before_second_factor(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oublie/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
