"""PDFs: certificates of attendance and learning records.

Made with fpdf2, which is pure Python: WeasyPrint needs Pango from the operating system,
which a fresh machine does not have, and a certificate must not depend on it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from apps.core.dates import format_date, format_range
from apps.core.pdf import new_document, plain

from .models import Certificate
from .selectors import LearningRecord


def _hours(value) -> str:
    text = f"{value.normalize():f}"
    return f"{text} hour" if text == "1" else f"{text} hours"


def certificate_pdf(certificate: Certificate, *, base_url: str | None = None) -> bytes:
    """A session attended, or an e-learning knowledge check passed."""
    course = certificate.course
    if certificate.booking_id:
        kind, did = "Certificate of attendance", "attended"
        when = format_range(certificate.booking.session.starts_at, certificate.booking.session.ends_at)
    else:
        kind, did = "Certificate of completion", "completed the e-learning"
        when = f"Passed the knowledge check on {format_date(certificate.completion.completed_at)}"
    check = (base_url or settings.HUB_BASE_URL) + reverse("training:check_certificate") + f"?code={certificate.code}"
    pdf = new_document(f"{kind}: {course.title}")
    pdf.set_draw_color(29, 112, 184)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_y(40)
    pdf.set_font("Helvetica", "B", 26)
    pdf.multi_cell(0, 12, kind, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("Helvetica", "", 14)
    pdf.multi_cell(0, 8, "This is to certify that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 22)
    person = certificate.person
    name = person.get_full_name() or person.email
    pdf.multi_cell(0, 11, plain(name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 14)
    pdf.multi_cell(0, 8, did, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, plain(course.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 13)
    for line in (
        when,
        _hours(certificate.hours),
        f"Run by {course.provider}",
    ):
        pdf.multi_cell(0, 8, plain(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(225)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, f"Verification code: {certificate.code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, plain(f"Check this certificate at {check}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        plain(f"Issued {format_date(certificate.issued_at)} by the {settings.HUB_SITE_NAME}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def learning_record_pdf(record: LearningRecord) -> bytes:
    person = record.person
    pdf = new_document(f"Learning record: {person.get_full_name() or person.email}")
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, "Learning record", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    who = person.get_full_name() or person.email
    if person.organisation:
        who += f", {person.organisation.name}"
    pdf.multi_cell(0, 7, plain(who), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, plain(f"Total: {_hours(record.total_hours)}"), new_x="LMARGIN", new_y="NEXT")
    if not record.years:
        pdf.ln(4)
        pdf.multi_cell(0, 7, "Nothing recorded yet.", new_x="LMARGIN", new_y="NEXT")
    for year in record.years:
        pdf.ln(6)
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, plain(f"{year.year}: {_hours(year.hours)}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        with pdf.table(col_widths=(28, 32, 70, 22), text_align=("LEFT", "LEFT", "LEFT", "RIGHT")) as table:
            header = table.row()
            for heading in ("Date", "What", "Title and provider", "Hours"):
                header.cell(heading)
            for item in year.items:
                row = table.row()
                row.cell(plain(format_date(item.date)))
                row.cell(plain(item.kind))
                row.cell(plain(f"{item.title} ({item.provider})"))
                row.cell(f"{item.hours.normalize():f}")
    return bytes(pdf.output())
