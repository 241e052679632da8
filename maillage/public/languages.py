"""The public's languages. Staff read French (or English); the people the network exists for
also read the public pages, the booking and call-back forms and the booking messages in
Ukrainian and Arabic. The sources below hold every word of those pages: a test extracts their
strings and fails when one lacks a translation in any of the public's languages."""

from __future__ import annotations

PUBLIC_LANGUAGES = ("en", "uk", "ar")

PUBLIC_SOURCES = (
    "templates/base.html",
    "templates/400.html",
    "templates/403.html",
    "templates/404.html",
    "templates/500.html",
    "templates/components",
    "templates/places",
    "templates/public/home.html",
    "templates/public/place_search.html",
    "templates/public/place_detail.html",
    "templates/public/place_error.html",
    "templates/public/place_call_back.html",
    "templates/bookings/book.html",
    "templates/bookings/manage.html",
    "templates/bookings/_when.html",
    "maillage/public/places.py",
    "maillage/public/forms.py",
    "maillage/public/views.py",
    "maillage/bookings/views.py",
    "maillage/people/enums.py",
    "maillage/bookings/enums.py",
    "maillage/bookings/forms.py",
    "maillage/bookings/messages.py",
    "maillage/network/hours.py",
    "maillage/network/enums.py",
)
