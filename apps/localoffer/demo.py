"""Demo local offer: fictional support services in the partnership's area, added by the business unit.

Phone numbers are Ofcom's drama numbers (01632 960xxx) and addresses are example.org: none of them is real.
Each service is added once, kept by its name: loading again changes nothing.
"""

from __future__ import annotations

from apps.accounts.models import User

from . import services
from .models import FamilyIssue, SupportService

BUSINESS_UNIT = "business.unit@example.org"

H, MH, FIN, EMP, OTHER, ATT = (
    FamilyIssue.HOUSING,
    FamilyIssue.PARENTAL_MENTAL_HEALTH,
    FamilyIssue.FINANCIAL,
    FamilyIssue.EMPLOYMENT,
    FamilyIssue.OTHER_NEEDS,
    FamilyIssue.ATTENDANCE,
)


def _service(name, provider, summary, description, who_for, issues, *, ages=(None, None), parents=True, **extra):
    return {
        "data": {
            "name": name,
            "provider": provider,
            "summary": summary,
            "description": description,
            "who_for": who_for,
            "min_age": ages[0],
            "max_age": ages[1],
            "for_parents": parents,
            "area": extra.pop("area", "City of York"),
            "how_to_refer": extra.pop("how_to_refer"),
            **extra,
        },
        "issues": list(issues),
    }


