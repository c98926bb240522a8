"""The JSON API for partner systems: send any form, read the status of what the organisation sent, and
answer the receiving team's questions about it.

A token belongs to an organisation (issued and revoked in the hub by an admin; only its hash is
kept). Sending honours an Idempotency-Key header. Every read of a submission, and every answer, is audited.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotFound, ParseError, UnsupportedMediaType
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.views import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS

from . import services
from .api_answers import BodyRefused, api_questions, body_schema, kind_of
from .models import ApiToken, FormType, InformationRequest, Status, Submission, Urgency
from .questions import DEFINITIONS
from .questions.base import too_long
from .references import BadReference, parse_reference

logger = logging.getLogger(__name__)

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


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(
        max_length=ANSWER_LONGEST,
        allow_blank=True,
        trim_whitespace=False,
        error_messages={
            "required": "Enter your answer",
            "null": "Enter your answer",
            "invalid": "Send the answer as text",
            "max_length": too_long("Your answer", ANSWER_LONGEST),
        },
    )


Errors = inline_serializer(
    "Errors",
    fields={"errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))},
)
Detail = inline_serializer("Detail", fields={"detail": serializers.CharField()})
ANSWER_BODY = {
    "type": "object",
    "properties": {
        "answer": {
            "type": "string",
            "maxLength": ANSWER_LONGEST,
            "pattern": r"\S",
            "description": "Your answer to the team's question",
        }
    },
    "required": ["answer"],
    "additionalProperties": False,
}
# Refusals of the body itself, which any operation that takes one may answer.
BODY_REFUSALS = {413: Errors, 415: Errors}


def api_exception_handler(exc, context):
    """Every refusal in the documented shape: what is wrong with the body as {"errors": {where: [...]}},
    anything else as {"detail": "..."}."""
    if isinstance(exc, RequestDataTooBig):
        largest = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return Response({"errors": {"body": [f"The body is too large: send at most {largest}MB"]}}, status=413)
    if isinstance(exc, ParseError):
        return Response({"errors": {"body": [f"Send the body as JSON: {exc.detail}"]}}, status=400)
    if isinstance(exc, UnsupportedMediaType):
        return Response(
            {"errors": {"Content-Type": ["Send the body as JSON, with the header Content-Type: application/json"]}},
            status=415,
        )
    return exception_handler(exc, context)


class AlwaysJson(DefaultContentNegotiation):
    """The API answers JSON whatever the request's Accept header asks for."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _audit_label(token: ApiToken) -> str:
    return token.audit_label()


class PartnerApiView(APIView):
    authentication_classes = [PartnerSystemToken]
    permission_classes = [HasPartnerToken]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJson

    def get_exception_handler(self):
        return api_exception_handler

    def handle_exception(self, exc):
        try:
            return super().handle_exception(exc)
        except Exception as unexpected:
            if settings.DEBUG:
                raise
            # A partner system reads JSON even when the hub fails; the error is logged and reported as Django
            # would, with the request id to quote.
            signals.got_request_exception.send(sender=self.__class__, request=self.request)
            request_id = getattr(self.request, "request_id", "")
            if isinstance(unexpected, DATABASE_UNAVAILABLE):  # as the hub's pages say: a moment's outage
                response = Response(
                    {"detail": "The hub is unavailable for a moment. Send the request again shortly."},
                    status=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
                log_response("Service Unavailable: %s", self.request.path, response=response, request=self.request)
                return response
            response = Response(
                {
                    "detail": "Something went wrong in the hub. Try again later; if it keeps happening, tell the "
                    f"partnership business unit, quoting request id {request_id}"
                },
                status=500,
            )
            log_response(
                "Internal Server Error: %s",
                self.request.path,
                response=response,
                request=self.request,
                exception=unexpected,
            )
            return response


@csrf_exempt
def no_such_address(request, *args, **kwargs):
    """Every address under /api/ that names nothing: a JSON 404, whatever the method (so never a CSRF page)."""
    detail = "There is nothing at this address. The API's addresses are in its schema: GET /api/v1/schema/"
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not no_such_address:
            detail = f"There is nothing at this address. Did you mean {request.path}/ (ending with a slash)?"
    return JsonResponse({"detail": detail}, status=404)


class SubmissionsView(PartnerApiView):
    @extend_schema(
        operation_id="list_submissions",
        summary="The status of what your organisation sent, newest first (50 a page)",
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1},
                required=False,
                description="1 for the first page",
            )
        ],
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
            400: Errors,
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
        asked_for = request.query_params.get("page", "1")
        if not re.fullmatch(r"[1-9][0-9]{0,17}", asked_for):
            return Response({"errors": {"page": ["Send the page as a whole number, 1 or more"]}}, status=400)
        number = int(asked_for)
        try:
            page = Paginator(items, 50).page(number)
        except EmptyPage:
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
        request={"application/json": body_schema()},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "maxLength": IDEMPOTENCY_KEY_LONGEST, "pattern": "^[ -~]*$"},
                OpenApiParameter.HEADER,
                required=False,
                description="Up to 200 printable ASCII characters",
            )
        ],
        responses={
            201: SubmissionOut,
            400: Errors,
            401: Detail,
            409: Detail,
            **BODY_REFUSALS,
            503: Detail,
        },
    )
    def post(self, request):
        token: ApiToken = request.auth
        sent_key = request.headers.get("Idempotency-Key", "")
        if len(sent_key) > IDEMPOTENCY_KEY_LONGEST or not re.fullmatch("[ -~]*", sent_key):
            return Response({"errors": {"Idempotency-Key": ["Use up to 200 printable ASCII characters"]}}, status=400)
        try:
            outcome = services.submit_through_api(
                token=token, body=request.data, idempotency_key=sent_key.strip(), request=request
            )
        except BodyRefused as refused:
            return Response({"errors": refused.errors}, status=400)
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
    """The step forms' messages keyed by where they belong: answers.<step>.<question>, or answers.<step>."""
    errors: dict[str, list[str]] = {}
    for step, fields in refused.errors.items():
        for name, messages in fields.items():
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
        request={"application/json": ANSWER_BODY},
        parameters=[
            OpenApiParameter(
                "id", int, OpenApiParameter.PATH, description="The question's id, from information_requests"
            )
        ],
        responses={200: InformationRequestOut, 400: Errors, 401: Detail, 404: Detail, 409: Detail, **BODY_REFUSALS},
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
        unknown = {
            str(name)[:100]: [f"There is no field {str(name)[:100]}: send only answer"]
            for name in request.data
            if name != "answer"
        }
        if unknown:
            return Response({"errors": unknown}, status=400)
        if request.data.get("answer") is not None and not isinstance(request.data["answer"], str):
            return Response({"errors": {"answer": ["Send the answer as text"]}}, status=400)
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
    described = []
    for definition in DEFINITIONS.values():
        steps = []
        for step in definition.steps:
            questions = []
            for name, field in api_questions(step).items():
                kind = kind_of(field)
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
