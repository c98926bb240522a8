"""The JSON API for partner systems: send any form, read the status of what the organisation sent, and
answer the receiving team's questions about it.

A token belongs to an organisation (issued and revoked in the hub by an admin; only its hash is
kept). Sending honours an Idempotency-Key header. Every read of a submission, and every answer, is audited.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.models import AuditAction
from apps.audit.services import record

from . import services
from .models import ApiToken, FormType, InformationRequest, Status, Submission, Urgency
from .questions import DEFINITIONS
from .references import BadReference, parse_reference

IDEMPOTENCY_KEY_LONGEST = 200
ANSWER_LONGEST = 5000  # as on the hub's page for answering
LARGEST_ID = 2**63 - 1  # a question's id is a 64-bit integer; a bigger number in the path names nothing


class PartnerSystemToken(BaseAuthentication):
    """`Authorization: Bearer <token>`; the request's `auth` is the ApiToken (there is no user)."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationFailed("Send the token in the header: Authorization: Bearer <token>")
        token = services.token_for(secret.strip())
        if token is None:
            raise AuthenticationFailed("The token is not valid, or it has been revoked")
        services.touch_token(token)
        return (None, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PartnerSystemTokenScheme(OpenApiAuthenticationExtension):
    target_class = PartnerSystemToken
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token issued to your organisation in the hub"}


class HasPartnerToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class InformationRequestOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The question's id: answer it at questions/{id}/answer/")
    question = serializers.CharField()
    asked_at = serializers.DateTimeField()
    answered = serializers.BooleanField()
    answer = serializers.CharField(allow_null=True, help_text="null until it is answered")
    answered_at = serializers.DateTimeField(allow_null=True)


class SubmissionOut(serializers.Serializer):
    reference = serializers.CharField()
    form_type = serializers.ChoiceField(choices=FormType.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    receiving_team = serializers.CharField()
    follows = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.URLField()
    information_requests = InformationRequestOut(
        many=True, help_text="The receiving team's questions to the sender, oldest first"
    )


class SubmissionIn(serializers.Serializer):
    form_type = serializers.ChoiceField(choices=FormType.choices)
    answers = serializers.DictField(
        help_text="One object per step of the form, keyed by the step's name; GET /api/v1/forms/ lists them. "
        "Dates are YYYY-MM-DD, times HH:MM, several choices a list."
    )
    declaration = serializers.BooleanField(
        help_text="true: the information is correct to the best of your knowledge and you may share it"
    )


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(
        max_length=ANSWER_LONGEST,
        allow_blank=True,
        trim_whitespace=False,
        error_messages={
            "required": "Enter your answer",
            "null": "Enter your answer",
            "invalid": "Send the answer as text",
            "max_length": f"Your answer must be {ANSWER_LONGEST} characters or fewer",
        },
    )


Errors = inline_serializer(
    "Errors",
    fields={"errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))},
)
Detail = inline_serializer("Detail", fields={"detail": serializers.CharField()})


def _audit_label(token: ApiToken) -> str:
    return token.audit_label()


class PartnerApiView(APIView):
    authentication_classes = [PartnerSystemToken]
    permission_classes = [HasPartnerToken]


class SubmissionsView(PartnerApiView):
    @extend_schema(
        operation_id="list_submissions",
        summary="The status of what your organisation sent, newest first (50 a page)",
        parameters=[OpenApiParameter("page", int, required=False, description="1 for the first page")],
        responses={
            200: inline_serializer(
                "SubmissionPage",
                fields={
                    "count": serializers.IntegerField(),
                    "page": serializers.IntegerField(),
                    "pages": serializers.IntegerField(),
                    "results": SubmissionOut(many=True),
                },
            ),
            401: Detail,
            404: Detail,
        },
    )
    def get(self, request):
        token: ApiToken = request.auth
        items = (
            Submission.objects.filter(organisation=token.organisation)
            .select_related("team", "follows")
            .prefetch_related("information_requests")
            .order_by("-submitted_at", "-pk")
        )
        try:
            number = int(request.query_params.get("page", "1"))
            page = Paginator(items, 50).page(number)
        except (ValueError, EmptyPage):
            raise NotFound("There is no such page") from None
        results = [services.submission_as_json(submission) for submission in page.object_list]
        if results:
            record(
                action=AuditAction.SEARCH,
                actor_label=_audit_label(token),
                object_type="referrals.submission",
                detail="listed: " + ", ".join(item["reference"] for item in results),
            )
        return Response(
            {"count": page.paginator.count, "page": number, "pages": page.paginator.num_pages, "results": results}
        )

    @extend_schema(
        operation_id="send_form",
        summary="Send a form",
        description="Send the same Idempotency-Key again with the same body to get the first answer back "
        "without sending twice; the same key with another body gets 409.",
        request=SubmissionIn,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER, required=False, description="Up to 200 characters"
            )
        ],
        responses={
            201: SubmissionOut,
            400: Errors,
            401: Detail,
            409: Detail,
            503: Detail,
        },
    )
    def post(self, request):
        token: ApiToken = request.auth
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_LONGEST or (key and not key.isprintable()):
            return Response({"errors": {"Idempotency-Key": ["Use up to 200 printable characters"]}}, status=400)
        try:
            outcome = services.submit_through_api(token=token, body=request.data, idempotency_key=key, request=request)
        except services.FormNotAccepted as refused:
            return Response({"errors": _api_errors(refused)}, status=400)
        except services.IdempotencyConflict as conflict:
            return Response({"detail": str(conflict)}, status=409)
        except services.NoReceivingTeam as missing:
            return Response({"detail": str(missing)}, status=503)
        response = Response(outcome.body, status=outcome.status)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def _api_errors(refused: services.FormNotAccepted) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for step, fields in refused.errors.items():
        for name, messages in fields.items():
            if step in ("form_type", "declaration", ""):
                where = step or "body"
            else:
                where = ".".join(part for part in ("answers", step, name) if part)
            errors[where] = messages
    return errors


class SubmissionView(PartnerApiView):
    @extend_schema(
        operation_id="read_submission",
        summary="The status of one submission your organisation sent",
        responses={200: SubmissionOut, 401: Detail, 404: Detail},
    )
    def get(self, request, reference: str):
        token: ApiToken = request.auth
        submission = _own_submission(token, reference)
        record(action=AuditAction.VIEW, actor_label=_audit_label(token), obj=submission, detail="API")
        return Response(services.submission_as_json(submission))


def _own_submission(token: ApiToken, reference: str) -> Submission:
    """The organisation's own submission, or 404 (a mistyped reference is named as such)."""
    try:
        reference = parse_reference(reference)
    except BadReference as bad:
        raise NotFound(bad.message) from None
    submission = (
        Submission.objects.select_related("team", "follows")
        .prefetch_related("information_requests")
        .filter(reference=reference, organisation=token.organisation)
        .first()
    )
    if submission is None:
        raise NotFound("Your organisation has sent nothing with this reference")
    return submission


class AnswerQuestionView(PartnerApiView):
    @extend_schema(
        operation_id="answer_question",
        summary="Answer a question the receiving team asked about a submission your organisation sent",
        description="The submission's information_requests list the questions and their ids. A question is "
        "answered once: answering it again gets 409.",
        request=AnswerIn,
        parameters=[
            OpenApiParameter(
                "id", int, OpenApiParameter.PATH, description="The question's id, from information_requests"
            )
        ],
        responses={200: InformationRequestOut, 400: Errors, 401: Detail, 404: Detail, 409: Detail},
    )
    def post(self, request, reference: str, id: int):
        token: ApiToken = request.auth
        submission = _own_submission(token, reference)
        asked = None
        if 0 < id <= LARGEST_ID:
            asked = InformationRequest.objects.filter(pk=id, submission=submission).first()
        if asked is None:
            raise NotFound("There is no question with this id about this submission")
        if asked.is_answered:
            return Response({"detail": "This question has already been answered"}, status=409)
        if not isinstance(request.data, dict):
            return Response({"errors": {"body": ['Send a JSON object: {"answer": "your answer"}']}}, status=400)
        body = AnswerIn(data=request.data)
        if not body.is_valid():
            return Response(
                {"errors": {name: [str(message) for message in messages] for name, messages in body.errors.items()}},
                status=400,
            )
        try:
            asked = services.answer_information_request(
                information_request=asked,
                answer=body.validated_data["answer"],
                by=None,
                actor_label=_audit_label(token),
                request=request,
            )
        except services.AlreadyAnswered as refused:
            return Response({"detail": refused.message}, status=409)
        except services.TriageRefused as refused:
            return Response({"errors": {"answer": [refused.message]}}, status=400)
        return Response(services.information_request_as_json(asked))


def describe_forms() -> list[dict]:
    """Every form's steps and questions, from the same step forms that check the answers."""
    from django import forms as django_forms

    from .questions.base import DateField, TimeField

    described = []
    for definition in DEFINITIONS.values():
        steps = []
        for step in definition.steps:
            questions = []
            for name, field in step.form.base_fields.items():
                if isinstance(field, django_forms.FileField):
                    continue  # files are sent through the hub's pages only
                kind = (
                    "date"
                    if isinstance(field, DateField)
                    else "time"
                    if isinstance(field, TimeField)
                    else "choices"
                    if isinstance(field, django_forms.MultipleChoiceField)
                    else "choice"
                    if isinstance(field, django_forms.ChoiceField)
                    else "integer"
                    if isinstance(field, django_forms.IntegerField)
                    else "text"
                )
                question = {"name": name, "question": str(field.label), "type": kind, "required": field.required}
                if kind in ("choice", "choices"):
                    question["options"] = [value for value, _ in field.choices]
                questions.append(question)
            steps.append({"name": step.slug, "title": step.title, "questions": questions})
        described.append(
            {
                "form_type": definition.form_type.value,
                "title": definition.title,
                "follows": definition.follows.value if definition.follows else None,
                "steps": steps,
            }
        )
    return described


class FormsView(PartnerApiView):
    @extend_schema(
        operation_id="list_forms",
        summary="The forms, their steps and questions",
        responses={
            200: inline_serializer("Forms", fields={"forms": serializers.ListField(child=serializers.DictField())}),
            401: Detail,
        },
    )
    def get(self, request):
        return Response({"forms": describe_forms()})
