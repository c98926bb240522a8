from django.urls import path

from . import views

app_name = "localoffer"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.service, name="service"),
    path("manage/", views.manage, name="manage"),
    path("manage/add/", views.add, name="add"),
    path("<int:pk>/change/", views.change, name="change"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/list-again/", views.relist, name="relist"),
]
