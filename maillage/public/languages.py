"""The public's languages. Staff read French (or English); the people the network exists for
also read the public pages, the booking and call-back forms and the booking messages in
Ukrainian and Arabic, and so does every other page open without an account except the staff's
doors (signing in, the API). The sources below hold the words of those pages: a test extracts
their strings and fails when one lacks a translation in any of the public's languages; another
opens every such page and fails on any string it shows untranslated (form labels included)."""

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
    "templates/public",
    "templates/impact/public_statistics.html",
    "templates/people/referral_form.html",
    "templates/people/referral_public_done.html",
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
