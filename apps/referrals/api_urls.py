from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from .api import AnswerQuestionView, FormsView, SubmissionsView, SubmissionView


@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of the partner API, open to anyone, and not listed in itself."""

    authentication_classes = []
    permission_classes = [AllowAny]


app_name = "referrals_api"

urlpatterns = [
    path("submissions/", SubmissionsView.as_view(), name="submissions"),
    path("submissions/<str:reference>/", SubmissionView.as_view(), name="submission"),
    path(
        "submissions/<str:reference>/questions/<int:id>/answer/",
        AnswerQuestionView.as_view(),
        name="answer_question",
    ),
    path("forms/", FormsView.as_view(), name="forms"),
    path("schema/", SchemaView.as_view(), name="schema"),
]
