from django.urls import path

from . import views

app_name = "awareness"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar.ics", views.feed, name="feed"),
    path("<int:year>/<int:month>/", views.month, name="month"),
    path("<slug:slug>/", views.detail, name="detail"),
]
