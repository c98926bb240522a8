from django.urls import path

from .views import journey, setup, triage

app_name = "referrals"

ITEM = "teams/<slug:slug>/items/<str:reference>/"

urlpatterns = [
    path("", journey.index, name="index"),
    path("sent/", journey.your_submissions, name="your_submissions"),
    path("start/<slug:form>/", journey.start, name="start"),
    path("start/<slug:form>/begin/", journey.begin, name="begin"),
    path("drafts/<uuid:draft>/", journey.resume, name="resume"),
    path("drafts/<uuid:draft>/saved/", journey.draft_saved, name="draft_saved"),
    path("drafts/<uuid:draft>/check-your-answers/", journey.check_answers, name="check_answers"),
    path("drafts/<uuid:draft>/delete/", journey.delete_draft, name="delete_draft"),
    path("drafts/<uuid:draft>/<slug:step>/", journey.step, name="step"),
    path("submissions/<str:reference>/", journey.submission, name="submission"),
    path("submissions/<str:reference>/sent/", journey.confirmation, name="confirmation"),
    path("submissions/<str:reference>/questions/<int:pk>/", journey.answer_question, name="answer_question"),
    path("attachments/<uuid:pk>/", journey.attachment, name="attachment"),
    path("teams/", triage.queues, name="queues"),
    path("teams/<slug:slug>/", triage.queue, name="queue"),
    path(ITEM, triage.item, name="item"),
    path(ITEM + "claim/", triage.claim, name="claim"),
    path(ITEM + "assign/", triage.assign, name="assign"),
    path(ITEM + "status/", triage.change_status, name="change_status"),
    path(ITEM + "notes/", triage.add_note, name="add_note"),
    path(ITEM + "ask/", triage.ask, name="ask"),
    path(ITEM + "grade/", triage.grade, name="grade"),
    path("routing/", setup.routing_rules, name="routing_rules"),
    path("routing/new/", setup.add_routing_rule, name="add_routing_rule"),
    path("routing/<int:pk>/", setup.edit_routing_rule, name="edit_routing_rule"),
    path("routing/<int:pk>/delete/", setup.delete_routing_rule, name="delete_routing_rule"),
    path("api-tokens/", setup.api_tokens, name="api_tokens"),
    path("api-tokens/new/", setup.issue_api_token, name="issue_api_token"),
    path("api-tokens/<int:pk>/revoke/", setup.revoke_api_token, name="revoke_api_token"),
]
