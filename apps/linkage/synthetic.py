"""Made-up UK people and the messy records agencies keep of them, with the truth known.

Used by the tests, the demo and the benchmarks. Nobody here is real. Each person belongs to a
household (surname, address, postcode); children in a household are siblings, and some are
twins: the same birthday and address, different first names, and never the same person. Each
person is recorded by one or more agencies, each in its own style (dd/mm/yyyy or ISO dates,
postcode spacing, capitals), with the errors agencies make: typos, nicknames, a swapped day
and month, a house move, a missing NHS number or postcode, one half of a double-barrelled
surname, first and middle names swapped.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

GIRLS = [
    "olivia",
    "amelia",
    "isla",
    "ava",
    "mia",
    "ivy",
    "lily",
    "isabella",
    "rosie",
    "sophia",
    "grace",
    "freya",
    "florence",
    "willow",
    "evie",
    "poppy",
    "ella",
    "evelyn",
    "elsie",
    "daisy",
    "charlotte",
    "sienna",
    "emily",
    "harper",
    "matilda",
    "ruby",
    "aria",
    "alice",
    "sofia",
    "hannah",
    "maya",
    "phoebe",
    "jessica",
    "margaret",
    "elizabeth",
    "katherine",
    "rebecca",
    "victoria",
    "jennifer",
    "samantha",
    "abigail",
    "eleanor",
    "georgia",
    "lucy",
    "megan",
    "chloe",
    "amy",
    "zara",
    "aisha",
    "fatima",
    "maryam",
    "imogen",
    "holly",
    "erin",
    "niamh",
    "caitlin",
    "bethany",
    "jasmine",
    "leah",
    "molly",
    "lola",
    "ellie",
    "scarlett",
]
BOYS = [
    "muhammad",
    "noah",
    "oliver",
    "george",
    "leo",
    "arthur",
    "oscar",
    "theodore",
    "freddie",
    "harry",
    "archie",
    "jack",
    "henry",
    "charlie",
    "alfie",
    "thomas",
    "james",
    "william",
    "jacob",
    "joshua",
    "teddy",
    "lucas",
    "isaac",
    "finley",
    "edward",
    "max",
    "tommy",
    "reggie",
    "ethan",
    "samuel",
    "robert",
    "richard",
    "michael",
    "christopher",
    "daniel",
    "matthew",
    "benjamin",
    "joseph",
    "alexander",
    "nicholas",
    "anthony",
    "jamie",
    "callum",
    "connor",
    "kieran",
    "liam",
    "ryan",
    "owen",
    "dylan",
    "ibrahim",
    "yusuf",
    "ali",
    "hamza",
    "adam",
    "logan",
    "caleb",
    "rory",
    "toby",
    "lewis",
]
SURNAMES = [
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "graham",
    "pearson",
    "ahmed",
    "fletcher",
    "walsh",
    "kaur",
    "gibson",
    "howard",
    "andrews",
    "stewart",
    "elliott",
    "reynolds",
    "saunders",
    "payne",
    "fox",
    "ford",
    "pearce",
    "day",
    "brooks",
    "west",
    "lawrence",
    "cole",
    "atkinson",
    "bradley",
    "spencer",
    "gill",
    "dawson",
    "ball",
    "burton",
    "obrien",
    "watts",
    "rose",
    "booth",
    "perry",
    "ryan",
    "grant",
    "wells",
    "armstrong",
    "francis",
    "rees",
    "hayes",
    "hart",
    "hudson",
    "newman",
    "barrett",
    "webster",
    "hunter",
    "gregory",
    "carr",
    "lowe",
]
STREETS = [
    "high street",
    "church road",
    "station road",
    "main street",
    "park road",
    "church lane",
    "victoria road",
    "green lane",
    "manor road",
    "the crescent",
    "kings road",
    "queens road",
    "new road",
    "grange road",
    "school lane",
    "mill lane",
    "york road",
    "north street",
    "south street",
    "west street",
    "springfield road",
    "the avenue",
    "chestnut close",
    "oak tree drive",
    "bishopthorpe road",
    "heslington lane",
    "tadcaster road",
    "hull road",
    "burton stone lane",
    "clifton green",
    "huntington road",
    "haxby road",
    "fulford road",
    "acomb road",
    "front street",
    "holgate road",
    "lawrence street",
    "water lane",
    "beckfield lane",
    "moor lane",
    "askham lane",
    "stockton lane",
    "malton road",
    "wigginton road",
]
TOWNS = (
    ("York", "YO1"),
    ("York", "YO10"),
    ("York", "YO23"),
    ("York", "YO24"),
    ("York", "YO26"),
    ("York", "YO30"),
    ("York", "YO31"),
    ("York", "YO32"),
    ("Selby", "YO8"),
    ("Malton", "YO17"),
    ("Harrogate", "HG1"),
    ("Harrogate", "HG2"),
    ("Leeds", "LS6"),
    ("Leeds", "LS7"),
    ("Scarborough", "YO11"),
    ("Scarborough", "YO12"),
)
NICKNAMES = {
    "robert": ("bob", "rob", "bobby"),
    "margaret": ("peggy", "maggie", "meg"),
    "william": ("bill", "will", "billy"),
    "elizabeth": ("liz", "beth", "lizzie", "betty"),
    "james": ("jim", "jimmy"),
    "thomas": ("tom", "tommy"),
    "katherine": ("kate", "katie", "kathy"),
    "alexander": ("alex", "sandy"),
    "daniel": ("dan", "danny"),
    "michael": ("mike", "mick"),
    "jennifer": ("jenny", "jen"),
    "rebecca": ("becky", "becca"),
    "samuel": ("sam", "sammy"),
    "joseph": ("joe", "joey"),
    "christopher": ("chris", "kit"),
    "matthew": ("matt",),
    "benjamin": ("ben", "benny"),
    "nicholas": ("nick", "nicky"),
    "edward": ("ted", "eddie", "ed"),
    "anthony": ("tony",),
    "richard": ("rich", "dick", "ricky"),
    "samantha": ("sam", "sammy"),
    "victoria": ("vicky", "tori"),
    "jessica": ("jess", "jessie"),
    "abigail": ("abby", "abbie"),
    "eleanor": ("ellie", "nell"),
    "charlotte": ("lottie", "charlie"),
    "henry": ("harry", "hal"),
    "isabella": ("bella", "izzy"),
    "matilda": ("tilly", "mattie"),
    "florence": ("flo", "florrie"),
    "theodore": ("theo", "teddy"),
    "frederick": ("fred", "freddie"),
    "oliver": ("ollie",),
}
# Less common names, so that a large population is as varied as a real one: the common names
# above are drawn more often (like Smith and Olivia), the rest make up the long tail.
MORE_GIRLS = [
    "abbie",
    "adele",
    "agnes",
    "alexa",
    "alexandra",
    "alicia",
    "alisha",
    "amber",
    "anna",
    "annabel",
    "annie",
    "april",
    "ava-rose",
    "beatrice",
    "bella",
    "bonnie",
    "bridget",
    "camille",
    "cara",
    "carmen",
    "cassie",
    "cecilia",
    "celia",
    "clara",
    "clementine",
    "connie",
    "cora",
    "darcey",
    "delilah",
    "dolly",
    "edith",
    "elena",
    "eliza",
    "elodie",
    "emilia",
    "esme",
    "eva",
    "faith",
    "felicity",
    "frances",
    "frankie",
    "gemma",
    "gracie",
    "hallie",
    "harriet",
    "hazel",
    "heidi",
    "helena",
    "hope",
    "iris",
    "isabel",
    "jade",
    "jemima",
    "jenna",
    "josie",
    "julia",
    "juliet",
    "kacey",
    "kayla",
    "keira",
    "lara",
    "laura",
    "layla",
    "lexi",
    "lilly",
    "lottie",
    "louisa",
    "luna",
    "lydia",
    "mabel",
    "madison",
    "maisie",
    "margot",
    "marnie",
    "martha",
    "matilda-rose",
    "mila",
    "millie",
    "miriam",
    "nancy",
    "naomi",
    "natalie",
    "nell",
    "nina",
    "nora",
    "olive",
    "orla",
    "paige",
    "penelope",
    "piper",
    "primrose",
    "rachel",
    "rhea",
    "robyn",
    "rose",
    "ruth",
    "sadie",
    "sara",
    "serena",
    "skye",
    "sophie",
    "stella",
    "summer",
    "tallulah",
    "tilly",
    "violet",
    "wren",
    "yasmin",
    "zoe",
]
MORE_BOYS = [
    "aaron",
    "abdullah",
    "aiden",
    "albert",
    "alex",
    "alistair",
    "andrew",
    "angus",
    "arlo",
    "austin",
    "barney",
    "benedict",
    "bobby",
    "bradley",
    "brandon",
    "cameron",
    "carter",
    "casey",
    "cole",
    "cooper",
    "cyrus",
    "dexter",
    "dominic",
    "douglas",
    "eddie",
    "elijah",
    "elliot",
    "ellis",
    "emmanuel",
    "eric",
    "ezra",
    "felix",
    "fraser",
    "frankie",
    "gabriel",
    "gideon",
    "gregory",
    "harley",
    "harvey",
    "hector",
    "hudson",
    "hugo",
    "ian",
    "jackson",
    "jasper",
    "jayden",
    "jenson",
    "jesse",
    "jonah",
    "jonathan",
    "jude",
    "kai",
    "kayden",
    "kenneth",
    "laurie",
    "leon",
    "levi",
    "louie",
    "luca",
    "luke",
    "marcus",
    "mason",
    "miles",
    "milo",
    "mohammad",
    "morgan",
    "nathan",
    "nathaniel",
    "ned",
    "niall",
    "nico",
    "oakley",
    "ollie",
    "otis",
    "patrick",
    "percy",
    "peter",
    "quinn",
    "ralph",
    "raphael",
    "reuben",
    "riley",
    "rocco",
    "ronan",
    "ruben",
    "rufus",
    "sebastian",
    "seth",
    "sidney",
    "spencer",
    "stanley",
    "stephen",
    "tate",
    "tobias",
    "travis",
    "tyler",
    "victor",
    "vincent",
    "wilfred",
    "xavier",
    "zachary",
    "zain",
]
_SURNAME_STARTS = [
    "ash",
    "bar",
    "black",
    "brad",
    "brook",
    "brom",
    "burn",
    "cald",
    "carl",
    "chad",
    "chat",
    "cliff",
    "cold",
    "craw",
    "dal",
    "dar",
    "dun",
    "east",
    "fair",
    "farn",
    "fern",
    "ford",
    "gar",
    "glad",
    "good",
    "grant",
    "green",
    "hal",
    "ham",
    "har",
    "hart",
    "hath",
    "hay",
    "hol",
    "hors",
    "hunt",
    "kel",
    "kirk",
    "lang",
    "lin",
    "lock",
    "long",
    "mar",
    "mid",
    "mill",
    "moor",
    "new",
    "north",
    "oak",
    "old",
    "pen",
    "pick",
    "rad",
    "ram",
    "red",
    "ridge",
    "rock",
    "rose",
    "rush",
    "sand",
    "shel",
    "shep",
    "stan",
    "staf",
    "stock",
    "stone",
    "sut",
    "thorn",
    "ton",
    "wake",
    "wal",
    "war",
    "wat",
    "west",
    "whit",
    "wick",
    "wood",
    "wool",
    "worth",
    "wyn",
]
_SURNAME_ENDS = [
    "by",
    "bury",
    "combe",
    "croft",
    "dale",
    "den",
    "don",
    "field",
    "ford",
    "gate",
    "ham",
    "hill",
    "holme",
    "hurst",
    "ington",
    "ley",
    "low",
    "man",
    "mere",
    "more",
    "ridge",
    "shaw",
    "stead",
    "stone",
    "thorpe",
    "ton",
    "wick",
    "well",
    "worth",
    "wood",
]
MORE_SURNAMES = [start + end for start in _SURNAME_STARTS for end in _SURNAME_ENDS]


def _surname(rng: random.Random) -> str:
    return rng.choice(SURNAMES) if rng.random() < 0.35 else rng.choice(MORE_SURNAMES)


def _first_name(rng: random.Random, sex: str) -> str:
    if rng.random() < 0.6:
        return rng.choice(GIRLS if sex == "f" else BOYS)
    return rng.choice(MORE_GIRLS if sex == "f" else MORE_BOYS)


KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


@dataclass
class Person:
    person_id: int
    first_name: str
    middle_name: str
    surname: str
    date_of_birth: date
    sex: str
    house_number: int
    street: str
    town: str
    postcode: str
    nhs_number: str
    household_id: int


@dataclass
class Record:
    record_id: str
    person_id: int
    first_name: str
    middle_names: str
    surname: str
    date_of_birth: str
    sex: str
    address: str
    postcode: str
    nhs_number: str
    agency: str

    def as_row(self) -> dict[str, str]:
        return {
            "record_id": self.record_id,
            "first_name": self.first_name,
            "middle_names": self.middle_names,
            "surname": self.surname,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "address": self.address,
            "postcode": self.postcode,
            "nhs_number": self.nhs_number,
        }


def nhs_number(rng: random.Random) -> str:
    """A random ten-digit number that passes the NHS number's modulus 11 check."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _postcode(rng: random.Random, outward: str) -> str:
    return f"{outward} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def _home(rng: random.Random) -> tuple[int, str, str, str]:
    town, outward = rng.choice(TOWNS)
    return rng.randint(1, 180), rng.choice(STREETS), town, _postcode(rng, outward)


