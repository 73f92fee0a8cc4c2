"""Synthetic people of the demo municipality: customers, organisations and staff.

Every name is made up from common Dutch first names and surnames; contact data
is clearly fake (``example.org``-style and ``.invalid`` e-mail domains, phone
numbers of the form ``06-0000xxxx``).
"""

from __future__ import annotations

import unicodedata

import attrs

__all__ = [
    "AMBASSADORS",
    "EMAIL_DOMAINS",
    "FIRST_NAMES",
    "ORGANISATIONS",
    "PEOPLE",
    "REPRESENTATIVES",
    "STAFF",
    "STAFF_EMAIL_DOMAIN",
    "SURNAMES",
    "Person",
    "StaffMember",
    "slug",
]

FIRST_NAMES = (
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Willem",
    "Sander",
    "Daan",
    "Bram",
    "Lucas",
    "Mohammed",
    "Yusuf",
    "Mehmet",
    "Anouk",
    "Sanne",
    "Lisa",
    "Emma",
    "Fleur",
    "Ingrid",
    "Marja",
    "Ria",
    "Fatima",
    "Samira",
    "Aisha",
    "Elif",
    "Priya",
    "Nadia",
    "Marco",
    "Thijs",
    "Ruud",
    "Gerda",
    "Joke",
    "Annelies",
    "Kevin",
    "Dewi",
    "Wendy",
    "Tamara",
    "Hans",
    "Gert",
    "Jeroen",
    "Mark",
    "Esther",
    "Petra",
    "Karin",
    "Monique",
    "Ahmed",
    "Hatice",
    "Agnieszka",
    "Tomasz",
    "Rik",
    "Noah",
    "Sem",
    "Julia",
    "Tess",
    "Mila",
    "Saar",
    "Femke",
    "Bas",
    "Niels",
    "Joost",
    "Wim",
    "Cor",
    "Truus",
    "Greet",
    "Bep",
    "Dirk",
    "Erik",
    "Hanneke",
    "Linda",
    "Ilse",
    "Roos",
)

SURNAMES: tuple[tuple[str, str], ...] = (
    ("de", "Vries"),
    ("", "Jansen"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Berg"),
    ("", "Yilmaz"),
    ("el", "Amrani"),
    ("", "Bouzid"),
    ("", "Öztürk"),
    ("", "Kaya"),
    ("", "Nowak"),
    ("", "Kowalski"),
    ("", "Pinas"),
    ("", "Ramdin"),
    ("", "Nguyen"),
    ("", "Hoekstra"),
    ("", "Postma"),
    ("", "Kuipers"),
    ("van", "Beek"),
    ("", "Koster"),
    ("", "Willems"),
    ("", "Prins"),
    ("van", "Vliet"),
    ("", "Huisman"),
    ("ter", "Horst"),
)

EMAIL_DOMAINS = ("example.org", "example.com", "example.net", "mail.invalid", "post.invalid")
STAFF_EMAIL_DOMAIN = "voorbeeldstad.example.org"


def slug(text: str) -> str:
    """``text`` as a lowercase ASCII e-mail local part: ``Öztürk`` -> ``ozturk``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


@attrs.frozen
class Person:
    """A made-up name with its e-mail local part precomputed."""

    name: str
    local_part: str


def _people() -> tuple[Person, ...]:
    people = []
    for first in FIRST_NAMES:
        for particle, surname in SURNAMES:
            full = " ".join(p for p in (first, particle, surname) if p)
            people.append(Person(full, f"{slug(first)}.{slug(particle + surname)}"))
    return tuple(people)


PEOPLE = _people()
"""Every first name combined with every surname."""

ORGANISATIONS = (
    "Bakkerij De Korenaar",
    "Café De Hoek",
    "VvE Lindehof",
    "Huurdersvereniging Het Anker",
    "Sportvereniging Voorwaarts",
    "Stichting Buurthuis De Brug",
    "Autobedrijf Stationsweg",
    "Kinderopvang Het Zonnetje",
    "Ondernemersvereniging Centrum",
    "Woningstichting Thuis",
    "Transportbedrijf De Wit",
    "Bewonerscommissie Vogelwijk",
)

REPRESENTATIVES = (
    "Rechtshulp Voorbeeld",
    "Juridisch Adviesbureau De Balans",
    "Taxatiewijzer (fictief)",
    "Het Sociaal Raadsliedenwerk",
    "Advocatenkantoor Van Dijk & Partners (fictief)",
)


@attrs.frozen
class StaffMember:
    """An employee of the demo municipality: handler, receiver or beklaagde."""

    name: str
    department: str
    role: str


STAFF = (
    StaffMember("Sandra Mulder", "Klantcontactcentrum", "klantcontactmedewerker"),
    StaffMember("Kevin Jansen", "Klantcontactcentrum", "klantcontactmedewerker"),
    StaffMember("Samira Bouzid", "Klantcontactcentrum", "klantcontactmedewerker"),
    StaffMember("Petra van Dijk", "Klantcontactcentrum", "teamleider"),
    StaffMember("Ingrid de Vries", "Burgerzaken", "baliemedewerker"),
    StaffMember("Mehmet Kaya", "Burgerzaken", "baliemedewerker"),
    StaffMember("Annelies Smit", "Burgerzaken", "teamleider"),
    StaffMember("Henk Visser", "Openbare ruimte", "opzichter"),
    StaffMember("Gert Dekker", "Openbare ruimte", "medewerker buitendienst"),
    StaffMember("Marco Brouwer", "Openbare ruimte", "meldingencoördinator"),
    StaffMember("Tamara Hendriks", "Openbare ruimte", "wijkbeheerder"),
    StaffMember("Bram de Haan", "Afval en reiniging", "chauffeur"),
    StaffMember("Wendy Kok", "Afval en reiniging", "coördinator inzameling"),
    StaffMember("Esther van Leeuwen", "Werk en inkomen", "consulent"),
    StaffMember("Yusuf el Amrani", "Werk en inkomen", "consulent"),
    StaffMember("Karin Vos", "Werk en inkomen", "teamleider"),
    StaffMember("Monique de Graaf", "Belastingen", "medewerker WOZ"),
    StaffMember("Jeroen Peters", "Belastingen", "medewerker invordering"),
    StaffMember("Hans van den Berg", "Vergunningen", "vergunningverlener"),
    StaffMember("Dewi Ramdin", "Vergunningen", "vergunningverlener"),
    StaffMember("Daan Vermeulen", "Handhaving", "boa"),
    StaffMember("Nadia Yilmaz", "Handhaving", "boa"),
    StaffMember("Sander Bos", "Parkeren", "medewerker parkeren"),
    StaffMember("Fleur van der Meer", "Wijkteam", "wijkcoach"),
    StaffMember("Marja Dijkstra", "Wijkteam", "wmo-consulent"),
    StaffMember("Aisha Pinas", "Wijkteam", "wijkcoach"),
    StaffMember("Anouk van der Linden", "Juridische zaken", "klachtencoördinator"),
    StaffMember("Willem de Boer", "Juridische zaken", "jurist bezwaar"),
    StaffMember("Joost Smits", "Juridische zaken", "jurist bezwaar"),
    StaffMember("Lisa Jacobs", "Dienstverlening", "ambassadeur feedback"),
    StaffMember("Tomasz Nowak", "Dienstverlening", "ambassadeur feedback"),
)

AMBASSADORS = tuple(s.name for s in STAFF if s.role == "ambassadeur feedback")
"""The two second handlers who register and monitor informal feedback (Schagen practice)."""
