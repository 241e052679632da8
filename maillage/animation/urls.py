from __future__ import annotations

from django.urls import path

from maillage.animation import call_views, coaching_views, training_views

app_name = "animation"

urlpatterns = [
    path("structures/<int:pk>/accompagnement/", coaching_views.plan_start, name="plan_start"),
    # Calls for applications and the selection.
    path("appels/", call_views.call_list, name="call_list"),
    path("appels/nouveau/", call_views.call_create, name="call_create"),
    path("appels/<int:pk>/", call_views.call_detail, name="call_detail"),
    path("appels/<int:pk>/modifier/", call_views.call_edit, name="call_edit"),
    path("appels/<int:pk>/questions/", call_views.call_questions, name="call_questions"),
    path(
        "appels/<int:pk>/questions/<int:question_pk>/retirer/",
        call_views.call_question_delete,
        name="call_question_delete",
    ),
    path("appels/<int:pk>/comite/", call_views.committee, name="committee"),
    path("candidatures/<str:reference>/", call_views.application_detail, name="application_detail"),
    path(
        "candidatures/<str:reference>/preselectionner/",
        call_views.application_shortlist,
        name="application_shortlist",
    ),
    path(
        "candidatures/<str:reference>/refuser/",
        call_views.application_turn_down,
        name="application_turn_down",
    ),
    # Coaching.
    path("accompagnements/", coaching_views.plan_list, name="plan_list"),
    path("accompagnements/<int:pk>/", coaching_views.plan_detail, name="plan_detail"),
    path(
        "accompagnements/<int:pk>/diagnostic/",
        coaching_views.plan_diagnosis,
        name="plan_diagnosis",
    ),
    path("accompagnements/<int:pk>/actions/", coaching_views.action_add, name="action_add"),
    path(
        "accompagnements/<int:pk>/actions/<int:action_pk>/",
        coaching_views.action_edit,
        name="action_edit",
    ),
    path("accompagnements/<int:pk>/suivi/", coaching_views.followup_add, name="followup_add"),
    path("clotures/nouvelle/", coaching_views.closing_create, name="closing_create"),
    path("clotures/<int:pk>/", coaching_views.closing_detail, name="closing_detail"),
    # Trainings of referents.
    path("formations/", training_views.training_list, name="training_list"),
    path("formations/sessions/nouvelle/", training_views.session_create, name="session_create"),
    path(
        "formations/sessions/<int:pk>/",
        training_views.session_detail,
        name="training_session_detail",
    ),
    path(
        "formations/sessions/<int:pk>/inscription/",
        training_views.session_register,
        name="session_register",
    ),
    path(
        "formations/sessions/<int:pk>/presences/",
        training_views.session_attendance,
        name="session_attendance",
    ),
    path(
        "formations/attestations/<int:pk>/",
        training_views.certificate,
        name="training_certificate",
    ),
    path("formations/<slug:code>/", training_views.training_detail, name="training_detail"),
    # Resources and information meetings.
    path("ressources/", training_views.resource_list, name="resource_list"),
    path("ressources/nouvelle/", training_views.resource_create, name="resource_create"),
    path("ressources/<int:pk>/modifier/", training_views.resource_edit, name="resource_edit"),
    path(
        "ressources/<int:pk>/telecharger/",
        training_views.resource_download,
        name="resource_download",
    ),
    path("reunions/", training_views.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", training_views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", training_views.meeting_detail, name="meeting_detail"),
]
