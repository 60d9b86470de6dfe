from django.urls import path

from purposeful.people import views

app_name = "people"

urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("profile/tokens/revoke-all/", views.token_revoke_all, name="token_revoke_all"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<str:key>/", views.invitation_accept, name="invitation_accept"),
]
