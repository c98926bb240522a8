"""Training reports: counted by the database, by course, organisation, sector and month; organisation admins
see only their own organisation's figures."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from apps.accounts.models import Sector
from apps.accounts.tests.factories import OrganisationFactory, UserFactory, make_role_user
from apps.training import reports
from apps.training.models import BookingStatus, Evaluation
from apps.training.tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

MARCH = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def figures():
    health = OrganisationFactory(name="York Hospital", sector=Sector.HEALTH)
    school = OrganisationFactory(name="Fishergate School", sector=Sector.EDUCATION)
    session = SessionFactory(course__title="Neglect", capacity=4, starts_at=MARCH)
    # 31 March 23:30 UTC is 1 April in London: an April session.
    april = SessionFactory(course=session.course, capacity=6, starts_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC))
    nurse = BookingFactory(session=session, person=UserFactory(organisation=health), status=BookingStatus.ATTENDED)
    Evaluation.objects.create(booking=nurse, rating=4)
    BookingFactory(session=session, person=UserFactory(organisation=health), status=BookingStatus.ABSENT)
    BookingFactory(
        session=session, person=UserFactory(organisation=school), status=BookingStatus.ATTENDED, from_waiting_list=True
    )
    BookingFactory(session=april, person=UserFactory(organisation=school), status=BookingStatus.CANCELLED)
    late = BookingFactory(session=april, person=UserFactory(organisation=school), status=BookingStatus.CANCELLED_LATE)
    Evaluation.objects.create(booking=late, rating=1)
    return {"health": health, "school": school}


def by_label(rows):
    return {row.label: row for row in rows}


def test_by_course_the_business_unit_sees_fill_rate_no_shows_cancellations_conversions_and_ratings(figures):
    (row,) = reports.report("course", reports.Scope(True, frozenset()))
    assert row.label == "Neglect"
    assert row.places_offered == 10 and row.booked == 4 and row.fill_rate == 40
    assert (row.attended, row.no_shows, row.cancellations, row.from_waiting_list) == (2, 1, 2, 1)
    assert str(row.average_rating) == "2.5"


def test_by_month_counts_london_months(figures):
    rows = by_label(reports.report("month", reports.Scope(True, frozenset())))
    assert set(rows) == {"March 2026", "April 2026"}
    assert rows["March 2026"].booked == 3 and rows["March 2026"].fill_rate == 75
    assert rows["April 2026"].booked == 1 and rows["April 2026"].cancellations == 2


def test_by_organisation_and_sector(figures):
    organisations = by_label(reports.report("organisation", reports.Scope(True, frozenset())))
    assert organisations["York Hospital"].no_shows == 1 and organisations["Fishergate School"].cancellations == 2
    assert organisations["York Hospital"].fill_rate is None  # places are not shared out by organisation
    sectors = by_label(reports.report("sector", reports.Scope(True, frozenset())))
    assert sectors[Sector.HEALTH.label].booked == 2 and sectors[Sector.EDUCATION.label].booked == 2


def test_an_organisation_admin_sees_only_their_organisations_figures(client, figures):
    admin = make_role_user("organisation_admin", organisation=figures["health"])
    client.force_login(admin)
    page = client.get(reverse("training:reports") + "?by=organisation").content.decode()
    assert "York Hospital" in page and "Fishergate School" not in page
    assert "Fill rate" not in page
    response = client.get(reverse("training:reports_csv") + "?by=course")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Course" and "Fill rate (%)" not in rows[0]
    assert rows[1][:5] == ["Neglect", "2", "1", "1", "0"]


def test_the_business_unit_page_has_charts_each_beside_its_data_table(client, figures):
    client.force_login(make_role_user("business_unit"))
    page = client.get(reverse("training:reports") + "?by=course").content.decode()
    assert page.count('<svg class="hub-chart" role="img"') == 2
    # Drawn by the hub's one chart include, as early help and attendance figures are, with ids unique on the page.
    assert 'aria-labelledby="chart-1-title"' in page and 'aria-labelledby="chart-2-title"' in page
    assert "Places taken by course: Neglect 4" in page
    assert "40% (4 of 10)" in page


def test_an_unknown_grouping_is_not_found(client):
    client.force_login(make_role_user("business_unit"))
    assert client.get(reverse("training:reports") + "?by=shoe-size").status_code == 404


def test_a_practitioner_cannot_see_reports(client):
    client.force_login(make_role_user("practitioner"))
    assert client.get(reverse("training:reports")).status_code == 403


def test_training_has_no_chart_template_of_its_own():
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    with pytest.raises(TemplateDoesNotExist):
        get_template("training/_chart.html")