def people(
    count: int, *, seed: int = 1, twin_rate: float = 0.04, hard_negatives: bool = False, children_only: bool = False
) -> list[Person]:
    """`count` people in households of one to five, with siblings, twins and double-barrelled surnames.

    With `hard_negatives`, households also hold the people agencies' data really confuses: twins of the
    same sex sharing a middle name, siblings born a year apart to the day, a child named after the parent
    of the same sex, and a cousin of the same surname and about the same age living with them (children
    who move together are in `records`). With `children_only`, households hold their children alone (as in
    a children's services extract)."""
    rng = random.Random(seed)
    result: list[Person] = []
    household = 0
    today = date(2026, 1, 1)
    while len(result) < count:
        household += 1
        surname = _surname(rng)
        if rng.random() < 0.06:
            surname = f"{surname}-{_surname(rng)}"
        number, street, town, postcode = _home(rng)
        children = rng.choice((1, 1, 2, 2, 3, 4))
        adults = 0 if children_only else rng.choice((1, 2))
        # (born, sex, a twin of this member's index, named after this member's index)
        members: list[tuple[date, str, int | None, int | None]] = []
        for _ in range(adults):
            members.append((today - timedelta(days=rng.randint(20 * 365, 60 * 365)), rng.choice("mf"), None, None))
        for _ in range(children):
            born = today - timedelta(days=rng.randint(0, 18 * 365))
            sex = rng.choice("mf")
            namesake = None
            if hard_negatives and rng.random() < 0.1:
                namesake = next((i for i, m in enumerate(members[:adults]) if m[1] == sex), None)
            members.append((born, sex, None, namesake))
            if rng.random() < twin_rate:
                twin_of = len(members) - 1 if hard_negatives else None
                members.append((born, sex if hard_negatives else rng.choice("mf"), twin_of, None))
            if hard_negatives and rng.random() < 0.08 and born.year < 2025:
                members.append((born + timedelta(days=365), rng.choice("mf"), None, None))  # a year apart to the day
        if hard_negatives and children and rng.random() < 0.05:
            cousin_born = members[-1][0] + timedelta(days=rng.randint(-700, 700))
            members.append((min(cousin_born, today), rng.choice("mf"), None, None))
        used: set[str] = set()
        chosen: list[tuple[str, str]] = []
        for born, sex, twin_of, namesake in members:
            if namesake is not None:
                first = chosen[namesake][0]
            else:
                first = _first_name(rng, sex)
                while first in used:
                    first = _first_name(rng, sex)
            used.add(first)
            middle = _first_name(rng, sex) if rng.random() < 0.6 else ""
            if twin_of is not None:
                middle = chosen[twin_of][1] or _first_name(rng, sex)
            chosen.append((first, middle))
            result.append(
                Person(
                    person_id=len(result) + 1,
                    first_name=first,
                    middle_name=middle,
                    surname=surname,
                    date_of_birth=born,
                    sex=sex,
                    house_number=number,
                    street=street,
                    town=town,
                    postcode=postcode,
                    nhs_number=nhs_number(rng),
                    household_id=household,
                )
            )
    return result[:count]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.random()
    if kind < 0.3:
        return text[:i] + text[i + 1 :]
    if kind < 0.6:
        return text[:i] + rng.choice(KEYBOARD) + text[i + 1 :]
    if kind < 0.8 and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


