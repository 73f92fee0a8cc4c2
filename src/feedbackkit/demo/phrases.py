"""What handlers write in the demo's case histories and what customers answer afterwards."""

from __future__ import annotations

from feedbackkit.vocabulary import Relationship

__all__ = [
    "ADVICE",
    "DEFECTS",
    "FORWARD_TO",
    "HEARING_REPORTS",
    "NOTES",
    "OUTCOME_TEXTS",
    "REJECT_GROUNDS",
    "REOPEN_REASONS",
    "RESPONSES",
]

HEARING_REPORTS = (
    "Klager en beklaagde gehoord; beide lezingen vastgelegd in het verslag.",
    "Hoorgesprek gevoerd; klager voelde zich niet gehoord en gaf voorbeelden.",
    "Telefonisch gehoord; verslag per e-mail toegezonden.",
    "Hoorzitting gehouden in het gemeentehuis; verslag bijgevoegd.",
)

NOTES = (
    "Klant wil graag teruggebeld worden na vijf uur.",
    "Besproken in de dagstart.",
    "Voorgelegd in het verbeteroverleg.",
    "Klant was emotioneel aan de telefoon; rustig uitgelegd wat we gaan doen.",
    "Leidinggevende geïnformeerd.",
)

REJECT_GROUNDS = (
    "Grond is eigendom van de woningcorporatie; melder doorverwezen",
    "Dubbele melding",
    "Geen taak van de gemeente; doorverwezen naar de politie",
    "Particulier terrein",
)

REOPEN_REASONS = (
    "Melder belde: probleem niet opgelost",
    "Klager is het niet eens met de afhandeling",
    "Nieuwe informatie ontvangen",
)

FORWARD_TO = (
    "Woningstichting Thuis",
    "Omgevingsdienst Regio Voorbeeld",
    "Belastingsamenwerking Voorbeeldregio",
    "Politie, basisteam Voorbeeldstad",
)

DEFECTS = (
    "Handtekening ontbreekt",
    "Gronden van het bezwaar ontbreken",
    "Kopie van het bestreden besluit ontbreekt",
    "Machtiging van de gemachtigde ontbreekt",
)

ADVICE = (
    "De commissie adviseert het bezwaar ongegrond te verklaren.",
    "De commissie adviseert het bezwaar gegrond te verklaren en het besluit te herroepen.",
    "De commissie adviseert het bezwaar deels gegrond te verklaren.",
)

RESPONSES = (
    "Mondeling beantwoord.",
    "Per e-mail beantwoord.",
    "Teruggebeld en uitgelegd.",
    "Compliment doorgegeven aan de medewerker en de leidinggevende.",
    "Tip doorgestuurd naar de afdeling; we laten weten wat ermee gebeurt.",
    "Bedankt voor de reactie; meegenomen in het verbeteroverleg.",
)

OUTCOME_TEXTS: dict[Relationship, tuple[str, ...]] = {
    Relationship.STRONGER: (
        "Fijn dat ik persoonlijk gebeld werd.",
        "Ik had niet verwacht dat er zo snel iets zou gebeuren.",
        "Eindelijk iemand die echt luisterde.",
        "Netjes excuses gekregen, daar was het me om te doen.",
    ),
    Relationship.UNCHANGED: (
        "Het is opgelost, maar het duurde lang.",
        "Prima, maar ik hoop dat het niet nog eens gebeurt.",
        "Redelijk afgehandeld.",
    ),
    Relationship.WEAKER: (
        "Het duurde veel te lang en ik moest steeds zelf bellen.",
        "Ik heb het gevoel dat niemand iets met mijn klacht heeft gedaan.",
        "Nooit meer iets van gehoord na de eerste brief.",
        "De uitkomst is niet eerlijk.",
    ),
}
