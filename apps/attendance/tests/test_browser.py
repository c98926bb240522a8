"""Journeys in a real browser, every page scanned with axe-core: a school uploads a file with mistakes, is told
each by line, then uploads it corrected; the figures; a pupil and their barriers (with the form's errors); and
the pages on a 375 pixel wide screen."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from apps.core.tests.fixtures import assert_accessible, use_session_of

from ..models import Pupil
from .factories import TERMLY_HEADER, attendance_team_member, make_school, school_member, send, upn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def file_of(urn: str, rows: list[tuple]) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TERMLY_HEADER)
    for index, (number, possible, authorised, unauthorised, year) in enumerate(rows):
        writer.writerow(
            [urn, number, f"Ash{index}", "Ava", "2015-01-01", year, possible, authorised, unauthorised, "N", "Y", "N"]
        )
    return {"name": "autumn.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}


def fits(page, width: int = 375) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_school_uploads_a_term_with_mistakes_then_corrected(page, live_server, client):
    school = make_school()
    use_session_of(page, client, live_server, school_member(school))
    page.goto(reverse("attendance:upload"))
    assert_accessible(page, context="upload, as it opens")

    page.locator("main form button[type=submit]").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, context="upload, sent empty")

    page.get_by_label("Academic year").select_option(label="2024/25")
    page.get_by_label("Autumn").check()
    page.get_by_label("Sessions for each pupil for the term").check()
    good = upn(3)
    wrong = ("A" if good[0] != "A" else "B") + good[1:]  # the check letter of another number
    page.locator("input[type=file]").set_input_files(
        file_of(school.urn, [(upn(1), 100, 5, 0, "5"), (upn(2), 40, 30, 12, "5"), (wrong, 100, 0, 0, "15")])
    )
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    assert "Nothing was imported: the file has 2 problems" in summary.inner_text()
    problems = page.locator("table", has_text="Problem").inner_text()
    assert "are more than the sessions possible (40)" in problems
    assert "fails its check letter" in problems and "“15” is not a year group" in problems
    assert page.get_by_label("Autumn").is_checked()  # what was chosen is kept
    assert not Pupil.objects.exists()
    assert_accessible(page, context="upload, with the file's problems")

    page.locator("input[type=file]").set_input_files(
        file_of(school.urn, [(upn(1), 100, 5, 0, "5"), (upn(2), 100, 30, 12, "5"), (upn(3), 100, 0, 0, "6")])
    )
    page.locator("main form button[type=submit]").click()
    assert "Imported 3 pupils' attendance for Oakfield Primary School in Autumn 2024/25" in page.inner_text("main")
    assert Pupil.objects.count() == 3


def test_the_figures_and_a_pupil_pass_axe_and_fit_a_phone(browser, page, live_server, client):
    team = attendance_team_member()
    oakfield = make_school()
    elm = make_school("Elm Tree Primary School", "100002")
    send(oakfield, [(upn(1), 100, 12, 0), (upn(2), 100, 0, 0)], by=team, term=1)
    send(oakfield, [(upn(1), 100, 55, 0), (upn(2), 100, 3, 0)], by=team, term=2)
    send(elm, [(upn(1, school=2), 100, 60, 0)], by=team, term=2)
    child = Pupil.objects.get(upn=upn(1))
    use_session_of(page, client, live_server, team)

    page.goto(reverse("attendance:dashboard"))
    assert page.locator("svg.hub-chart").count() == 4
    assert "Severely absent" in page.inner_text("main")
    assert_accessible(page, context="figures")
    page.goto(reverse("attendance:index") + "?band=severe")
    assert page.locator("main table tbody tr").count() == 2
    assert_accessible(page, context="pupils")
    page.goto(reverse("attendance:pupil", kwargs={"pk": child.pk}))
    assert "Severe" in page.inner_text("main") and "Persistent" in page.inner_text("main")
    assert_accessible(page, context="pupil")

    page.get_by_role("link", name="Record the barriers").click()
    page.get_by_role("button", name="Record the barriers").click()
    assert "Choose the kind of barrier behind the absence" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, context="barriers, sent empty")
    page.get_by_label("Attendance as a symptom").check()
    page.get_by_label("Housing").check()
    page.get_by_role("button", name="Record the barriers").click()
    assert "Attendance as a symptom" in page.inner_text("main") and "Housing" in page.inner_text("main")

    phone_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = phone_context.new_page()
    try:
        use_session_of(phone, client, live_server, team)
        for url in (
            reverse("attendance:dashboard"),
            reverse("attendance:pupil", kwargs={"pk": child.pk}),
            reverse("attendance:upload"),
            reverse("attendance:index"),
            reverse("attendance:codes"),
        ):
            phone.goto(url)
            fits(phone)
            assert_accessible(phone, context=f"{url} at 375 px")
    finally:
        phone_context.close()