def _style_name(rng: random.Random, text: str, style: int) -> str:
    if not text:
        return text
    if style == 0:
        return text.upper()
    if style == 1:
        return "-".join(part.capitalize() for part in text.split("-"))
    return text.capitalize() if rng.random() < 0.9 else text


def record_of(
    person: Person,
    rng: random.Random,
    *,
    record_id: str,
    agency: str,
    style: int,
    nhs_share: float = 0.35,
    mixed_case: bool = False,
) -> Record:
    """One agency's record of `person` in the agency's `style`: with `mixed_case`, each name is written in
    any case (upper, lower, capitalised) whatever the agency; `nhs_share` of records carry the NHS number."""
    first, middle, surname = person.first_name, person.middle_name, person.surname
    roll = rng.random()
    if roll < 0.10 and first in NICKNAMES:
        first = rng.choice(NICKNAMES[first])
    elif roll < 0.18:
        first = _typo(rng, first)
    elif roll < 0.21 and middle:
        first, middle = middle, first
    if rng.random() < 0.08:
        surname = _typo(rng, surname)
    if "-" in surname and rng.random() < 0.3:
        surname = rng.choice(surname.split("-"))
    if rng.random() < 0.3:
        middle = ""
    born = person.date_of_birth
    day, month, year = born.day, born.month, born.year
    roll = rng.random()
    if roll < 0.04 and day <= 12 and day != month:
        day, month = month, day
    elif roll < 0.07:
        text = f"{year:04d}{month:02d}{day:02d}"
        i = rng.randrange(len(text))
        text = text[:i] + str(rng.randint(0, 9)) + text[i + 1 :]
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    dob = f"{day:02d}/{month:02d}/{year:04d}" if style != 2 else f"{year:04d}-{month:02d}-{day:02d}"
    if rng.random() < 0.02:
        dob = ""
    number, street, town, postcode = person.house_number, person.street, person.town, person.postcode
    if rng.random() < 0.10:
        number, street, town, postcode = _home(rng)
    address = f"{number} {street}, {town}"
    if style == 0:
        address = address.upper().replace("ROAD", "RD").replace("STREET", "ST")
    if rng.random() < 0.05:
        address = _typo(rng, address)
    if rng.random() < 0.05:
        postcode = ""
    elif rng.random() < 0.03:
        postcode = _typo(rng, postcode)
    postcode = postcode.replace(" ", "") if style == 1 else postcode
    postcode = postcode.lower() if style == 2 and rng.random() < 0.5 else postcode
    nhs = person.nhs_number if rng.random() < nhs_share else ""
    if nhs and style == 0:
        nhs = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    sex = "" if rng.random() < 0.1 else {"m": ("M", "Male", "m"), "f": ("F", "Female", "f")}[person.sex][style]
    name_style = (lambda: rng.randrange(3)) if mixed_case else (lambda: style)
    return Record(
        record_id=record_id,
        person_id=person.person_id,
        first_name=_style_name(rng, first, name_style()),
        middle_names=_style_name(rng, middle, name_style()),
        surname=_style_name(rng, surname, name_style()),
        date_of_birth=dob,
        sex=sex,
        address=address,
        postcode=postcode,
        nhs_number=nhs,
        agency=agency,
    )