SERVICES = [
    _service(
        "Homefront Tenancy Support",
        "Riverside Housing Advice (fictional)",
        "Help for families at risk of losing their home, or living in unsuitable housing.",
        "A housing support worker visits the family, helps with rent arrears, repairs, landlord disputes and "
        "applications for social housing, and works alongside the school when a move is affecting attendance.",
        "Families with children who are homeless, at risk of eviction, in temporary accommodation or overcrowded.",
        [H, FIN, ATT],
        how_to_refer="Any practitioner may refer with the family's consent, using the online form or by phone.",
        referral_url="https://homefront.example.org/refer",
        phone="01632 960101",
        email="referrals@homefront.example.org",
        website="https://homefront.example.org/",
        address="Unit 3, Ouse Bank Offices, York YO1 0ZZ",
        opening_times="Monday to Friday, 9am to 5pm",
    ),
    _service(
        "Money Matters Family Advice",
        "Minster Citizens' Advice Partnership (fictional)",
        "Free, confidential advice on debt, benefits and budgeting for families.",
        "Benefit checks, help with debts and priority bills, fuel and food vouchers, and support to apply for free "
        "school meals and uniform grants.",
        "Any family with children who is struggling with money.",
        [FIN, EMP],
        how_to_refer="Families can contact the service themselves; practitioners may refer with consent by email.",
        phone="01632 960102",
        email="family.advice@moneymatters.example.org",
        website="https://moneymatters.example.org/",
        opening_times="Monday to Thursday, 9.30am to 4pm; drop-in Friday mornings",
    ),
    _service(
        "Bright Minds Parent Wellbeing",
        "York Community Mental Health Charity (fictional)",
        "Support for parents and carers living with anxiety, depression or other mental ill health.",
        "One-to-one and group sessions for parents, with a crèche, and a family worker who helps the children "
        "understand a parent's illness. Works with the PAMIC tool's findings where a practitioner has used it.",
        "Parents and carers of children aged 0 to 18 with mild to moderate mental ill health.",
        [MH, OTHER],
        how_to_refer="Self-referral or professional referral with consent, by phone or the online form.",
        referral_url="https://brightminds.example.org/refer",
        phone="01632 960103",
        email="hello@brightminds.example.org",
        eligibility_notes="Not a crisis service: in a crisis call NHS 111 and choose the mental health option.",
    ),
    _service(
        "Young Carers Together",
        "Carers' Centre York (fictional)",
        "Breaks, groups and one-to-one support for children who look after a family member.",
        "Fortnightly groups, holiday activities and a young carers' card that schools recognise, so a young "
        "carer's lateness or absence is understood and supported.",
        "Children and young people aged 8 to 18 who care for someone with an illness, disability, mental ill "
        "health or substance use.",
        [MH, OTHER, ATT],
        ages=(8, 18),
        parents=False,
        how_to_refer="Young people, families and practitioners can refer by phone or email.",
        phone="01632 960104",
        email="youngcarers@carerscentre.example.org",
        website="https://carerscentre.example.org/young-carers",
    ),
    _service(
        "Back on Track Attendance Mentoring",
        "City Learning Partnership (fictional)",
        "A mentor for pupils whose attendance has fallen, working with the school and the family.",
        "Weekly mentoring in and out of school, morning routine support at home, and a plan agreed with the "
        "school's attendance lead. Aimed at pupils where attendance is the main concern rather than a symptom.",
        "Pupils aged 5 to 16 at York schools whose attendance is below 90%.",
        [ATT],
        ages=(5, 16),
        how_to_refer="Schools refer through their attendance lead using the referral form.",
        referral_url="https://backontrack.example.org/refer",
        phone="01632 960105",
        email="mentoring@backontrack.example.org",
    ),
    _service(
        "Routes to Work for Parents",
        "York Employment Hub (fictional)",
        "Help for parents into work or training, with childcare arranged around school times.",
        "A work coach, help with CVs and interviews, funded training and advice on childcare costs, so parents "
        "can work hours that fit the school day.",
        "Parents and carers who are out of work or want to increase their hours.",
        [EMP, FIN],
        how_to_refer="Parents can book directly; practitioners may refer by email with consent.",
        phone="01632 960106",
        email="routes@employmenthub.example.org",
        opening_times="Monday to Friday, 9am to 3pm (school hours)",
    ),
    _service(
        "Little Steps Family Hub",
        "City of York Council Family Hubs (fictional)",
        "Stay and play, parenting groups and health visitor clinics for families with young children.",
        "Drop-in sessions, baby feeding support, speech and language groups and parenting programmes, in one place.",
        "Families with children aged 0 to 5.",
        [OTHER],
        ages=(0, 5),
        area="Acomb and Westfield",
        how_to_refer="No referral needed: families can drop in. Practitioners can book a place on a programme.",
        phone="01632 960107",
        email="littlesteps@familyhubs.example.org",
        address="Westfield Family Hub, 1 Example Road, York YO24 0ZZ",
        opening_times="Monday to Friday, 9am to 4.30pm",
    ),
    _service(
        "Safe Haven Domestic Abuse Support",
        "Safe Haven York (fictional)",
        "Advocacy, safety planning and recovery groups for adults and children affected by domestic abuse.",
        "An independent domestic abuse adviser for the adult, a children's worker, and refuge places.",
        "Anyone affected by domestic abuse, and their children.",
        [H, OTHER, MH],
        how_to_refer="Self-referral by phone at any time; professional referral by the secure online form.",
        referral_url="https://safehaven.example.org/refer",
        phone="01632 960108",
        email="support@safehaven.example.org",
        opening_times="Phone line open 24 hours",
        eligibility_notes="If someone is in immediate danger, call 999.",
    ),
    _service(
        "Feeding Families Food Bank",
        "York Churches Together Food Bank (fictional)",
        "Emergency food parcels and help with the reasons behind the crisis.",
        "Three days of food, toiletries and a chat with an adviser about money and benefits.",
        "Families in a food crisis, with a voucher from a practitioner.",
        [FIN],
        how_to_refer="Practitioners issue a food bank voucher online; families bring it to any centre.",
        referral_url="https://feedingfamilies.example.org/vouchers",
        phone="01632 960109",
        email="vouchers@feedingfamilies.example.org",
        opening_times="Tuesday and Friday, 10am to 2pm",
    ),
    _service(
        "Healthy Minds in Schools",
        "York Schools Mental Health Support Team (fictional)",
        "Early support in school for pupils with low mood, worry or anxiety about school.",
        "Short courses of guided self-help for pupils, and sessions for parents on supporting an anxious child "
        "back into school.",
        "Pupils aged 5 to 18 at participating schools with mild to moderate mental health needs.",
        [ATT, OTHER],
        ages=(5, 18),
        how_to_refer="Through the school's mental health lead.",
        phone="01632 960110",
        email="mhst@healthyminds.example.org",
    ),
    _service(
        "Recovery Together Family Service",
        "York Drug and Alcohol Service (fictional)",
        "Support for parents whose drug or alcohol use affects the family, and for their children.",
        "Treatment and recovery support for parents, with a family practitioner for the children.",
        "Parents and carers using drugs or alcohol, and children affected by a parent's use.",
        [MH, OTHER],
        how_to_refer="Self-referral or professional referral by phone or email.",
        phone="01632 960111",
        email="families@recoverytogether.example.org",
    ),
    _service(
        "Warm Homes Grant Advice",
        "Energy Savers York (fictional)",
        "Help to heat the home: energy grants, insulation and help with energy debt.",
        "An adviser checks what the family can claim, arranges home energy improvements and negotiates with "
        "suppliers over arrears.",
        "Households with children on a low income or in cold, damp homes.",
        [H, FIN],
        how_to_refer="Families or practitioners can call or email.",
        phone="01632 960112",
        email="advice@energysavers.example.org",
        area="City of York and Selby",
    ),
]


def load(stdout=None) -> None:
    by = User.objects.filter(email=BUSINESS_UNIT).first()
    if by is None:
        return  # the demo accounts loader makes them
    added = 0
    for entry in SERVICES:
        if SupportService.objects.filter(name=entry["data"]["name"]).exists():
            continue
        services.add_service(data=entry["data"], issues=entry["issues"], by=by)
        added += 1
    if stdout is not None and added:
        stdout.write(f"Local offer: {added} services\n")
