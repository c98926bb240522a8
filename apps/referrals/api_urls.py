from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from .api import FormsView, SubmissionsView, SubmissionView

app_name = "referrals_api"

urlpatterns = [
    path("submissions/", SubmissionsView.as_view(), name="submissions"),
    path("submissions/<str:reference>/", SubmissionView.as_view(), name="submission"),
    path("forms/", FormsView.as_view(), name="forms"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
]