def records(
    population: list[Person],
    *,
    seed: int = 2,
    agencies: tuple[str, ...] = ("health", "school", "police"),
    hard_negatives: bool = False,
    copies: tuple[int, ...] = (1, 1, 2, 2, 2, 3, 4),
    nhs_share: float = 0.35,
    mixed_case: bool = False,
) -> Iterator[Record]:
    """One to four records for each person, from different agencies, each in its agency's style.

    With `hard_negatives`, a household that moved did so together: each agency that knows of the move
    records every child of it at the one new home."""
    rng = random.Random(seed)
    moved: dict[tuple[int, int], tuple[int, str, str, str]] = {}
    serial = 0
    for person in population:
        for _ in range(rng.choice(copies)):
            serial += 1
            style = rng.randrange(3)
            record = record_of(
                person,
                rng,
                record_id=f"R{serial:07d}",
                agency=agencies[style],
                style=style,
                nhs_share=nhs_share,
                mixed_case=mixed_case,
            )
            if hard_negatives and person.household_id % 10 == 0:
                home = moved.setdefault((person.household_id, style), _home(rng))
                number, street, town, postcode = home
                record.address = f"{number} {street}, {town}"
                record.postcode = postcode
            yield record


# A set built like the held-out one issue 11 describes (7,890 records of about 4,400 children): children only,
# one to three records each, typos, nicknames, swapped day and month, house moves, half the NHS numbers missing,
# names in any case, and many twins of one sex with unrelated first names sharing a surname, a birthday, a home
# and often a middle name. Nothing in the hub was tuned on a set drawn with a seed other than the tests' own.
HELD_OUT_STYLE = {
    "people": {"twin_rate": 0.1, "hard_negatives": True, "children_only": True},
    "records": {"copies": (1, 1, 2, 2, 2, 3), "nhs_share": 0.5, "mixed_case": True, "hard_negatives": True},
}


