from __future__ import annotations

from django.urls import path

from maillage.learning import views

app_name = "learning"

urlpatterns = [
    path("catalogue/", views.course_list, name="course_list"),
    path("catalogue/nouveau/", views.course_create, name="course_create"),
    path("catalogue/<slug:code>/", views.course_detail, name="course_detail"),
    path("catalogue/<slug:code>/modifier/", views.course_edit, name="course_edit"),
    path("parcours/", views.cohort_list, name="cohort_list"),
    path("parcours/nouveau/", views.cohort_create, name="cohort_create"),
    path("parcours/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("parcours/<int:pk>/statut/", views.cohort_transition, name="cohort_transition"),
    path("parcours/<int:pk>/inscrire/", views.cohort_enrol, name="cohort_enrol"),
    path("inscriptions/<int:pk>/abandon/", views.enrolment_drop, name="enrolment_drop"),
    path(
        "orientations/<int:pk>/inscrire/",
        views.enrol_from_orientation,
        name="enrol_from_orientation",
    ),
    path("seances/<int:pk>/", views.session_roll_call, name="session_roll_call"),
    path("seances/<int:pk>/deplacer/", views.session_move, name="session_move"),
    path("seances/<int:pk>/compte-rendu/", views.session_report, name="session_report"),
    path("ateliers/", views.workshop_list, name="workshop_list"),
    path("ateliers/nouveau/", views.workshop_create, name="workshop_create"),
    path("ateliers/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path(
        "ateliers/<int:pk>/participants/", views.workshop_participant, name="workshop_participant"
    ),
    path("permanences/", views.drop_in_list, name="drop_in_list"),
    path("permanences/nouvelle/", views.drop_in_create, name="drop_in_create"),
    path("permanences/<int:pk>/", views.drop_in_detail, name="drop_in_detail"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/creneau/", views.agenda_slot, name="agenda_slot"),
    path("agenda/indisponibilite/", views.agenda_unavailability, name="agenda_unavailability"),
    path("agenda/calendrier/", views.agenda_feed, name="agenda_feed"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
