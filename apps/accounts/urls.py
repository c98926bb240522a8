from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/approve/", views.approve_member, name="approve_member"),
    path("members/<int:pk>/suspend/", views.suspend_member, name="suspend_member"),
    path("members/<int:pk>/reinstate/", views.reinstate_member, name="reinstate_member"),
    path("members/<int:pk>/roles/", views.grant_role, name="grant_role"),
    path("members/<int:pk>/roles/<int:grant_pk>/remove/", views.revoke_role, name="revoke_role"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_form, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_form, name="organisation_edit"),
    path("organisations/<int:pk>/teams/new/", views.team_form, name="team_create"),
    path("organisations/<int:pk>/teams/<int:team_pk>/edit/", views.team_form, name="team_edit"),
]
