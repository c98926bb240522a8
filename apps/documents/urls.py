from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("category/<str:category>/", views.category, name="category"),
    path("category/<str:category>/subscribe/", views.subscribe_category, name="subscribe_category"),
    path("subscriptions/check-your-email/", views.subscribe_sent, name="subscribe_sent"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/latest/", views.download_latest, name="latest"),
    path("<slug:slug>/subscribe/", views.subscribe_document, name="subscribe_document"),
    path("<slug:slug>/versions/new/", views.publish_version, name="publish_version"),
    path("<slug:slug>/versions/<str:label>/", views.download_version, name="version"),
]
