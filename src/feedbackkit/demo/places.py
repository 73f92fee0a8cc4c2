"""The fictional municipality of the demo: Voorbeeldstad, its neighbourhoods and streets."""

from __future__ import annotations

__all__ = ["MONTHS", "MUNICIPALITY", "NEIGHBOURHOODS", "STREETS", "WEEKDAYS", "dutch_date"]

from datetime import date

MUNICIPALITY = "Voorbeeldstad"

NEIGHBOURHOODS: dict[str, tuple[str, ...]] = {
    "Centrum": ("Marktplein", "Kerkstraat", "Nieuwstraat", "Havenkade", "Torenstraat"),
    "Stationsbuurt": ("Stationsweg", "Spoorlaan", "Emmastraat", "Julianalaan", "Parallelweg"),
    "Bloemenbuurt": ("Tulpstraat", "Rozenstraat", "Narcissenlaan", "Irisstraat", "Lelieweg"),
    "Vogelwijk": ("Merelstraat", "Lijsterstraat", "Koolmeesstraat", "Zwanenhof", "Reigerlaan"),
    "Bomenbuurt": ("Lindelaan", "Eikenlaan", "Berkenlaan", "Kastanjelaan", "Esdoornstraat"),
    "Molenkwartier": ("Molenweg", "Korenmolen", "Maalderij", "Wiekenstraat"),
    "De Weide": ("Weidelaan", "Boterbloem", "Klaverweide", "Slotenweg", "Polderweg"),
    "Havenkwartier": ("Kadestraat", "Loswal", "Werfstraat", "Industrieweg"),
    "Oud-Zuid": ("Wilhelminastraat", "Beatrixstraat", "Prins Hendrikstraat", "Schoolstraat"),
    "Nieuw-Oost": ("Sportlaan", "Olympiaweg", "Orionlaan", "Pegasusstraat", "Lyrastraat"),
    "Lindeloo": ("Dorpsstraat", "Dijkweg", "Kerkepad", "Achterweg"),
}
"""Neighbourhood (wijk) -> its streets; Lindeloo is a village within the municipality."""

STREETS: tuple[tuple[str, str], ...] = tuple(
    (street, wijk) for wijk, streets in NEIGHBOURHOODS.items() for street in streets
)
"""Every (street, neighbourhood) pair."""

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    """``day`` as a citizen writes it: ``3 maart 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
