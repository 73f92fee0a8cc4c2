"""Controlled vocabularies of the domain: kinds, channels, roles, judgements.

Each member's value is the stable identifier used in storage and interchange;
``label(lang)`` gives the Dutch (default) or English name shown to people.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Channel",
    "ContactPreference",
    "Form",
    "Initiative",
    "Judgement",
    "Kind",
    "LinkType",
    "Origin",
    "PartyKind",
    "PartyRole",
    "Relationship",
    "label",
]


class Kind(StrEnum):
    """What the customer expresses (domain.md §1)."""

    REMARK = "remark"
    SIGNAL = "signal"
    MELDING = "melding"
    COMPLAINT = "complaint"
    OBJECTION = "objection"
    DISSATISFACTION = "dissatisfaction"
    SATISFACTION = "satisfaction"
    COMPLIMENT = "compliment"
    TIP = "tip"
    QUESTION = "question"


class Initiative(StrEnum):
    """Who took the initiative: the customer (reactive) or the organisation (proactive)."""

    REACTIVE = "reactive"
    PROACTIVE = "proactive"


class Origin(StrEnum):
    """External customers (citizens, companies) or internal ones (staff)."""

    EXTERNAL = "external"
    INTERNAL = "internal"


class Channel(StrEnum):
    """How the feedback reached the organisation."""

    WEB_FORM = "web_form"
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    COUNTER = "counter"
    SOCIAL = "social"
    APP = "app"
    IN_PERSON = "in_person"
    NEIGHBOURHOOD_TEAM = "neighbourhood_team"
    SURVEY = "survey"
    INTERNAL = "internal"


class Form(StrEnum):
    """Written or oral (Awb 9:2: both must be handled properly)."""

    WRITTEN = "written"
    ORAL = "oral"


class PartyRole(StrEnum):
    """The role a party plays in one feedback item."""

    COMPLAINANT = "complainant"
    BEKLAAGDE = "beklaagde"
    REPRESENTATIVE = "representative"
    REPORTER = "reporter"
    OBJECTOR = "objector"


class PartyKind(StrEnum):
    """A person, an organisation, or an employee (internal feedback)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    EMPLOYEE = "employee"


class ContactPreference(StrEnum):
    """How a party prefers to be contacted."""

    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    NONE = "none"


class LinkType(StrEnum):
    """How one feedback item relates to another."""

    REPEAT_OF = "repeat_of"
    SAME_PROBLEM_AS = "same_problem_as"
    ESCALATED_FROM = "escalated_from"


class Relationship(StrEnum):
    """The relationship question of the ICTU study: after handling, the relationship became..."""

    STRONGER = "stronger"
    UNCHANGED = "unchanged"
    WEAKER = "weaker"


class Judgement(StrEnum):
    """Judgement on a complaint under Awb 9:12 as used in practice."""

    GEGROND = "gegrond"
    DEELS_GEGROND = "deels_gegrond"
    ONGEGROND = "ongegrond"
    GEEN_OORDEEL = "geen_oordeel"


_LABELS: dict[str, tuple[str, str]] = {
    # Kind
    "remark": ("Opmerking", "Remark"),
    "signal": ("Signaal", "Signal"),
    "melding": ("Melding", "Report"),
    "complaint": ("Klacht", "Complaint"),
    "objection": ("Bezwaar", "Objection"),
    "dissatisfaction": ("Ontevredenheidsuiting", "Expression of dissatisfaction"),
    "satisfaction": ("Tevredenheidsuiting", "Expression of satisfaction"),
    "compliment": ("Compliment", "Compliment"),
    "tip": ("Tip of suggestie", "Tip or suggestion"),
    "question": ("Vraag", "Question"),
    # Initiative / origin
    "reactive": ("Reactief", "Reactive"),
    "proactive": ("Proactief", "Proactive"),
    "external": ("Extern", "External"),
    "internal": ("Intern", "Internal"),
    # Channel
    "web_form": ("Webformulier", "Web form"),
    "email": ("E-mail", "E-mail"),
    "letter": ("Brief", "Letter"),
    "phone": ("Telefoon", "Phone"),
    "counter": ("Balie", "Counter"),
    "social": ("Sociale media / webcare", "Social media / webcare"),
    "app": ("App", "App"),
    "in_person": ("Persoonlijk", "In person"),
    "neighbourhood_team": ("Wijkteam", "Neighbourhood team"),
    "survey": ("Enquête", "Survey"),
    # Form
    "written": ("Schriftelijk", "Written"),
    "oral": ("Mondeling", "Oral"),
    # Roles
    "complainant": ("Klager", "Complainant"),
    "beklaagde": ("Beklaagde", "Person complained about"),
    "representative": ("Gemachtigde", "Representative"),
    "reporter": ("Melder", "Reporter"),
    "objector": ("Bezwaarmaker", "Objector"),
    # Party kinds and contact preferences
    "person": ("Persoon", "Person"),
    "organisation": ("Organisatie", "Organisation"),
    "employee": ("Medewerker", "Employee"),
    "none": ("Geen contact", "No contact"),
    # Links
    "repeat_of": ("Herhaling van", "Repeat of"),
    "same_problem_as": ("Zelfde probleem als", "Same problem as"),
    "escalated_from": ("Voortgekomen uit", "Escalated from"),
    # Relationship
    "stronger": ("Sterker geworden", "Became stronger"),
    "unchanged": ("Gelijk gebleven", "Stayed the same"),
    "weaker": ("Zwakker geworden", "Became weaker"),
    # Judgement
    "gegrond": ("Gegrond", "Well-founded"),
    "deels_gegrond": ("Deels gegrond", "Partly well-founded"),
    "ongegrond": ("Ongegrond", "Unfounded"),
    "geen_oordeel": ("Geen oordeel", "No judgement"),
}


def label(value: StrEnum | str, lang: str = "nl") -> str:
    """The human name of a vocabulary value in Dutch (``nl``, default) or English (``en``)."""
    nl, en = _LABELS.get(str(value), (str(value), str(value)))
    return en if lang == "en" else nl
