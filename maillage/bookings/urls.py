from __future__ import annotations

from django.urls import path

from maillage.bookings import views

app_name = "bookings"

urlpatterns = [
    path("reserver/atelier/<int:pk>/", views.book_workshop, name="book_workshop"),
    path("reserver/permanence/<int:pk>/", views.book_slot, name="book_slot"),
    path("reservations/<str:token>/", views.manage, name="manage"),
    path(
        "accompagner/reservations/permanences/<int:pk>/",
        views.slot_bookings,
        name="slot_bookings",
    ),
    path("accompagner/reservations/<int:pk>/present/", views.came, name="came"),
    path("accompagner/reservations/<int:pk>/absent/", views.did_not_come, name="did_not_come"),
]
