from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    path("", views.home, name="home"),
    path("runs/new/", views.start_run, name="start_run"),
    path("extracts/new/", views.extract_upload, name="extract_upload"),
    path("extracts/<int:pk>/columns/", views.extract_mapping, name="extract_mapping"),
    path("extracts/<int:pk>/", views.extract_check, name="extract_check"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/next/", views.review_next, name="review_next"),
    path("review/check/", views.check_linked, name="check_linked"),
    path("review/<int:pk>/", views.review_pair, name="review_pair"),
    path("settings/", views.threshold_settings, name="settings"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("pairs/<int:pk>/unlink/", views.unlink, name="unlink"),
]
