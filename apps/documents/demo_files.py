"""Demo files for the document library: PDFs that say on the page that they are demo files."""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

# Fixed, so that the same demo document always has the same bytes (and the same SHA-256).
CREATED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def demo_pdf(*, title: str, label: str, summary: str, change_note: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_compression(False)  # plain text inside, so anyone (and the tests) can see what the file says
    pdf.set_creation_date(CREATED)
    pdf.set_title(f"{title} (version {label}) - demo file")
    pdf.set_author("Safeguarding Partnership Hub demo")
    pdf.set_lang("en-GB")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_fill_color(255, 221, 0)
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(
        0, 9, "DEMO FILE - NOT A REAL PARTNERSHIP DOCUMENT", fill=True, align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 13)
    pdf.multi_cell(0, 8, f"Version {label}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in (
        _latin1(summary),
        f"What changed in version {label}: {_latin1(change_note)}",
        "This file was generated for the demonstration of the Safeguarding Partnership Hub. It stands in "
        "for the partnership's real document, so that the library's versions, downloads and e-mail "
        "subscriptions can be tried out. Do not use it in practice: the real document is published by the "
        "partnership.",
    ):
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    # The core PDF fonts cover Latin-1 only; the seed's curly quotes become straight ones.
    replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    for fancy, plain in replacements.items():
        text = text.replace(fancy, plain)
    return text.encode("latin-1", "replace").decode("latin-1")
