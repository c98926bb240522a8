"""The national attendance and absence codes in use from 19 August 2024 (the School Attendance (Pupil
Registration) (England) Regulations 2024 and the DfE's "Working together to improve school attendance",
August 2024), and what each counts as in the attendance figures.

This list is the first version of the one mapping table (`CodeMapping`, version 1), written by a migration.
A later change of the national codes is a new version; every import keeps the version it used.

- present: in school, or at an approved educational activity away from it (counts as attendance);
- authorised / unauthorised: absent, counted against sessions possible;
- not counted: not a possible session (the pupil was not expected or could not be expected to attend).
"""

from __future__ import annotations

PRESENT = "present"
AUTHORISED = "authorised"
UNAUTHORISED = "unauthorised"
NOT_COUNTED = "not_counted"

CATEGORIES = [
    (PRESENT, "Present (attending)"),
    (AUTHORISED, "Authorised absence"),
    (UNAUTHORISED, "Unauthorised absence"),
    (NOT_COUNTED, "Not counted as a possible session"),
]

VERSION_2024 = 1
VERSION_2024_NOTE = "National attendance and absence codes from 19 August 2024"

CODES_2024: list[tuple[str, str, str]] = [
    # Present
    ("/", "Present (morning registration)", PRESENT),
    ("\\", "Present (afternoon registration)", PRESENT),
    ("L", "Late, arriving before the register closed", PRESENT),
    # Attending a place other than the school: approved educational activity counts as attendance
    ("K", "Attending education provision arranged by the local authority", PRESENT),
    ("V", "Attending an educational visit or trip", PRESENT),
    ("P", "Participating in a sporting activity", PRESENT),
    ("W", "Attending work experience", PRESENT),
    ("B", "Attending any other approved educational activity", PRESENT),
    ("D", "Attending another school at which the pupil is also registered (dual registration)", NOT_COUNTED),
    # Absent: leave of absence, authorised by the school
    ("C1", "Leave of absence to take part in a regulated performance or regulated employment abroad", AUTHORISED),
    ("M", "Leave of absence for a medical or dental appointment", AUTHORISED),
    ("J1", "Leave of absence to attend an interview for employment or admission to another school", AUTHORISED),
    ("S", "Leave of absence to study for a public examination", AUTHORISED),
    ("X", "Non-compulsory school age pupil not required to attend", NOT_COUNTED),
    ("C2", "Leave of absence for a compulsory school age pupil on a part-time timetable", AUTHORISED),
    ("C", "Leave of absence for exceptional circumstances", AUTHORISED),
    # Absent: other authorised reasons
    ("T", "Parent travelling for occupational purposes", AUTHORISED),
    ("R", "Religious observance", AUTHORISED),
    ("I", "Illness (not medical or dental appointment)", AUTHORISED),
    ("E", "Suspended or permanently excluded, no alternative provision made", AUTHORISED),
    # Absent: unable to attend because of unavoidable causes (not counted as possible sessions)
    ("Q", "Unable to attend because of a lack of access arrangements", NOT_COUNTED),
    ("Y1", "Unable to attend: transport normally provided not available", NOT_COUNTED),
    ("Y2", "Unable to attend: widespread disruption to travel", NOT_COUNTED),
    ("Y3", "Unable to attend: part of the school premises closed", NOT_COUNTED),
    ("Y4", "Unable to attend: the whole school site unexpectedly closed", NOT_COUNTED),
    ("Y5", "Unable to attend: in criminal justice detention", NOT_COUNTED),
    ("Y6", "Unable to attend: public health guidance or law", NOT_COUNTED),
    ("Y7", "Unable to attend: any other unavoidable cause", NOT_COUNTED),
    # Absent: unauthorised
    ("G", "Holiday not granted by the school", UNAUTHORISED),
    ("N", "Reason for absence not yet established", UNAUTHORISED),
    ("O", "Absent in other or unknown circumstances", UNAUTHORISED),
    ("U", "Arrived after the register closed", UNAUTHORISED),
    # Administrative
    ("Z", "Prospective pupil not on the admission register", NOT_COUNTED),
    ("#", "Planned whole-school closure", NOT_COUNTED),
]

# Codes withdrawn in August 2024, named so a file that still uses one is told what replaced it.
WITHDRAWN_2024 = {
    "H": "H (holiday authorised) was withdrawn in August 2024: use C for leave in exceptional circumstances",
    "J": "J was withdrawn in August 2024: an interview is now J1 (authorised absence)",
    "Y": "Y was withdrawn in August 2024: use Y1 to Y7 for the reason the pupil could not attend",
    "F": "F was withdrawn in 2006",
}
