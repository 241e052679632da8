from __future__ import annotations

from django.urls import path

from maillage.people import views

app_name = "people"

urlpatterns = [
    path("personnes/", views.beneficiary_list, name="beneficiary_list"),
    path("personnes/nouvelle/", views.beneficiary_create, name="beneficiary_create"),
    path(
        "personnes/anonyme/",
        views.beneficiary_create_anonymous,
        name="beneficiary_create_anonymous",
    ),
    path("personnes/importer/", views.beneficiary_import, name="beneficiary_import"),
    path("personnes/importer/<int:pk>/", views.import_detail, name="import_detail"),
    path("personnes/importer/modele.<str:fmt>", views.import_template, name="import_template"),
    path("personnes/a-anonymiser/", views.people_due, name="people_due"),
    path("personnes/<str:reference>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("personnes/<str:reference>/modifier/", views.beneficiary_edit, name="beneficiary_edit"),
    path(
        "personnes/<str:reference>/accords/", views.beneficiary_consent, name="beneficiary_consent"
    ),
    path(
        "personnes/<str:reference>/export.<str:fmt>",
        views.beneficiary_export,
        name="beneficiary_export",
    ),
    path(
        "personnes/<str:reference>/anonymiser/", views.beneficiary_erase, name="beneficiary_erase"
    ),
    path("orientations/", views.referral_inbox, name="referral_inbox"),
    path("orientations/nouvelle/", views.referral_create, name="referral_create"),
    path("orientations/liens/", views.referral_links, name="referral_links"),
    path(
        "orientations/liens/<int:pk>/desactiver/",
        views.referral_link_revoke,
        name="referral_link_revoke",
    ),
    path("orientations/<str:reference>/", views.referral_detail, name="referral_detail"),
    path("orientations/<str:reference>/statut/", views.referral_step, name="referral_step"),
    path("orientations/<str:reference>/accepter/", views.referral_accept, name="referral_accept"),
    path("orienter/<str:token>/", views.referral_public, name="referral_public"),
    path("sms/reponses/<str:token>/", views.sms_reply, name="sms_reply"),
]
