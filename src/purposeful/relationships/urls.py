from django.urls import path

from purposeful.relationships import views

app_name = "relationships"

urlpatterns = [
    path("customers/", views.account_list, name="account_list"),
    path("customers/new/", views.account_create, name="account_create"),
    path("customers/<int:pk>/", views.account_detail, name="account_detail"),
    path("customers/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path(
        "customers/<int:pk>/contacts/new/", views.contact_create, name="contact_create"
    ),
    path(
        "customers/<int:pk>/contacts/<int:contact_pk>/",
        views.contact_edit,
        name="contact_edit",
    ),
    path(
        "customers/<int:pk>/contacts/<int:contact_pk>/delete/",
        views.contact_delete,
        name="contact_delete",
    ),
    path(
        "customers/<int:pk>/conversations/",
        views.conversation_create,
        name="conversation_create",
    ),
    path(
        "customers/<int:pk>/referrals/", views.referral_create, name="referral_create"
    ),
    path(
        "customers/<int:pk>/handover/", views.handover_propose, name="handover_propose"
    ),
    path(
        "customers/handovers/<int:handover_pk>/<str:answer>/",
        views.handover_answer,
        name="handover_answer",
    ),
    path("customers/allies/", views.ally_referrals, name="ally_referrals"),
    path("customers/allies/<int:pk>/", views.ally_detail, name="ally_detail"),
]
