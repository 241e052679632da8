from __future__ import annotations

from django.urls import path

from maillage.stock import views

app_name = "stock"

urlpatterns = [
    path("lieux/", views.place_list, name="place_list"),
    path("lieux/nouveau/", views.place_create, name="place_create"),
    path("lieux/<int:pk>/", views.place_detail, name="place_detail"),
    path("lieux/<int:pk>/mouvements/", views.place_ledger, name="place_ledger"),
    path("lieux/<int:pk>/inventaire/", views.place_count, name="place_count"),
    path("lieux/<int:pk>/envoyer/", views.transfer_create, name="transfer_create"),
    path("inventaires/<int:pk>/", views.count_detail, name="count_detail"),
    path("equipements/", views.device_list, name="device_list"),
    path("equipements/nouveau/", views.device_create, name="device_create"),
    path("equipements/<str:reference>/", views.device_detail, name="device_detail"),
    path("equipements/<str:reference>/etape/<str:step>/", views.device_detail, name="device_step"),
    path(
        "equipements/<str:reference>/certificat-effacement.pdf",
        views.device_certificate,
        name="device_certificate",
    ),
    path("dons/", views.donation_list, name="donation_list"),
    path("dons/nouveau/", views.donation_create, name="donation_create"),
    path("dons/<str:reference>/", views.donation_detail, name="donation_detail"),
    path("dons/<str:reference>/recu.pdf", views.donation_receipt, name="donation_receipt"),
    path("transferts/<str:reference>/", views.transfer_detail, name="transfer_detail"),
    path("transferts/<str:reference>/reception/", views.transfer_confirm, name="transfer_confirm"),
    path(
        "transferts/<str:reference>/bon-de-livraison.pdf", views.transfer_note, name="transfer_note"
    ),
    path("comptoir/", views.counters, name="counters"),
    path("comptoir/<int:pk>/", views.counter, name="counter"),
    path(
        "comptoir/<int:pk>/personne/<str:reference>/", views.counter_person, name="counter_person"
    ),
    path(
        "comptoir/<int:pk>/personne/<str:reference>/critere/",
        views.counter_criterion,
        name="counter_criterion",
    ),
    path("ventes/", views.sale_list, name="sale_list"),
    path("ventes/<str:reference>/", views.sale_detail, name="sale_detail"),
    path("ventes/<str:reference>/annuler/", views.sale_cancel, name="sale_cancel"),
    path("ventes/<str:reference>/ticket.pdf", views.sale_receipt, name="sale_receipt"),
    path("prix/", views.price_lists, name="price_lists"),
    path("prix/nouvelle/", views.price_list_edit, name="price_list_create"),
    path("prix/<int:pk>/", views.price_list_edit, name="price_list_edit"),
    path("produits/", views.product_list, name="product_list"),
    path("produits/nouveau/", views.product_edit, name="product_create"),
    path("produits/<int:pk>/", views.product_edit, name="product_edit"),
    path("distributions/", views.distribution_list, name="distribution_list"),
    path("distributions/nouvelle/", views.distribution_edit, name="distribution_create"),
    path("distributions/<int:pk>/", views.distribution_edit, name="distribution_edit"),
    path("flottes/", views.fleet_list, name="fleet_list"),
    path("flottes/<int:pk>/", views.fleet_detail, name="fleet_detail"),
    path("prets/<int:pk>/", views.fleet_loan_detail, name="fleet_loan_detail"),
]
