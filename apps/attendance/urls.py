from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", views.dashboard, name="dashboard"),
    path("figures.csv", views.dashboard_csv, name="dashboard_csv"),
    path("upload/", views.upload, name="upload"),
    path("upload/sample-<slug:kind>.csv", views.sample, name="sample"),
    path("codes/", views.codes, name="codes"),
    path("pupils/<int:pk>/", views.pupil, name="pupil"),
    path("pupils/<int:pk>/barriers/", views.record_barriers, name="record_barriers"),
]