def true_pairs(recorded: list[Record]) -> set[tuple[str, str]]:
    by_person: dict[int, list[str]] = {}
    for record in recorded:
        by_person.setdefault(record.person_id, []).append(record.record_id)
    pairs = set()
    for ids in by_person.values():
        ids.sort()
        for i, left in enumerate(ids):
            for right in ids[i + 1 :]:
                pairs.add((left, right))
    return pairs


def twin_pairs(population: list[Person], recorded: list[Record]) -> set[tuple[str, str]]:
    """Pairs of records of two different people who are twins (same household and birthday)."""
    twins: dict[tuple[int, date], list[int]] = {}
    for person in population:
        twins.setdefault((person.household_id, person.date_of_birth), []).append(person.person_id)
    twin_of = {pid: set(group) - {pid} for group in twins.values() if len(group) > 1 for pid in group}
    by_person: dict[int, list[str]] = {}
    for record in recorded:
        by_person.setdefault(record.person_id, []).append(record.record_id)
    pairs = set()
    for pid, others in twin_of.items():
        for other in others:
            for left in by_person.get(pid, []):
                for right in by_person.get(other, []):
                    pairs.add(tuple(sorted((left, right))))
    return pairs


def sibling_pairs(population: list[Person], recorded: list[Record]) -> set[tuple[str, str]]:
    """Pairs of records of two different people of one household who are not twins: brothers and sisters,
    a parent and child (of the same name, too), cousins living with them."""
    twins = twin_pairs(population, recorded)
    household = {person.person_id: person.household_id for person in population}
    by_household: dict[int, list[Record]] = {}
    for record in recorded:
        by_household.setdefault(household[record.person_id], []).append(record)
    pairs = set()
    for members in by_household.values():
        for i, left in enumerate(members):
            for right in members[i + 1 :]:
                if left.person_id != right.person_id:
                    pair = tuple(sorted((left.record_id, right.record_id)))
                    if pair not in twins:
                        pairs.add(pair)
    return pairs


def write_csv(recorded: list[Record], path) -> None:
    from apps.core.csv_export import csv_dict_writer

    with open(path, "w", newline="", encoding="utf-8") as handle:
        fields = ["record_id", "first_name", "middle_names", "surname", "date_of_birth", "sex", "address", "postcode"]
        fields.append("nhs_number")
        writer = csv_dict_writer(handle, fields)
        writer.writeheader()
        for record in recorded:
            writer.writerow(record.as_row())
