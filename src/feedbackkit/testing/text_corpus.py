"""A labelled synthetic corpus of Dutch municipal feedback for measuring text analysers.

Every text is written from templates with variation (openings and closings per channel,
one or two of a topic's sentences, context, emotion and escalation sentences, typos)
and carries its labels: the *topic* (what clustering should find), the taxonomy
*theme*, the *emotion* category of its emotion sentence, and for some texts the
*problem*: one underlying problem (a dark street, a blocked drain) reported by
several customers through different kinds and channels, in one street and period,
which a service-recovery search should connect. Generation is seeded and fast
(100,000 texts in a few seconds)::

    from feedbackkit.testing.text_corpus import labelled_corpus

    corpus = labelled_corpus(2000, seed=1)
    documents = [item.document for item in corpus]
    topics = [item.topic for item in corpus]
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import attrs

from feedbackkit.learning.text import Document

__all__ = ["TOPICS", "LabelledText", "Topic", "labelled_corpus"]


@attrs.frozen
class Topic:
    """One thing customers write about, with the theme it belongs to."""

    code: str
    theme: str
    """Code of the theme in the default taxonomy."""
    subject: str
    """The subject a case about it is registered under."""
    sentences: tuple[str, ...]
    local: bool = True
    """About a place: the text names a street and the case has a location."""
    kinds: tuple[str, ...] = ("melding", "complaint", "question")
    weight: float = 1.0


@attrs.frozen
class LabelledText:
    """One generated text with what it is known to be about."""

    document: Document
    kind: str
    channel: str
    topic: str
    theme: str
    problem: str | None = None
    """Id of the underlying problem it reports, shared by the other reports of it."""
    emotion: str | None = None
    """Emotion category (lexicon code) of the emotion sentence it contains."""


TOPICS: tuple[Topic, ...] = (
    Topic(
        "container-vol",
        "afval",
        "Afval",
        (
            "De ondergrondse container aan de {straat} zit al {n} dagen propvol.",
            "Bij de container in de {straat} staan vuilniszakken naast de bak omdat hij vol is.",
            "De restafvalcontainer bij {straat} {nr} wordt niet geleegd, alles ligt ernaast.",
            "Het afval stapelt zich op bij de containers op de {straat}.",
            "Kunnen jullie de volle vuilcontainer aan de {straat} komen legen?",
            "De meeuwen trekken de vuilniszakken naast de volle container in de {straat} open.",
        ),
        weight=3,
    ),
    Topic(
        "grofvuil",
        "afval",
        "Afval",
        (
            "Mijn grofvuil is op {dag} niet opgehaald terwijl ik een afspraak had.",
            "Ik had het grofvuil netjes buiten gezet maar de wagen is niet gekomen.",
            "De oude bank en het matras staan nog steeds aan de straat, niemand heeft het "
            "grofvuil opgehaald.",
            "Hoe maak ik een nieuwe afspraak voor het ophalen van grofvuil?",
        ),
        local=False,
        weight=2,
    ),
    Topic(
        "kliko-kapot",
        "afval",
        "Afval",
        (
            "Mijn kliko is bij het legen kapot gegaan, het deksel is afgebroken.",
            "De groene container voor gft is gestolen, hoe krijg ik een nieuwe?",
            "De wielen van mijn minicontainer zijn kapot sinds de vuilniswagen hem heeft geleegd.",
        ),
        local=False,
    ),
    Topic(
        "zwerfvuil",
        "afval",
        "Reiniging",
        (
            "Langs de {straat} ligt overal zwerfvuil: blikjes, plastic en glas.",
            "Het speelveld in {wijk} ligt bezaaid met rommel en glasscherven.",
            "Er wordt in de {straat} al weken niet geveegd, de stoep ligt vol troep.",
        ),
        weight=2,
    ),
    Topic(
        "lantaarnpaal",
        "verlichting",
        "Openbare verlichting",
        (
            "De lantaarnpaal bij {straat} {nr} doet het al {n} avonden niet.",
            "In de {straat} is de straatverlichting uitgevallen, het is er 's avonds aardedonker.",
            "Een straatlantaarn in de {straat} knippert de hele nacht aan en uit.",
            "Er brandt geen enkele lamp meer in de {straat}, in het donker fiets ik daar niet "
            "meer.",
            "Wanneer wordt de kapotte lantaarnpaal in de {straat} gerepareerd?",
        ),
        weight=3,
    ),
    Topic(
        "stoeptegel",
        "wegen",
        "Wegen en stoepen",
        (
            "Voor {straat} {nr} ligt een stoeptegel los, ik ben er bijna over gestruikeld.",
            "De stoep in de {straat} ligt vol scheve tegels, met de rollator kom ik er niet langs.",
            "Er zit een groot gat in het trottoir bij de {straat}.",
            "De tegels op de stoep voor {straat} {nr} steken omhoog door de boomwortels.",
        ),
        weight=2,
    ),
    Topic(
        "wegdek",
        "wegen",
        "Wegen en stoepen",
        (
            "Er zit een diep gat in de weg op de {straat}, mijn fietswiel is erin geklapt.",
            "Het asfalt van het fietspad langs de {straat} is helemaal kapot.",
            "Op de {straat} zitten enorme kuilen in het wegdek.",
        ),
    ),
    Topic(
        "verkeer",
        "wegen",
        "Verkeer",
        (
            "Er wordt veel te hard gereden in de {straat}, kan er een drempel komen?",
            "Het verkeersbord op de hoek van de {straat} is omgereden.",
            "De verkeerslichten bij de kruising met de {straat} staan al dagen op oranje te "
            "knipperen.",
        ),
    ),
    Topic(
        "bomen",
        "groen",
        "Openbaar groen",
        (
            "De boom voor {straat} {nr} hangt over de weg, de takken raken de ramen.",
            "Na de storm ligt er een grote tak op het fietspad bij de {straat}.",
            "Wanneer worden de bomen in de {straat} gesnoeid? Ze nemen al het licht weg.",
        ),
        weight=2,
    ),
    Topic(
        "gras-onkruid",
        "groen",
        "Openbaar groen",
        (
            "Het gras in het plantsoen aan de {straat} is al maanden niet gemaaid.",
            "Het onkruid op de stoep in de {straat} staat kniehoog.",
            "De perken in {wijk} worden slecht onderhouden, alles is overwoekerd.",
        ),
    ),
    Topic(
        "wateroverlast",
        "water",
        "Riolering",
        (
            "Bij elke regenbui staat de {straat} blank omdat de put verstopt is.",
            "Het riool in de {straat} loopt over en het water komt tot aan de voordeur.",
            "Onze kelder is ondergelopen door de verstopte straatkolk voor {straat} {nr}.",
            "Er komt een vieze rioollucht uit de putten in de {straat}.",
        ),
        weight=2,
    ),
    Topic(
        "geluidsoverlast",
        "overlast",
        "Overlast",
        (
            "Elke nacht harde muziek van de buren op {straat} {nr}, we kunnen niet slapen.",
            "Het café aan de {straat} draait tot diep in de nacht keiharde muziek.",
            "Al {n} weekenden feest tot vier uur 's nachts in de {straat}.",
        ),
        weight=2,
    ),
    Topic(
        "hangjongeren",
        "overlast",
        "Overlast",
        (
            "Er hangt elke avond een groep jongeren bij het winkelcentrum in {wijk}; ze "
            "schreeuwen en laten rommel achter.",
            "Bij de speeltuin in de {straat} wordt gedeald en staan jongeren met scooters te "
            "scheuren.",
        ),
    ),
    Topic(
        "parkeervergunning",
        "parkeren",
        "Parkeren",
        (
            "Mijn aanvraag voor een parkeervergunning ligt al {weken} weken stil.",
            "Ik heb een parkeervergunning betaald maar kreeg toch een naheffing.",
            "Hoe kan ik een bezoekersvergunning voor parkeren aanvragen?",
        ),
        local=False,
        kinds=("complaint", "question"),
    ),
    Topic(
        "parkeeroverlast",
        "parkeren",
        "Parkeren",
        (
            "In de {straat} wordt structureel op de stoep geparkeerd.",
            "Er staat al weken een aanhanger op de parkeerplaats in de {straat}.",
            "Busjes blokkeren de uitrit van mijn garage aan de {straat}.",
        ),
    ),
    Topic(
        "ratten",
        "dieren",
        "Ongedierte",
        (
            "We zien steeds vaker ratten bij de containers in de {straat}.",
            "Er lopen ratten door de tuinen in {wijk}, ze komen af op het voer voor de duiven.",
        ),
    ),
    Topic(
        "hondenpoep",
        "dieren",
        "Reiniging",
        (
            "Het grasveld bij de speeltuin in {wijk} ligt vol hondenpoep.",
            "Hondenbezitters ruimen de poep niet op in de {straat}, overal liggen drollen.",
        ),
    ),
    Topic(
        "paspoort",
        "burgerzaken",
        "Burgerzaken",
        (
            "Ik kan pas over {weken} weken terecht voor een nieuw paspoort terwijl ik op reis "
            "moet.",
            "Mijn paspoort ligt nog steeds niet klaar terwijl mij was beloofd dat het er na vijf "
            "dagen zou zijn.",
            "Bij het aanvragen van mijn identiteitskaart werd mijn pasfoto afgekeurd zonder "
            "uitleg.",
            "Kan ik mijn rijbewijs ook zonder afspraak verlengen?",
        ),
        local=False,
        kinds=("complaint", "question"),
        weight=2,
    ),
    Topic(
        "verhuizing",
        "burgerzaken",
        "Burgerzaken",
        (
            "Ik heb mijn verhuizing online doorgegeven maar mijn adres in de BRP is nog niet "
            "gewijzigd.",
            "Door een fout in de basisregistratie sta ik nog op mijn oude adres ingeschreven.",
            "Hoe vraag ik een uittreksel uit de BRP aan?",
        ),
        local=False,
        kinds=("complaint", "question"),
    ),
    Topic(
        "belastingen",
        "belastingen",
        "Belastingen",
        (
            "De WOZ-waarde van mijn woning is veel te hoog vastgesteld.",
            "Ik heb een aanslag gemeentelijke belastingen ontvangen voor een woning waar ik niet "
            "meer woon.",
            "Mijn verzoek om kwijtschelding van de afvalstoffenheffing is afgewezen zonder goede "
            "reden.",
            "Waarom is de hondenbelasting dit jaar zo gestegen?",
        ),
        local=False,
        kinds=("complaint", "question"),
        weight=2,
    ),
    Topic(
        "uitkering",
        "inkomen",
        "Werk en inkomen",
        (
            "Mijn bijstandsuitkering is deze maand niet op tijd betaald, ik kan mijn huur niet "
            "betalen.",
            "Ik wacht al {weken} weken op een beslissing over mijn aanvraag voor een uitkering.",
            "De klantmanager van werk en inkomen vraagt steeds opnieuw dezelfde bankafschriften "
            "op.",
        ),
        local=False,
        kinds=("complaint", "question"),
    ),
    Topic(
        "schuldhulp",
        "inkomen",
        "Werk en inkomen",
        (
            "Ik heb me aangemeld voor schuldhulpverlening maar hoor al maanden niets.",
            "De schuldhulp van de gemeente helpt mij niet, de deurwaarder staat weer voor de deur.",
        ),
        local=False,
        kinds=("complaint", "question"),
    ),
    Topic(
        "wmo",
        "zorg",
        "Zorg en ondersteuning",
        (
            "Mijn aanvraag voor huishoudelijke hulp via de Wmo duurt al {weken} weken.",
            "De scootmobiel die ik via de Wmo heb gekregen is al drie weken kapot en niemand komt "
            "hem maken.",
            "Mijn moeder heeft een traplift nodig maar de Wmo-consulent heeft nog steeds niet "
            "gebeld.",
            "Het leerlingenvervoer voor mijn zoon kwam vanochtend weer niet opdagen.",
        ),
        local=False,
        kinds=("complaint", "question"),
        weight=2,
    ),
    Topic(
        "wijkteam",
        "zorg",
        "Zorg en ondersteuning",
        (
            "Het wijkteam heeft ons beloofd te helpen met de jeugdzorg van onze dochter, maar er "
            "gebeurt niets.",
            "Mijn buurvrouw in de {straat} is erg verward en komt de deur niet meer uit.",
        ),
        kinds=("complaint", "signal"),
    ),
    Topic(
        "vergunning",
        "vergunningen",
        "Vergunningen",
        (
            "Mijn omgevingsvergunning voor een dakkapel is na {weken} weken nog steeds niet "
            "verleend.",
            "De buren aan de {straat} bouwen een schuur zonder vergunning, wat doet de gemeente "
            "eraan?",
            "De beslistermijn voor mijn bouwaanvraag is verlopen zonder bericht.",
            "Hoe vraag ik een evenementenvergunning aan voor ons buurtfeest?",
        ),
        local=False,
        kinds=("complaint", "question"),
    ),
    Topic(
        "onvriendelijk",
        "bejegening",
        "Dienstverlening",
        (
            "De medewerker aan de balie was bijzonder onvriendelijk en liet me niet uitpraten.",
            "Ik werd aan de telefoon afgesnauwd door een medewerker van de gemeente.",
            "De ambtenaar sprak neerbuigend tegen mij en deed alsof ik dom was.",
            "Ik werd onbeschoft behandeld toen ik vroeg naar de stand van zaken.",
        ),
        local=False,
        kinds=("complaint",),
        weight=2,
    ),
    Topic(
        "compliment",
        "bejegening",
        "Dienstverlening",
        (
            "Ik wil {medewerker} van de balie bedanken voor de vriendelijke en geduldige hulp.",
            "Wat een fijne medewerker aan de telefoon, hij nam echt de tijd voor mij.",
            "Complimenten voor de snelle reactie, binnen een dag was alles geregeld.",
            "{medewerker} heeft mij ontzettend goed geholpen met mijn aanvraag.",
        ),
        local=False,
        kinds=("compliment",),
        weight=2,
    ),
    Topic(
        "bereikbaarheid",
        "bereikbaarheid",
        "Dienstverlening",
        (
            "Ik heb {minuten} minuten in de wacht gestaan bij het klantcontactcentrum.",
            "De gemeente is telefonisch slecht bereikbaar, ik kom er niet doorheen.",
            "Er werd beloofd dat ik zou worden teruggebeld, maar niemand heeft gebeld.",
            "Ik heb al {n} keer gebeld en word steeds doorverbonden naar een andere afdeling.",
        ),
        local=False,
        kinds=("complaint", "dissatisfaction"),
        weight=2,
    ),
    Topic(
        "communicatie",
        "communicatie",
        "Dienstverlening",
        (
            "De brief die ik kreeg is onbegrijpelijk, vol ambtelijke taal.",
            "Ik heb op mijn e-mail van {weken} weken geleden nog steeds geen antwoord gekregen.",
            "Niemand heeft mij laten weten wat er met mijn melding is gebeurd.",
        ),
        local=False,
        kinds=("complaint", "dissatisfaction"),
    ),
    Topic(
        "website",
        "digitaal",
        "Digitale dienstverlening",
        (
            "Het online formulier op de website geeft steeds een foutmelding bij het versturen.",
            "Inloggen met DigiD op de website van de gemeente lukt niet.",
            "De informatie op de website over afspraken maken klopt niet.",
            "In de app kan ik geen foto toevoegen aan mijn melding.",
        ),
        local=False,
        kinds=("complaint", "remark"),
    ),
)
"""The topics: what clustering should recover."""

WIJKEN = (
    "Centrum",
    "Stationsbuurt",
    "Bloemenbuurt",
    "Vogelwijk",
    "Bomenbuurt",
    "Molenkwartier",
    "De Weide",
    "Oud-Zuid",
    "Nieuw-Oost",
    "Lindeloo",
)
STREET_NAMES = (
    "Kerk",
    "Molen",
    "Linden",
    "Eiken",
    "Berken",
    "Kastanje",
    "Tulp",
    "Rozen",
    "Iris",
    "Merel",
    "Lijster",
    "Reiger",
    "Zwanen",
    "Haven",
    "Markt",
    "Toren",
    "Station",
    "Spoor",
    "Emma",
    "Juliana",
    "Wilhelmina",
    "Beatrix",
    "School",
    "Sport",
    "Dorps",
    "Dijk",
    "Polder",
    "Weide",
    "Klaver",
    "Boterbloem",
    "Koren",
    "Wieken",
    "Olympia",
    "Orion",
    "Pegasus",
    "Nieuwe",
    "Oude",
    "Achter",
    "Voor",
    "Zuider",
    "Noorder",
    "Ooster",
    "Wester",
    "Brug",
    "Sluis",
    "Vijver",
    "Park",
    "Bos",
    "Heide",
    "Duin",
    "Zee",
    "Rijn",
    "Maas",
    "Beek",
    "Hoven",
    "Slot",
    "Burg",
    "Abdij",
    "Klooster",
    "Gasthuis",
)
SUFFIXES = ("straat", "laan", "weg", "plein", "hof", "kade", "singel", "pad")
OPENINGS = {
    "email": ("Geachte heer/mevrouw,", "Beste gemeente,", "Hallo,", "Goedendag,", "", ""),
    "letter": ("Geachte heer/mevrouw,", "Geacht college,", ""),
    "web_form": ("", "", "Ik wil graag het volgende melden.", "Melding:"),
    "app": ("", "", ""),
    "phone": ("Klant belt:", "Mevrouw meldt telefonisch:", "Meneer belt en vertelt:"),
    "counter": ("Bewoner aan de balie:", "Klant geeft aan de balie aan:"),
    "social": ("@gemeente", "Hee gemeente,", ""),
}
CLOSINGS = {
    "email": ("Met vriendelijke groet,", "Groet,", "Bij voorbaat dank.", ""),
    "letter": ("Hoogachtend,", "Met vriendelijke groet,"),
    "web_form": ("", "Graag een reactie.", ""),
    "app": ("", ""),
    "phone": ("Graag terugbellen.", "", "Klant verwacht een reactie."),
    "counter": ("", "Klant wil graag op de hoogte worden gehouden."),
    "social": ("", "Doe er wat aan!"),
}
CHANNELS = {
    "melding": ("app", "web_form", "phone", "email"),
    "complaint": ("email", "letter", "web_form", "phone", "counter"),
    "question": ("phone", "email", "web_form", "counter", "social"),
    "compliment": ("email", "phone", "counter", "social"),
    "dissatisfaction": ("phone", "social", "counter"),
    "signal": ("phone", "email"),
    "remark": ("social", "counter", "web_form"),
}
CONTEXT = (
    "Ik woon al {jaren} jaar in {wijk}.",
    "Mijn buren hebben er ook last van.",
    "Ik hoop dat u hier snel iets aan doet.",
    "Graag hoor ik wanneer dit wordt opgelost.",
    "Kunt u mij laten weten wat u gaat doen?",
    "Ik heb er foto's van gemaakt.",
    "Ik ben {leeftijd} jaar en slecht ter been.",
    "Ik werk overdag, dus bel me liever na vijf uur.",
    "Het gaat om de situatie bij ons in de buurt.",
)
ESCALATION = (
    "Ik heb dit al {n} keer gemeld en er is nog steeds niets gebeurd.",
    "Dit is niet de eerste keer dat ik hierover contact opneem.",
    "Op mijn vorige melding heb ik nooit een reactie gekregen.",
)
EMOTIONS: dict[str, tuple[str, ...]] = {
    "anger": (
        "Ik ben hier echt woedend over!",
        "Ik word hier zo boos van.",
        "Dit is gewoon schandalig.",
    ),
    "frustration": (
        "Ik ben het echt spuugzat.",
        "Voor de zoveelste keer moet ik dit melden.",
        "Ik word van het kastje naar de muur gestuurd.",
    ),
    "disappointment": (
        "Ik ben diep teleurgesteld in de gemeente.",
        "Wat een teleurstelling.",
        "Ik had echt meer verwacht van de gemeente.",
    ),
    "powerlessness": (
        "Ik voel me machteloos.",
        "Ik weet niet meer wat ik moet doen.",
        "Ik voel me aan mijn lot overgelaten.",
    ),
    "fear": (
        "Ik ben bang dat er een ongeluk gebeurt.",
        "Ik maak me grote zorgen.",
        "Mijn kinderen durven niet meer naar buiten.",
    ),
    "sadness": ("Het maakt me erg verdrietig.", "Ik heb er echt van gehuild."),
    "injustice": (
        "Ik voel me totaal niet serieus genomen.",
        "Dit is oneerlijk en onrechtvaardig.",
        "Ik word behandeld als een nummer.",
    ),
    "distrust": ("Ik heb geen enkel vertrouwen meer in de gemeente.", "Er is tegen mij gelogen."),
}
POSITIVE = {
    "gratitude": ("Heel erg bedankt!", "Ik ben jullie echt dankbaar."),
    "joy": ("Ik ben er superblij mee.", "Wat fijn dat het zo goed geregeld is."),
}
EMOTION_CHANCE = {"complaint": 0.7, "dissatisfaction": 0.6, "compliment": 0.8, "signal": 0.4}
DETAILS = (
    "Het gaat om de plek vlak bij de bushalte.",
    "Sinds de werkzaamheden aan de kabels is het mis.",
    "Het begon na de storm van afgelopen {dag}.",
    "Het is bij de ingang van de basisschool.",
    "Precies tegenover de supermarkt.",
    "Bij het bankje naast de vijver.",
    "Op de hoek bij de snackbar.",
    "Vlak naast het nieuwe appartementencomplex.",
    "Naast de ingang van de sporthal.",
    "Tegenover de huisartsenpraktijk.",
    "Bij het hek van de volkstuinen.",
    "Naast de fietsenstalling bij de kerk.",
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "kapot": ("stuk", "defect"),
    "kapotte": ("defecte", "stukke"),
    "propvol": ("overvol", "helemaal vol"),
    "vuilniszakken": ("afvalzakken", "vuilniszakken"),
    "lantaarnpaal": ("lantarenpaal", "straatlamp"),
    "gerepareerd": ("gemaakt", "hersteld"),
    "aardedonker": ("pikdonker", "stikdonker"),
    "gestruikeld": ("gevallen", "uitgegleden"),
    "rommel": ("troep", "afval"),
    "verstopt": ("dicht", "verstopt geraakt"),
    "aanvraag": ("aanvraag", "verzoek"),
    "medewerker": ("medewerkster", "collega", "meneer"),
    "onvriendelijk": ("kortaf", "bot"),
    "gebeld": ("contact opgenomen", "teruggebeld"),
    "geparkeerd": ("gestald", "neergezet"),
    "gemaaid": ("gemaaid", "bijgehouden"),
    "dagen": ("dagen", "dagen al"),
    "weken": ("weken", "weken al"),
}
"""Words of topic sentences replaced now and then, so reports of one thing differ."""
STAFF = ("Fatima", "Sander", "Ingrid", "Mohammed", "Joke", "Daan", "Priya", "Kees")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
YEAR = date(2026, 1, 1)


class _Writer:
    """Writes the texts of one corpus from one seeded random generator."""

    def __init__(self, seed: int, size: int) -> None:
        self.rng = random.Random(seed)
        self.count = 0
        names = [name + suffix for name in STREET_NAMES for suffix in SUFFIXES]
        chosen = self.rng.sample(names, min(len(names), max(40, size // 200)))
        self.streets = tuple((street, WIJKEN[i % len(WIJKEN)]) for i, street in enumerate(chosen))

    def slots(self, street: str, wijk: str) -> dict[str, object]:
        r = self.rng
        return {
            "straat": street,
            "wijk": wijk,
            "nr": r.randint(1, 180),
            "dag": r.choice(WEEKDAYS),
            "n": r.randint(2, 6),
            "weken": r.randint(2, 12),
            "minuten": r.randint(15, 55),
            "medewerker": r.choice(STAFF),
            "jaren": r.randint(2, 40),
            "leeftijd": r.randint(67, 91),
        }

    def text(
        self, topic: Topic, kind: str, channel: str, street: str, wijk: str, detail: str | None
    ) -> tuple[str, str | None]:
        r = self.rng
        slots = self.slots(street, wijk)
        body = [
            self.reword(sentence)
            for sentence in r.sample(topic.sentences, 2 if r.random() < 0.4 else 1)
        ]
        if detail is not None and r.random() < 0.7:
            body.insert(r.randint(1, len(body)), detail)
        extra = []
        if r.random() < 0.35:
            extra.append(r.choice(CONTEXT))
        if kind in ("complaint", "dissatisfaction") and r.random() < 0.5:
            extra.append(r.choice(ESCALATION))
        emotion = None
        if r.random() < EMOTION_CHANCE.get(kind, 0.15):
            pool = POSITIVE if kind == "compliment" else EMOTIONS
            emotion = r.choice(sorted(pool))
            extra.insert(r.randint(0, len(extra)), r.choice(pool[emotion]))
        parts = [r.choice(OPENINGS[channel]), *body, *extra, r.choice(CLOSINGS[channel])]
        text = " ".join(p.format(**slots) for p in parts if p)
        return self.noise(text), emotion

    def reword(self, sentence: str) -> str:
        """``sentence`` with about half of its known words replaced by a synonym."""
        words = sentence.split(" ")
        for i, word in enumerate(words):
            options = SYNONYMS.get(word.rstrip(",.?"))
            if options and self.rng.random() < 0.5:
                words[i] = word.replace(word.rstrip(",.?"), self.rng.choice(options))
        return " ".join(words)

    def noise(self, text: str) -> str:
        """A typo now and then; sometimes all lowercase."""
        r = self.rng
        words = text.split(" ")
        for i, word in enumerate(words):
            if len(word) >= 6 and r.random() < 0.03:
                cut = r.randint(1, len(word) - 2)
                words[i] = word[:cut] + word[cut + 1 :]
        text = " ".join(words)
        return text.lower() if r.random() < 0.05 else text

    def item(
        self,
        topic: Topic,
        day: date,
        street: str,
        wijk: str,
        kind: str,
        problem: str | None = None,
        detail: str | None = None,
    ) -> LabelledText:
        r = self.rng
        channel = r.choice(CHANNELS[kind])
        text, emotion = self.text(topic, kind, channel, street, wijk, detail)
        self.count += 1
        document = Document(
            id=f"doc-{self.count:06d}",
            text=text,
            subject=topic.subject if r.random() < 0.85 else None,
            location=wijk if topic.local and r.random() < 0.85 else None,
            day=day,
        )
        return LabelledText(document, kind, channel, topic.code, topic.theme, problem, emotion)


def labelled_corpus(
    size: int, seed: int = 0, problem_share: float = 0.15
) -> tuple[LabelledText, ...]:
    """``size`` labelled texts received in 2026, about ``problem_share`` of them reports
    of shared problems (groups of 3 to 8 in one street within 10 days), in random order.

    The municipality has one street per 200 texts (at least 40, at most 480), so a
    street sees about as much feedback at every size.
    """
    writer = _Writer(seed, size)
    r = writer.rng
    weights = [t.weight for t in TOPICS]
    local = [t for t in TOPICS if t.local and "melding" in t.kinds]
    items: list[LabelledText] = []
    target = round(size * problem_share)
    number = 0
    while len(items) < target:
        number += 1
        topic = r.choice(local)
        street, wijk = r.choice(writer.streets)
        start = YEAR + timedelta(days=r.randint(0, 350))
        detail = r.choice(DETAILS).replace("{dag}", r.choice(WEEKDAYS))
        for _ in range(r.randint(3, 8)):
            day = start + timedelta(days=r.randint(0, 10))
            kind = r.choices(("melding", "complaint", "question"), (5, 3, 2))[0]
            items.append(writer.item(topic, day, street, wijk, kind, f"problem-{number}", detail))
    while len(items) < size:
        topic = r.choices(TOPICS, weights)[0]
        street, wijk = r.choice(writer.streets)
        day = YEAR + timedelta(days=r.randint(0, 364))
        items.append(writer.item(topic, day, street, wijk, r.choice(topic.kinds)))
    del items[size:]
    r.shuffle(items)
    return tuple(items)
