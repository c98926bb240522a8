"""The business unit writes e-learning on the hub, and learners watch and pass it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.audit.models import AuditEntry
from apps.training.models import Delivery, ELearningCompletion, ELearningItem, Question
from apps.training.tests.factories import CourseFactory, ELearningItemFactory

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4
CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:04.000\nThe PAMIC tool helps you weigh the risk.\n"

ITEM = {
    "body": "Read the guidance.\n\nThen answer the questions.",
    "video_url": "https://video.example.org/neglect-toolkit",
    "transcript": "",
    "minutes": "25",
    "pass_mark": "50",
}


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


def page_of(response) -> str:
    return response.content.decode()


def test_the_business_unit_writes_e_learning_for_a_new_course_and_it_reaches_the_catalogue(client):
    organiser = signed_in(client, make_role_user("business_unit"))
    course = CourseFactory(title="Neglect toolkit", delivery=Delivery.ELEARNING)
    catalogue = reverse("training:catalogue")
    manage = reverse("training:manage_elearning", args=[course.slug])
    assert manage in page_of(client.get(reverse("training:manage_course", args=[course.slug])))
    assert "Add the e-learning" in page_of(client.get(manage))
    assert "Neglect toolkit" not in page_of(client.get(catalogue))

    form_url = reverse("training:elearning_form", args=[course.slug])
    missing = client.post(form_url, {**ITEM, "body": "", "pass_mark": "120"})
    page = page_of(missing)
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert "Enter what the learner reads" in page
    assert "The pass mark must be from 1 to 100" in page
    assert 'value="https://video.example.org/neglect-toolkit"' in page  # what was typed is kept
    assert not ELearningItem.objects.exists()

    assert client.post(form_url, ITEM)["Location"] == manage
    page = page_of(client.get(manage))
    assert "The e-learning is saved" in page
    assert "not in the catalogue until its knowledge check has at least one question" in page
    assert "Neglect toolkit" not in page_of(client.get(catalogue))

    question_url = reverse("training:question_create", args=[course.slug])
    one_choice = page_of(client.post(question_url, {"text": "Who do you tell?", "choice_1": "The DSL", "correct": "1"}))
    assert "Write at least two choices" in one_choice
    assert "Who do you tell?</textarea>" in one_choice and 'value="The DSL"' in one_choice
    empty_right = page_of(
        client.post(
            question_url, {"text": "Who do you tell?", "choice_1": "The DSL", "choice_2": "No one", "correct": "3"}
        )
    )
    assert "Choice 3 is empty: write it, or choose another right answer" in empty_right
    assert not Question.objects.exists()

    saved = client.post(
        question_url, {"text": "Who do you tell?", "choice_1": "No one", "choice_3": "The DSL", "correct": "3"}
    )
    assert saved["Location"] == manage
    page = page_of(client.get(manage))
    assert "1. Who do you tell?" in page
    assert 'The DSL <strong class="govuk-tag govuk-tag--green">Right answer</strong>' in page
    assert 'Pass mark</dt><dd class="govuk-summary-list__value">50%: 1 of 1 question answered rightly' in page
    assert "Neglect toolkit" in page_of(client.get(catalogue))
    audited = AuditEntry.objects.filter(object_type="training.elearningitem", actor_id=organiser.pk)
    assert list(audited.order_by("sequence").values_list("action", "detail")) == [
        ("create", "added the e-learning"),
        ("create", "added question 1: Who do you tell?"),
    ]

    learner = signed_in(client)
    elearning = reverse("training:elearning", args=[course.slug])
    page = page_of(client.get(elearning))
    assert 'href="https://video.example.org/neglect-toolkit"' in page
    question = Question.objects.get()
    right = question.answers.get(text="The DSL")
    assert question.answers.count() == 2 and right.is_correct and right.number == 2
    assert "Completed" in page_of(client.post(elearning, {f"question_{question.pk}": right.pk}))
    assert ELearningCompletion.objects.filter(person=learner, score=100).exists()


def test_a_question_is_changed_and_deleted_and_the_rest_move_up(client):
    organiser = signed_in(client, make_role_user("business_unit"))
    item = ELearningItemFactory()
    first, second = item.questions.order_by("number")
    edit = reverse("training:question_edit", args=[first.pk])
    page = page_of(client.get(edit))
    assert "Question 1?</textarea>" in page and 'value="Right"' in page and 'value="Wrong"' in page

    client.post(
        edit,
        {
            "text": "Which is right now?",
            "choice_1": "Was right",
            "choice_2": "Now right",
            "choice_3": "New",
            "correct": "2",
        },
    )
    first.refresh_from_db()
    assert first.text == "Which is right now?"
    assert [(a.number, a.text, a.is_correct) for a in first.answers.all()] == [
        (1, "Was right", False),
        (2, "Now right", True),
        (3, "New", False),
    ]

    delete = reverse("training:question_delete", args=[first.pk])
    assert "Delete question 1?" in page_of(client.get(delete))
    response = client.post(delete)
    assert response["Location"] == reverse("training:manage_elearning", args=[item.course.slug])
    assert list(item.questions.values_list("number", "text")) == [(1, "Question 2?")]
    assert AuditEntry.objects.filter(
        object_type="training.elearningitem",
        object_id=str(item.pk),
        actor_id=organiser.pk,
        action="delete",
        detail="deleted question 1: Which is right now?",
    ).exists()
    assert AuditEntry.objects.filter(action="change", detail="changed question 1: Which is right now?").exists()
    second.refresh_from_db()
    assert second.number == 1


def test_e_learning_pages_are_only_for_courses_delivered_as_e_learning(client):
    signed_in(client, make_role_user("business_unit"))
    course = CourseFactory(delivery=Delivery.IN_PERSON)
    assert client.get(reverse("training:manage_elearning", args=[course.slug])).status_code == 404
    assert client.post(reverse("training:elearning_form", args=[course.slug]), ITEM).status_code == 404
    assert not ELearningItem.objects.exists()


def test_an_uploaded_video_is_checked_by_its_content_needs_captions_and_is_served_only_to_people_signed_in(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    settings.MEDIA_ROOT = tmp_path / "media"
    signed_in(client, make_role_user("business_unit"))
    course = CourseFactory(title="PAMIC tool", delivery=Delivery.ELEARNING)
    form_url = reverse("training:elearning_form", args=[course.slug])
    fields = {**ITEM, "video_url": ""}

    def video(content=MP4, name="pamic.mp4"):
        return SimpleUploadedFile(name, content, content_type="video/mp4")

    def captions(content=CAPTIONS):
        return SimpleUploadedFile("pamic.vtt", content, content_type="text/vtt")

    fake = page_of(client.post(form_url, {**fields, "video_file": video(b"<html>not a video</html>")}))
    assert "The video file must be an MP4 or WebM video" in fake
    assert "Read the guidance." in fake  # what was typed is kept
    no_captions = page_of(client.post(form_url, {**fields, "video_file": video()}))
    assert "Upload captions for the video file, as a WebVTT (.vtt) file" in no_captions
    bad_captions = page_of(
        client.post(form_url, {**fields, "video_file": video(), "captions_file": captions(b"1\n00:00:00,000 --> x")})
    )
    assert "The captions must be a WebVTT file" in bad_captions
    assert not ELearningItem.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, {**fields, "video_file": video(), "captions_file": captions()})
    item = ELearningItem.objects.get()
    assert item.video_file.name.endswith(".mp4") and "pamic" not in item.video_file.name
    assert (settings.PROTECTED_MEDIA_ROOT / item.video_file.name).read_bytes() == MP4
    assert not settings.MEDIA_ROOT.exists()  # nothing under the web root
    add_question(item)

    video_url = reverse("training:elearning_video", args=[course.slug])
    captions_url = reverse("training:elearning_captions", args=[course.slug])
    elearning = reverse("training:elearning", args=[course.slug])
    client.logout()
    page = page_of(client.get(elearning))
    assert "Sign in to watch the video" in page and video_url not in page
    assert "/accounts/login/" in client.get(video_url)["Location"]
    assert "/accounts/login/" in client.get(captions_url)["Location"]

    signed_in(client)
    page = page_of(client.get(elearning))
    assert f'<video class="hub-video" controls preload="metadata" src="{video_url}">' in page
    assert f'src="{captions_url}"' in page
    whole = client.get(video_url)
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    assert b"".join(whole.streaming_content) == MP4
    assert whole["Accept-Ranges"] == "bytes"
    part = client.get(video_url, headers={"Range": "bytes=4-11"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert b"".join(part.streaming_content) == b"ftypmp42"
    assert client.get(video_url, headers={"Range": f"bytes={len(MP4)}-"}).status_code == 416
    track = client.get(captions_url)
    assert track["Content-Type"] == "text/vtt; charset=utf-8" and b"".join(track.streaming_content) == CAPTIONS

    signed_in(client, make_role_user("business_unit"))
    stored = settings.PROTECTED_MEDIA_ROOT / item.video_file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, {**fields, "remove_video": "on"})
    item.refresh_from_db()
    assert not item.video_file and not item.captions_file
    assert not stored.exists()
    assert client.get(video_url).status_code == 404


def add_question(item):
    question = Question.objects.create(item=item, number=1, text="What does the tool weigh?")
    question.answers.create(number=1, text="Likelihood and severity", is_correct=True)
    question.answers.create(number=2, text="Nothing", is_correct=False)
    return question


def test_an_item_without_a_video_does_not_promise_one(client):
    item = ELearningItemFactory(video_url="", body="Read about the tool.\n\nThen answer the questions.", minutes=15)
    signed_in(client)
    url = reverse("training:elearning", args=[item.course.slug])
    wrong = {f"question_{q.pk}": q.answers.get(is_correct=False).pk for q in item.questions.all()}
    page = page_of(client.post(url, wrong))
    assert "You scored 0%" in page and "read the page again" in page
    assert "video" not in page.lower()


def test_videos_uploaded_before_the_move_are_taken_out_of_the_web_root(settings, tmp_path):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("apps.training.migrations.0002_elearning_files_protected")
    settings.MEDIA_ROOT, settings.PROTECTED_MEDIA_ROOT = tmp_path / "media", tmp_path / "protected"
    item = ELearningItemFactory()
    ELearningItem.objects.filter(pk=item.pk).update(
        video_file="training/elearning/old.mp4", captions_file="training/elearning/old.vtt"
    )
    (settings.MEDIA_ROOT / "training/elearning").mkdir(parents=True)
    (settings.MEDIA_ROOT / "training/elearning/old.mp4").write_bytes(MP4)
    (settings.MEDIA_ROOT / "training/elearning/old.vtt").write_bytes(CAPTIONS)
    migration.move_uploaded_files(apps, None)
    assert not (settings.MEDIA_ROOT / "training/elearning/old.mp4").exists()
    item.refresh_from_db()
    with item.video_file.open("rb") as video, item.captions_file.open("rb") as captions:
        assert video.read() == MP4 and captions.read() == CAPTIONS
