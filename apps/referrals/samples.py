"""Complete, made-up answers for each form: the demo's sample submissions and the tests' starting point.

Every name, address and number here is invented.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.utils import timezone

from .models import FormType


def _days_ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def _days_ahead(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def sample_answers(form_type: str, *, original: str = "", variant: int = 0) -> dict:
    """Answers that pass every check of the form. `variant` picks another made-up case."""
    names = ["Jordan Avery", "Casey Morgan", "Riley Hughes"]
    name = names[variant % len(names)]
    answers = {
        FormType.MISSING_PERSON: {
            "person": {"full_name": name, "other_names": "", "date_of_birth": "2011-03-27", "age": None},
            "description": {
                "description": "About 5 feet 2, slim, short dark hair, wears glasses",
                "clothing": "Black puffer jacket, grey joggers, white trainers",
            },
            "photo": {},
            "last-seen": {"date": _days_ago(1), "time": "16:30", "place": "Outside Clifton Green Primary School"},
            "circumstances": {"circumstances": "Left after school and did not arrive at the after-school club."},
            "risks": {
                "risk_factors": ["exploitation", "first_time"] if variant % 2 == 0 else ["first_time"],
                "details": "Seen with older young people in a car last week." if variant % 2 == 0 else "",
            },
            "carer": {"name": "Sam Avery", "relationship": "Mother", "phone": "07700 900123", "address": ""},
            "reporter": {"role": "Designated safeguarding lead", "phone": "01904 555 0101"},
        },
        FormType.PERSON_RETURNED: {
            "original": {"reference": original},
            "return": {
                # The evening after the report's last sighting (yesterday 16:30): in the past whenever it is used.
                "date": _days_ago(1),
                "time": "20:15",
                "where_found": "Returned home on their own",
                "with_whom": "",
                "concerns": "",
                "interview": "not_yet",
            },
        },
        FormType.MISSING_PERSON_UPDATE: {
            "original": {"reference": original},
            "information": {
                "information": "A friend says they may be at a relative's house in Acomb.",
                "more_urgent": "no",
            },
            "attachment": {},
        },
        FormType.MHA_ASSESSMENT: {
            "amhp": {"name": "Dana Whitfield", "phone": "01904 555 0202", "local_authority": "City of York Council"},
            "person": {"full_name": name, "other_names": "", "date_of_birth": "1984-07-02", "age": None},
            "address": {"address": "12 Example Terrace, York", "postcode": "YO1 0AA"},
            "when": {"date": _days_ahead(1 if variant % 2 == 0 else 6), "time": "10:00"},
            "risks": {"risks": ["animals"], "details": "A large dog at the address."},
            "warrant": {"warrant": "sought", "warrant_details": "York Magistrates' Court, hearing at 2pm"},
        },
        FormType.WELFARE_CHECK: {
            "person": {"full_name": name, "other_names": "", "date_of_birth": None, "age": 15},
            "address": {"address": "3 Sample Close, York", "postcode": "YO24 0ZZ"},
            "concern": {
                "concern": "Not at school for three days and not answering the phone.",
                "last_contact": _days_ago(3),
            },
            "why-not-you": {"reason": "We visited twice and nobody answered the door."},
            "urgency": {"urgency": "urgent" if variant % 2 == 0 else "standard"},
        },
        FormType.COMMUNITY_INTELLIGENCE: {
            "subjects": {
                "people": "Two young men, about 19, known as 'K' and 'Deano'",
                "places": "The car park behind the shops on Example Road",
                "vehicles": "A silver hatchback, partial registration YK12",
                "online_accounts": "",
            },
            "information": {"information": "Younger pupils are being given lifts after school and offered money."},
            "source": {"how_known": "told_by_other", "details": "A parent told our family support worker."},
            "when": {"happened_on": _days_ago(2), "time_critical": "no" if variant % 2 else "unknown"},
        },
        FormType.TARGETED_INTERVENTION: {
            "family": {"child_name": name, "date_of_birth": "2013-09-14", "household": "Mother, and a sister aged 4"},
            "address": {"address": "7 Placeholder Street, York", "postcode": "YO31 0YY"},
            "consent": {"consent": "yes", "given_by": "The child's mother", "given_on": _days_ago(5)},
            "needs": {
                "needs": ["education", "housing"],
                "details": "Attendance has fallen to 80% since the family were told to leave their home.",
            },
            "early-help": {
                "tried": "School attendance plan and a family support worker for 12 weeks.",
                "assessment": "yes",
            },
        },
    }[FormType(form_type)]
    return copy.deepcopy(answers)
