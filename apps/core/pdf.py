"""The hub's PDFs: made with fpdf2, which is pure Python (WeasyPrint needs Pango from the operating system,
which a fresh machine does not have). One plain A4 document with headings, label-value rows and paragraphs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from fpdf import FPDF

# The PDF core fonts cover Latin-1; typographic punctuation is written as its plain equivalent.
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def plain(text: str) -> str:
    return str(text).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


def new_document(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(plain(title))
    pdf.set_author(plain(settings.HUB_SITE_NAME))
    pdf.set_creator(plain(settings.HUB_SITE_NAME))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    return pdf


@dataclass
class Section:
    heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def report_pdf(title: str, sections: Iterable[Section], *, caption: str = "", footer: str = "") -> bytes:
    """A report: a title, then each section's heading, its label-value rows and its paragraphs."""
    pdf = new_document(title)
    if caption:
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, plain(caption), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, plain(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for section in sections:
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, plain(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for label, value in section.rows:
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(0, 5, plain(label), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, plain(value or "-"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        pdf.set_font("Helvetica", "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5, plain(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        pdf.ln(3)
    if footer:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, plain(footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
