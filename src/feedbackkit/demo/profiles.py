"""How often each kind of feedback occurs, how it arrives, and what each channel implies."""

from __future__ import annotations

import attrs

from feedbackkit.vocabulary import Channel, ContactPreference, Form, Kind, PartyRole

__all__ = ["CHANNELS", "KINDS", "ChannelProfile", "KindProfile"]

_C = Channel


@attrs.frozen
class KindProfile:
    """The demo's facts about one kind of feedback."""

    weight: float
    """Share among the items of a year."""
    channels: tuple[tuple[Channel, float], ...]
    """How it reaches the municipality, with weights."""
    prefix: str
    """Of the case number, e.g. ``KL`` in ``KL-2026-00042``."""
    role: PartyRole = PartyRole.REPORTER
    named: bool = False
    """The customer is always known (Awb 9:4 complaints, 6:5 objections)."""
    surveyed: float = 0.0
    """Share of closed cases whose customer answers the relationship question."""
    asked: bool = False
    """The organisation also asks for it when calling customers back (proactive)."""
    group_weight: float = 0.0
    """How often a same-problem group's problem shows up as this kind."""


KINDS: dict[Kind, KindProfile] = {
    Kind.MELDING: KindProfile(
        34,
        (
            (_C.APP, 30),
            (_C.WEB_FORM, 30),
            (_C.PHONE, 25),
            (_C.EMAIL, 5),
            (_C.SOCIAL, 5),
            (_C.COUNTER, 2),
            (_C.NEIGHBOURHOOD_TEAM, 3),
        ),
        "ML",
        surveyed=0.35,
        group_weight=3,
    ),
    Kind.QUESTION: KindProfile(
        14,
        (
            (_C.PHONE, 40),
            (_C.EMAIL, 20),
            (_C.WEB_FORM, 15),
            (_C.COUNTER, 15),
            (_C.SOCIAL, 10),
            (_C.APP, 3),
        ),
        "VR",
        surveyed=0.15,
        group_weight=1.5,
    ),
    Kind.COMPLAINT: KindProfile(
        9,
        (
            (_C.WEB_FORM, 30),
            (_C.EMAIL, 25),
            (_C.LETTER, 15),
            (_C.PHONE, 15),
            (_C.COUNTER, 6),
            (_C.SOCIAL, 5),
            (_C.IN_PERSON, 3),
            (_C.INTERNAL, 2),
        ),
        "KL",
        role=PartyRole.COMPLAINANT,
        named=True,
        surveyed=0.6,
        group_weight=1.5,
    ),
    Kind.OBJECTION: KindProfile(
        8,
        ((_C.LETTER, 45), (_C.WEB_FORM, 40), (_C.EMAIL, 15)),
        "BZ",
        role=PartyRole.OBJECTOR,
        named=True,
        surveyed=0.35,
        group_weight=2,
    ),
    Kind.REMARK: KindProfile(
        7,
        (
            (_C.COUNTER, 20),
            (_C.PHONE, 25),
            (_C.SOCIAL, 20),
            (_C.WEB_FORM, 15),
            (_C.EMAIL, 10),
            (_C.IN_PERSON, 8),
            (_C.INTERNAL, 5),
        ),
        "OP",
        asked=True,
    ),
    Kind.COMPLIMENT: KindProfile(
        7,
        (
            (_C.EMAIL, 25),
            (_C.PHONE, 15),
            (_C.COUNTER, 20),
            (_C.SOCIAL, 15),
            (_C.SURVEY, 15),
            (_C.LETTER, 5),
            (_C.IN_PERSON, 5),
            (_C.INTERNAL, 3),
        ),
        "CP",
        asked=True,
    ),
    Kind.DISSATISFACTION: KindProfile(
        6,
        (
            (_C.PHONE, 30),
            (_C.COUNTER, 20),
            (_C.SOCIAL, 20),
            (_C.SURVEY, 15),
            (_C.IN_PERSON, 8),
            (_C.EMAIL, 5),
            (_C.INTERNAL, 3),
        ),
        "OT",
        role=PartyRole.COMPLAINANT,
        surveyed=0.45,
        asked=True,
        group_weight=1,
    ),
    Kind.TIP: KindProfile(
        5,
        (
            (_C.WEB_FORM, 30),
            (_C.EMAIL, 20),
            (_C.SURVEY, 20),
            (_C.SOCIAL, 10),
            (_C.NEIGHBOURHOOD_TEAM, 10),
            (_C.IN_PERSON, 5),
            (_C.INTERNAL, 8),
        ),
        "TP",
        surveyed=0.1,
        asked=True,
    ),
    Kind.SIGNAL: KindProfile(
        5,
        (
            (_C.NEIGHBOURHOOD_TEAM, 35),
            (_C.INTERNAL, 15),
            (_C.PHONE, 15),
            (_C.EMAIL, 15),
            (_C.IN_PERSON, 10),
            (_C.SOCIAL, 5),
        ),
        "SG",
        surveyed=0.1,
    ),
    Kind.SATISFACTION: KindProfile(
        5, ((_C.SURVEY, 80), (_C.PHONE, 10), (_C.IN_PERSON, 10)), "TV", asked=True
    ),
}
"""Every kind's profile; the customer of kinds without a role of their own is a reporter."""


@attrs.frozen
class ChannelProfile:
    """The demo's facts about one channel."""

    form: Form = Form.WRITTEN
    office_hours: bool = False
    """Open only on working days during office hours."""
    staffed: bool = True
    """An employee receives and registers what comes in (``received_by``)."""
    anonymous: float = 0.0
    """Share of customers who leave no name."""
    contact: ContactPreference = ContactPreference.EMAIL
    medium: str = "email"
    """How the receiving employee talks to the customer (action ``contact_made``)."""


CHANNELS: dict[Channel, ChannelProfile] = {
    _C.WEB_FORM: ChannelProfile(staffed=False),
    _C.EMAIL: ChannelProfile(),
    _C.LETTER: ChannelProfile(office_hours=True, contact=ContactPreference.LETTER),
    _C.PHONE: ChannelProfile(
        form=Form.ORAL,
        office_hours=True,
        anonymous=0.1,
        contact=ContactPreference.PHONE,
        medium="phone",
    ),
    _C.COUNTER: ChannelProfile(
        form=Form.ORAL,
        office_hours=True,
        anonymous=0.35,
        contact=ContactPreference.PHONE,
        medium="counter",
    ),
    _C.SOCIAL: ChannelProfile(anonymous=0.25),
    _C.APP: ChannelProfile(staffed=False, anonymous=0.1),
    _C.IN_PERSON: ChannelProfile(form=Form.ORAL, office_hours=True, anonymous=0.2, medium="visit"),
    _C.NEIGHBOURHOOD_TEAM: ChannelProfile(
        form=Form.ORAL, office_hours=True, anonymous=0.1, medium="visit"
    ),
    _C.SURVEY: ChannelProfile(staffed=False, anonymous=0.5),
    _C.INTERNAL: ChannelProfile(office_hours=True),
}
"""Every channel's profile."""
