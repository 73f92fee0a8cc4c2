"""What the demo's customers write and say: Dutch text templates per kind of feedback.

Templates are ``str.format`` strings with these slots, filled per item:
``{straat}``, ``{nr}``, ``{wijk}`` (the item's location), ``{dag}`` (a weekday),
``{n}`` (2-6), ``{weken}`` (2-9), ``{minuten}`` (15-55), ``{emotie}`` (an
emotional sentence, sometimes empty), ``{dienst}`` (a municipal service),
``{medewerker}`` (a staff member's first name), ``{besluitdatum}`` (objections:
the contested decision's date), and for repeats ``{datum}`` and ``{onderwerp}``
(the first report's date and subject).
"""

from __future__ import annotations

import attrs

from feedbackkit.vocabulary import Kind

__all__ = [
    "EMOTIONS",
    "ESCALATION_TEXTS",
    "INTERNAL_TOPICS",
    "ORAL_OPENINGS",
    "PROBLEMS",
    "RECURRENCE_TEXTS",
    "SERVICES",
    "TOPICS",
    "WRITTEN_CLOSINGS",
    "WRITTEN_OPENINGS",
    "Problem",
    "Topic",
]


@attrs.frozen
class Topic:
    """One thing customers bring up, with the department it concerns."""

    subject: str
    org_unit: str
    texts: tuple[str, ...]
    weight: float = 1.0
    months: tuple[int, ...] = ()
    """Months (1-12) in which it comes up; empty: all year."""
    staff: bool = False
    """About an employee's conduct: the complaint may name a beklaagde."""
    vulnerable: float = 0.03
    """Share of customers on this topic who need special care."""
    remedies: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ("Afgehandeld",)
    """What the department writes when a melding is carried out."""


@attrs.frozen
class Problem:
    """An underlying problem several customers report in the same area and period."""

    subject: str
    org_unit: str
    texts: dict[Kind, tuple[str, ...]] = attrs.field(hash=False)
    """Per kind of feedback the problem shows up as, what customers say."""
    local: bool = True
    """True: in one neighbourhood; False: across the municipality."""
    resolutions: tuple[str, ...] = ("Storing verholpen",)


SERVICES = (
    "mijn paspoort",
    "mijn rijbewijs",
    "mijn verhuizing",
    "een uittreksel BRP",
    "mijn parkeervergunning",
    "mijn bijstandsuitkering",
    "kwijtschelding",
    "de WOZ-waarde",
    "de afvalstoffenheffing",
    "mijn omgevingsvergunning",
    "het grofvuil",
    "mijn Wmo-aanvraag",
    "de hondenbelasting",
    "een evenementenvergunning",
)

EMOTIONS = (
    "Ik voel me totaal niet serieus genomen.",
    "Ik ben hier echt boos over.",
    "Ik ben diep teleurgesteld in de gemeente.",
    "Dit is niet de eerste keer.",
    "Ik heb er de hele avond van wakker gelegen.",
    "Zo ga je toch niet met mensen om?",
    "Ik verwacht excuses.",
    "Ik ben het echt zat.",
    "Ik voel me van het kastje naar de muur gestuurd.",
    "Ik schaam me bijna om het te moeten opschrijven.",
    "Het maakt me verdrietig.",
    "",
    "",
)

WRITTEN_OPENINGS = (
    "",
    "",
    "Geachte heer/mevrouw,\n\n",
    "Beste gemeente,\n\n",
    "Goedendag,\n\n",
    "Hallo,\n\n",
)
WRITTEN_CLOSINGS = (
    "",
    "",
    "\n\nMet vriendelijke groet.",
    " Graag een reactie.",
    " Bij voorbaat dank.",
    "\n\nGroet.",
)
ORAL_OPENINGS = (
    "Klant geeft aan: ",
    "Mevrouw vertelt: ",
    "Meneer zegt: ",
    "Klant meldt: ",
    "Bewoner vertelt: ",
    "",
)
"""How the employee who hears oral feedback starts the registration."""

_GROUND = "Openbare ruimte"
_WASTE = "Afval en reiniging"
_INCOME = "Werk en inkomen"
_TAX = "Belastingen"
_PERMITS = "Vergunningen"
_ENFORCE = "Handhaving"
_PARKING = "Parkeren"
_TEAM = "Wijkteam"
_KCC = "Klantcontactcentrum"
_CIVIL = "Burgerzaken"
_SERVICE = "Dienstverlening"

_MELDINGEN = (
    Topic(
        "Losse stoeptegel",
        _GROUND,
        (
            "Voor {straat} {nr} ligt een stoeptegel los. Ik ben er vanochtend bijna over "
            "gestruikeld, straks breekt iemand zijn heup.",
            "Losse en scheve tegels op de stoep bij {straat} {nr}. Met de rollator kom ik er "
            "niet meer langs.",
            "Er steekt een tegel een paar centimeter omhoog op het fietspad langs de {straat}. "
            "Gevaarlijk in het donker!",
        ),
        weight=3,
        resolutions=("Tegels opnieuw gelegd", "Stoep hersteld"),
    ),
    Topic(
        "Straatverlichting",
        _GROUND,
        (
            "De lantaarnpaal bij {straat} {nr} doet het al {n} avonden niet. Het is daar "
            "'s avonds aardedonker.",
            "Straatlantaarn in de {straat} knippert de hele nacht aan en uit.",
            "Op het stuk tussen de {straat} en het park brandt geen enkele lamp meer. Mijn "
            "dochter durft daar niet meer langs te fietsen.",
        ),
        weight=3,
        months=(1, 2, 3, 9, 10, 11, 12),
        resolutions=("Lamp vervangen", "Storing in de kabel verholpen"),
    ),
    Topic(
        "Afval naast container",
        _WASTE,
        (
            "Bij de ondergrondse container aan de {straat} staan al dagen vuilniszakken "
            "ernaast. Het stinkt en de meeuwen trekken alles open.",
            "De container voor restafval bij {straat} {nr} zit propvol, ik krijg mijn zak er "
            "niet meer in.",
            "Weer afval gedumpt naast de containers in de {straat}: een matras en een kapotte "
            "stoel.",
        ),
        weight=3,
        resolutions=("Bijgeplaatst afval opgehaald", "Container geleegd"),
    ),
    Topic(
        "Grofvuil niet opgehaald",
        _WASTE,
        (
            "Ik had een afspraak voor het ophalen van grofvuil op {dag}, maar er is niemand "
            "geweest. Nu staat mijn bank nog steeds buiten.",
            "Het grofvuil in de {straat} is vergeten, het staat er sinds {dag}.",
        ),
        resolutions=("Grofvuil alsnog opgehaald",),
    ),
    Topic(
        "Container kapot",
        _WASTE,
        (
            "De klep van de gft-container bij de {straat} is kapot en gaat niet meer dicht.",
            "Mijn kliko is bij het legen in de vuilniswagen gevallen. Graag een nieuwe.",
        ),
        resolutions=("Container vervangen", "Klep gerepareerd"),
    ),
    Topic(
        "Graffiti",
        _GROUND,
        (
            "Op de muur van het viaduct bij de {straat} is opnieuw graffiti gespoten, ook met "
            "scheldwoorden.",
            "Het bushokje aan de {straat} is helemaal beklad.",
        ),
        resolutions=("Graffiti verwijderd",),
    ),
    Topic(
        "Zwerfvuil",
        _WASTE,
        (
            "Langs de {straat} ligt heel veel zwerfvuil, vooral blikjes en plastic. Wordt hier "
            "nog wel geveegd?",
            "Het speelveldje in {wijk} ligt vol glas en rommel na het weekend.",
        ),
        weight=2,
        resolutions=("Extra veegronde uitgevoerd", "Zwerfvuil opgeruimd"),
    ),
    Topic(
        "Hondenpoep",
        _GROUND,
        ("Het grasveld bij de speeltuin in {wijk} ligt vol hondenpoep. Kinderen spelen daar!",),
        resolutions=("Grasveld schoongemaakt, bord geplaatst",),
    ),
    Topic(
        "Boom en groen",
        _GROUND,
        (
            "De takken van de boom voor {straat} {nr} hangen zo laag dat ik er met mijn "
            "bestelbus tegenaan rij.",
            "Na de storm ligt er een grote tak op het fietspad bij de {straat}.",
            "Het onkruid op de stoep in de {straat} staat kniehoog.",
        ),
        weight=2,
        resolutions=("Boom gesnoeid", "Tak verwijderd", "Onkruid verwijderd"),
    ),
    Topic(
        "Speeltoestel kapot",
        _GROUND,
        ("De schommel in de speeltuin aan de {straat} is kapot, er steekt een scherpe bout uit.",),
        resolutions=("Speeltoestel gerepareerd",),
    ),
    Topic(
        "Put verstopt",
        _GROUND,
        ("Bij elke regenbui staat de {straat} blank, de put voor nummer {nr} is verstopt.",),
        resolutions=("Put gereinigd",),
    ),
    Topic(
        "Gladheid",
        _GROUND,
        (
            "Het fietspad langs de {straat} is spiegelglad en er is niet gestrooid. Ik zag al "
            "twee mensen vallen.",
        ),
        months=(1, 2, 12),
        weight=2,
        resolutions=("Gestrooid",),
    ),
    Topic(
        "Fietswrak",
        _ENFORCE,
        ("Er staat al maanden een fietswrak tegen het hek bij {straat} {nr}.",),
        resolutions=("Fietswrak gelabeld en verwijderd",),
    ),
    Topic(
        "Ratten",
        _GROUND,
        ("We zien steeds vaker ratten bij de containers in de {straat}. Wat gaat u doen?",),
        resolutions=("Ongediertebestrijding ingeschakeld",),
    ),
    Topic(
        "Verkeersbord",
        _GROUND,
        ("Het verkeersbord op de hoek van de {straat} is omgereden en ligt op de stoep.",),
        resolutions=("Verkeersbord teruggeplaatst",),
    ),
    Topic(
        "Wespennest",
        _GROUND,
        ("Er zit een wespennest in de boom bij het schoolplein aan de {straat}.",),
        months=(6, 7, 8, 9),
        resolutions=("Wespennest verwijderd",),
    ),
    Topic(
        "Geluidsoverlast",
        _ENFORCE,
        (
            "Elke nacht harde muziek uit de loods aan de {straat}. We kunnen niet slapen.",
            "Al {n} weekenden feest tot vier uur 's nachts op {straat} {nr}.",
        ),
        resolutions=("Handhaving ter plaatse geweest, eigenaar gewaarschuwd",),
    ),
    Topic(
        "Parkeeroverlast",
        _ENFORCE,
        (
            "Er wordt structureel op de stoep geparkeerd in de {straat}. Met de kinderwagen "
            "moet ik de weg op.",
        ),
        resolutions=("Extra controle uitgevoerd",),
    ),
    Topic(
        "Bladeren",
        _GROUND,
        ("De goot in de {straat} ligt vol bladeren en de putten lopen over.",),
        months=(10, 11, 12),
        resolutions=("Bladeren geveegd",),
    ),
)

_SIGNALS = (
    Topic(
        "Zorg om bewoner",
        _TEAM,
        (
            "Buren maken zich zorgen om een oudere meneer in de {straat}. Hij komt al weken de "
            "deur niet uit en de brievenbus puilt uit.",
            "Een mevrouw in {wijk} belde verward en zei dat ze al dagen niet gegeten heeft.",
        ),
        weight=2,
        vulnerable=0.4,
        resolutions=("Huisbezoek afgelegd, hulp ingezet", "Doorverwezen naar de huisarts"),
    ),
    Topic(
        "Vervuilde woning",
        _TEAM,
        ("De woningcorporatie meldt een sterk vervuilde woning in {wijk}.",),
        vulnerable=0.3,
        resolutions=("Gesprek gevoerd, schoonmaak geregeld",),
    ),
    Topic(
        "Jongerenoverlast",
        _ENFORCE,
        (
            "Groep jongeren hangt 's avonds bij het winkelcentrum in {wijk}; bewoners voelen "
            "zich onveilig.",
        ),
        resolutions=("Jongerenwerk en wijkagent ingezet",),
    ),
    Topic(
        "Schimmel in huurwoningen",
        _PERMITS,
        (
            "Meerdere huurders in {wijk} vertellen dat ze last hebben van schimmel en dat de "
            "verhuurder niets doet.",
        ),
        resolutions=("Bouw- en woningtoezicht heeft de verhuurder aangeschreven",),
    ),
    Topic(
        "Schulden",
        _INCOME,
        (
            "Tijdens het huisbezoek in {wijk} bleek dat een gezin al maanden de huur niet kan "
            "betalen en niet weet waar het hulp kan krijgen.",
        ),
        vulnerable=0.5,
        resolutions=("Aangemeld bij schuldhulpverlening",),
    ),
)

_COMPLAINTS = (
    Topic(
        "Bejegening aan de balie",
        _CIVIL,
        (
            "Ik kwam op {dag} aan de balie voor {dienst}. De medewerker was ontzettend kortaf "
            "en zei dat ik 'maar beter had moeten lezen'. {emotie}",
            "Aan de balie werd ik uitgelachen omdat ik mijn formulier niet goed had ingevuld. "
            "{emotie}",
        ),
        weight=2,
        staff=True,
        remedies=("Excuses van de medewerker", "Een gesprek met de leidinggevende"),
    ),
    Topic(
        "Niet teruggebeld",
        _KCC,
        (
            "Ik heb {n} keer gebeld over {dienst} en elke keer werd beloofd dat ik teruggebeld "
            "zou worden. Er heeft nooit iemand gebeld. {emotie}",
            "Vorige week {dag} beloofde uw medewerker mij dezelfde dag terug te bellen. Ik wacht "
            "nog steeds. {emotie}",
        ),
        weight=3,
        remedies=("Dat ik eindelijk word teruggebeld",),
    ),
    Topic(
        "Wachttijd telefoon",
        _KCC,
        (
            "Ik heb vanochtend {minuten} minuten in de wacht gestaan en toen werd de verbinding "
            "verbroken. {emotie}",
        ),
        weight=2,
    ),
    Topic(
        "Geen reactie op e-mail",
        _SERVICE,
        (
            "Al {weken} weken geen antwoord op mijn e-mail over {dienst}. {emotie}",
            "Ik heb drie keer gemaild en krijg alleen automatische antwoorden. {emotie}",
        ),
        weight=2,
        remedies=("Een inhoudelijk antwoord",),
    ),
    Topic(
        "Onjuiste informatie",
        _CIVIL,
        (
            "Aan de telefoon kreeg ik te horen dat ik geen afspraak nodig had voor {dienst}. "
            "Toen ik kwam werd ik weggestuurd. Een vrije dag voor niets opgenomen. {emotie}",
        ),
        staff=True,
        remedies=("Vergoeding van mijn verlofdag", "Excuses"),
    ),
    Topic(
        "Optreden handhaver",
        _ENFORCE,
        (
            "De handhaver die mij op {dag} een boete gaf in de {straat}, schreeuwde tegen mij "
            "waar mijn kinderen bij stonden. {emotie}",
        ),
        staff=True,
        remedies=("Excuses", "Intrekking van de boete"),
    ),
    Topic(
        "Behandeling door consulent",
        _INCOME,
        (
            "Mijn consulent behandelt mij alsof ik fraudeer. Ik moet steeds opnieuw dezelfde "
            "papieren inleveren. {emotie}",
            "Mijn uitkering is stopgezet zonder dat iemand mij heeft gebeld. Ik heb nu geen geld "
            "voor boodschappen. {emotie}",
        ),
        weight=2,
        staff=True,
        vulnerable=0.3,
        remedies=("Een andere consulent", "Dat mijn uitkering wordt betaald"),
    ),
    Topic(
        "Brief naar verkeerd adres",
        _TAX,
        (
            "Mijn aanslag is naar mijn oude adres gestuurd, terwijl ik mijn verhuizing op tijd "
            "heb doorgegeven. Mijn ex heeft nu al mijn gegevens. {emotie}",
        ),
    ),
    Topic(
        "Afspraak niet nagekomen",
        _TEAM,
        (
            "De wijkcoach zou op {dag} langskomen voor mijn Wmo-aanvraag maar is niet gekomen en "
            "heeft niets laten weten. {emotie}",
        ),
        staff=True,
        vulnerable=0.35,
        remedies=("Een nieuwe afspraak op korte termijn",),
    ),
    Topic(
        "Trage vergunningprocedure",
        _PERMITS,
        (
            "Mijn aanvraag voor een omgevingsvergunning ligt al {weken} weken stil en ik hoor "
            "niets. De aannemer kan niet beginnen. {emotie}",
        ),
        remedies=("Een besluit op korte termijn",),
    ),
    Topic(
        "Reactie op sociale media",
        _SERVICE,
        (
            "Op mijn bericht op Facebook kreeg ik een sarcastisch antwoord van de gemeente. Dat "
            "kan toch niet? {emotie}",
        ),
        staff=True,
    ),
    Topic(
        "Onbegrijpelijke brief",
        _TAX,
        (
            "Ik begrijp helemaal niets van de brief die ik kreeg over de afvalstoffenheffing. "
            "Er staat alleen dat ik moet betalen. {emotie}",
        ),
        vulnerable=0.15,
    ),
    Topic(
        "Schade door vuilniswagen",
        _WASTE,
        (
            "De vuilniswagen reed op {dag} tegen mijn schutting aan de {straat} en de chauffeur "
            "reed gewoon door. {emotie}",
        ),
        staff=True,
        remedies=("Vergoeding van de schade",),
    ),
)

_DISSATISFACTION = (
    Topic(
        "Wachttijd balie",
        _CIVIL,
        ("Ik stond {minuten} minuten in de rij bij de balie terwijl er maar één loket open was.",),
        weight=2,
    ),
    Topic(
        "Bereikbaarheid",
        _KCC,
        (
            "Alweer een keuzemenu en een automatisch antwoord, ik wil gewoon een mens spreken.",
            "Jammer dat jullie na vier uur 's middags telefonisch niet meer bereikbaar zijn.",
        ),
        weight=2,
    ),
    Topic(
        "Grofvuil",
        _WASTE,
        ("Belachelijk dat het grofvuil pas over {weken} weken kan worden opgehaald.",),
    ),
    Topic(
        "Onduidelijk antwoord",
        _SERVICE,
        ("Het antwoord op mijn vraag over {dienst} was niet duidelijk.",),
    ),
    Topic(
        "Wijkteam",
        _TEAM,
        ("Bij het wijkteam word ik steeds naar iemand anders doorgestuurd.",),
        vulnerable=0.2,
    ),
    Topic(
        "Parkeerregels",
        _PARKING,
        ("De nieuwe parkeerregels in {wijk} zijn slecht uitgelegd, niemand snapt de borden.",),
    ),
)

_OBJECTIONS = (
    Topic(
        "Parkeervergunning",
        _PARKING,
        (
            "Ik maak bezwaar tegen het besluit van {besluitdatum} waarin mijn aanvraag voor een "
            "parkeervergunning in {wijk} is afgewezen. Ik ben mantelzorger en heb de auto echt "
            "nodig.",
            "Bezwaar tegen de weigering van een tweede parkeervergunning voor {straat} {nr} "
            "(besluit van {besluitdatum}).",
        ),
        weight=2,
    ),
    Topic(
        "WOZ-beschikking",
        _TAX,
        (
            "Bezwaar tegen de WOZ-beschikking van {besluitdatum} voor {straat} {nr}. De waarde "
            "is veel te hoog vastgesteld; vergelijkbare woningen in de straat zijn lager "
            "getaxeerd.",
            "De WOZ-waarde van mijn woning is in de beschikking van {besluitdatum} met twintig "
            "procent gestegen, terwijl het dak lekt en de keuken uit 1985 is.",
        ),
        weight=3,
    ),
    Topic(
        "Bijstand",
        _INCOME,
        (
            "Ik ben het niet eens met het besluit van {besluitdatum} om mijn bijstandsuitkering "
            "terug te vorderen. Ik heb alles steeds op tijd doorgegeven.",
            "Bezwaar tegen de afwijzing van mijn aanvraag voor bijzondere bijstand van "
            "{besluitdatum}. De wasmachine was echt kapot.",
        ),
        weight=2,
        vulnerable=0.25,
    ),
    Topic(
        "Omgevingsvergunning",
        _PERMITS,
        (
            "Namens de bewoners van de {straat} maken wij bezwaar tegen de omgevingsvergunning "
            "van {besluitdatum} voor een dakopbouw op nummer {nr}. Ons zonlicht verdwijnt.",
            "Bezwaar tegen de weigering van mijn vergunning voor een uitbouw (besluit van "
            "{besluitdatum}). Bij de buren is precies hetzelfde wel toegestaan.",
        ),
        weight=2,
    ),
    Topic(
        "Kwijtschelding",
        _TAX,
        (
            "Mijn verzoek om kwijtschelding van de afvalstoffenheffing is op {besluitdatum} "
            "afgewezen, maar ik leef van een minimuminkomen.",
        ),
        vulnerable=0.2,
    ),
    Topic(
        "Wmo-voorziening",
        _TEAM,
        (
            "Ik maak bezwaar tegen het besluit van {besluitdatum} om mijn huishoudelijke hulp "
            "van vier naar twee uur per week te verminderen.",
        ),
        vulnerable=0.5,
    ),
    Topic(
        "Naheffingsaanslag parkeren",
        _PARKING,
        (
            "Bezwaar tegen de naheffingsaanslag van {besluitdatum}: de parkeerautomaat in de "
            "{straat} was kapot.",
        ),
    ),
    Topic(
        "Last onder dwangsom",
        _ENFORCE,
        (
            "Bezwaar tegen de last onder dwangsom van {besluitdatum} voor de schutting achter "
            "{straat} {nr}. Die staat er al twintig jaar.",
        ),
    ),
)

_REMARKS = (
    Topic(
        "Openingstijden",
        _CIVIL,
        ("Waarom is de balie op woensdagmiddag dicht? Dat is lastig voor werkende mensen.",),
        weight=2,
    ),
    Topic(
        "Website",
        _SERVICE,
        (
            "De website is onoverzichtelijk, ik kon het formulier voor {dienst} niet vinden.",
            "De zoekfunctie op de website geeft alleen nieuwsberichten van jaren geleden.",
        ),
        weight=2,
    ),
    Topic(
        "Inrichting openbare ruimte",
        _GROUND,
        (
            "De nieuwe bankjes op het plein in {wijk} zijn mooi, maar er staat geen prullenbak "
            "bij.",
            "Het nieuwe fietspad langs de {straat} is prima, alleen de bocht is erg krap.",
        ),
    ),
    Topic(
        "Wachtruimte",
        _CIVIL,
        ("In de wachtruimte van het gemeentehuis is het veel te warm.",),
    ),
    Topic(
        "Communicatie",
        _SERVICE,
        ("Ik las pas in de krant over de werkzaamheden in {wijk}. Waarom geen brief?",),
    ),
)

_COMPLIMENTS = (
    Topic(
        "Vriendelijke medewerker",
        _CIVIL,
        (
            "Ik wil {medewerker} van de balie bedanken voor de geduldige hulp met {dienst}.",
            "Complimenten voor {medewerker}, die nam echt de tijd voor mijn vragen.",
        ),
        weight=3,
    ),
    Topic(
        "Snel opgelost",
        _GROUND,
        (
            "Binnen een dag was de lantaarnpaal in de {straat} gerepareerd. Top!",
            "Wat snel dat de losse tegels voor mijn deur zijn rechtgelegd, dank jullie wel.",
        ),
        weight=2,
    ),
    Topic(
        "Wijkteam",
        _TEAM,
        ("Wat fijn dat de wijkcoach de tijd nam om echt naar mijn verhaal te luisteren.",),
    ),
    Topic(
        "Reiniging",
        _WASTE,
        ("Complimenten voor de mannen van de reiniging, de {straat} ziet er weer netjes uit.",),
    ),
    Topic(
        "Klachtbehandeling",
        _SERVICE,
        (
            "Dank voor het persoonlijke telefoontje naar aanleiding van mijn klacht. Dat had ik "
            "niet verwacht.",
        ),
    ),
)

_TIPS = (
    Topic(
        "Prullenbakken",
        _GROUND,
        ("Zet een prullenbak bij het speeltuintje aan de {straat}.",),
    ),
    Topic(
        "Online regelen",
        _SERVICE,
        (
            "Maak het mogelijk om {dienst} helemaal online te regelen.",
            "Zet op de website ook de actuele wachttijd van de telefoon.",
        ),
        weight=2,
    ),
    Topic(
        "Herinnering grofvuil",
        _WASTE,
        ("Stuur een sms als het grofvuil de volgende dag wordt opgehaald.",),
    ),
    Topic(
        "Begrijpelijke brieven",
        _SERVICE,
        (
            "Kunnen jullie brieven in eenvoudiger Nederlands schrijven? Mijn buurvrouw begrijpt "
            "ze niet.",
        ),
        weight=2,
    ),
    Topic(
        "Bankje",
        _GROUND,
        ("Een bankje bij de bushalte aan de {straat} zou fijn zijn voor ouderen.",),
    ),
)

_QUESTIONS = (
    Topic("Paspoort", _CIVIL, ("Hoe lang duurt het voordat mijn nieuwe paspoort klaar is?",)),
    Topic("Grofvuil", _WASTE, ("Wanneer wordt het grofvuil in {wijk} opgehaald?",), weight=2),
    Topic(
        "Kwijtschelding",
        _TAX,
        ("Kan ik kwijtschelding aanvragen voor de afvalstoffenheffing?",),
    ),
    Topic(
        "Vergunning",
        _PERMITS,
        (
            "Heb ik een vergunning nodig voor een schutting van twee meter?",
            "Mag ik een container voor de deur zetten tijdens de verbouwing?",
        ),
        weight=2,
    ),
    Topic(
        "Uitkering",
        _INCOME,
        ("Waar kan ik terecht met vragen over {dienst}?",),
        vulnerable=0.15,
    ),
    Topic("Verhuizing", _CIVIL, ("Hoe geef ik mijn verhuizing door?",)),
    Topic(
        "Status melding",
        _GROUND,
        ("Wat is de status van mijn melding over de {straat}?",),
        weight=2,
    ),
)

_SATISFACTION = (
    Topic(
        "Balie",
        _CIVIL,
        ("Snel en vriendelijk geholpen.", "Prettig dat ik meteen een afspraak kon maken."),
    ),
    Topic(
        "Telefoon",
        _KCC,
        ("De medewerker nam echt de tijd voor me.", "Duidelijk antwoord, dank u."),
    ),
    Topic("Terugbellen", _SERVICE, ("Goed dat jullie even terugbelden.",)),
)

TOPICS: dict[Kind, tuple[Topic, ...]] = {
    Kind.MELDING: _MELDINGEN,
    Kind.SIGNAL: _SIGNALS,
    Kind.COMPLAINT: _COMPLAINTS,
    Kind.DISSATISFACTION: _DISSATISFACTION,
    Kind.OBJECTION: _OBJECTIONS,
    Kind.REMARK: _REMARKS,
    Kind.COMPLIMENT: _COMPLIMENTS,
    Kind.TIP: _TIPS,
    Kind.QUESTION: _QUESTIONS,
    Kind.SATISFACTION: _SATISFACTION,
}
"""What external customers bring up, per kind."""

INTERNAL_TOPICS: dict[Kind, tuple[Topic, ...]] = {
    Kind.COMPLAINT: (
        Topic(
            "Zaaksysteem",
            _SERVICE,
            (
                "Als medewerker krijg ik al {weken} weken geen toegang tot het zaaksysteem. Ik "
                "kan mijn werk niet doen en klanten wachten. {emotie}",
            ),
        ),
    ),
    Kind.DISSATISFACTION: (
        Topic(
            "Doorverbinden",
            _KCC,
            ("De nieuwe telefooncentrale verbindt burgers vaak door naar de verkeerde afdeling.",),
        ),
    ),
    Kind.SIGNAL: (
        Topic(
            "Onbegrijpelijke brief",
            _TAX,
            (
                "Collega's aan de balie merken dat veel mensen de nieuwe brief over de "
                "afvalstoffenheffing niet begrijpen.",
            ),
            resolutions=("Brief herschreven met het taalpanel",),
        ),
    ),
    Kind.TIP: (
        Topic(
            "Status meldingen",
            _KCC,
            (
                "Tip van een collega: geef de balie inzage in de status van meldingen, dan "
                "hoeven we niet steeds door te verbinden.",
            ),
        ),
    ),
    Kind.REMARK: (
        Topic(
            "Werkoverleg",
            _SERVICE,
            ("Feedback van klanten komt nooit terug in ons werkoverleg, jammer.",),
        ),
    ),
    Kind.COMPLIMENT: (
        Topic(
            "Collega's",
            _CIVIL,
            ("Compliment aan team Burgerzaken voor de extra openstelling rond de verkiezingen.",),
        ),
    ),
}
"""What employees bring up about their own organisation (internal feedback)."""

ESCALATION_TEXTS = (
    "Op {datum} heb ik een melding gedaan: {onderwerp} bij {straat} {nr}. Er is nog steeds "
    "niets mee gedaan. Moet er eerst een ongeluk gebeuren? {emotie}",
    "Dit is de tweede keer dat ik contact opneem over {onderwerp} in de {straat}. Ik hoor niets "
    "en er gebeurt niets. {emotie}",
    "Al op {datum} gemeld en nog steeds niet opgelost ({onderwerp}, {straat}). Ik wil nu een "
    "klacht indienen. {emotie}",
)
"""A repeat report about an unresolved melding: a complaint about the service."""

RECURRENCE_TEXTS = (
    "Het probleem is terug: {onderwerp} bij {straat} {nr}. Ik had dit op {datum} al gemeld en "
    "toen was het opgelost.",
    "Opnieuw {onderwerp} in de {straat}, net als toen ik het op {datum} meldde.",
)
"""A new report about a problem that was fixed before and came back."""

PROBLEMS = (
    Problem(
        "Straatverlichting uitgevallen",
        _GROUND,
        {
            Kind.MELDING: (
                "Sinds {dag} is de straatverlichting in de hele {straat} uit.",
                "In {wijk} is het 's avonds pikdonker, alle lantaarnpalen zijn uit.",
                "Geen straatlicht meer rond {straat} {nr}, ook niet bij de school.",
            ),
            Kind.COMPLAINT: (
                "Al {n} dagen geen straatverlichting in {wijk} en niemand laat iets weten. Ik "
                "durf 's avonds niet meer over straat. {emotie}",
            ),
            Kind.QUESTION: ("Weet de gemeente dat de lampen in {wijk} niet branden?",),
        },
        resolutions=("Kabelstoring in de wijk verholpen",),
    ),
    Problem(
        "Gft-container niet geleegd",
        _WASTE,
        {
            Kind.MELDING: (
                "De groene container is in de {straat} deze week niet geleegd.",
                "Onze gft-bak aan {straat} {nr} is overgeslagen, de rest van de straat ook.",
            ),
            Kind.COMPLAINT: (
                "Voor de tweede keer is onze gft-bak in {wijk} overgeslagen. Het stinkt enorm. "
                "{emotie}",
            ),
            Kind.DISSATISFACTION: ("Weer niet geleegd in {wijk}, wat is er aan de hand?",),
        },
        resolutions=("Route alsnog gereden",),
    ),
    Problem(
        "Fout in WOZ-beschikkingen",
        _TAX,
        {
            Kind.OBJECTION: (
                "De WOZ-waarde van mijn woning aan de {straat} is in de beschikking van "
                "{besluitdatum} bijna verdubbeld. Dat kan niet kloppen.",
                "Bezwaar tegen de beschikking van {besluitdatum}: de oppervlakte van mijn woning "
                "staat er twee keer zo groot in.",
            ),
            Kind.QUESTION: ("Klopt het dat de WOZ-waarde dit jaar zo veel hoger is?",),
            Kind.COMPLAINT: (
                "Ik belde over mijn veel te hoge WOZ-waarde en hoorde dat 'meer mensen' bellen. "
                "Waarom krijgen we dan geen bericht? {emotie}",
            ),
        },
        local=False,
        resolutions=("Beschikkingen ambtshalve herzien",),
    ),
    Problem(
        "Storing online aanvragen",
        _SERVICE,
        {
            Kind.DISSATISFACTION: (
                "Ik probeer al twee dagen een uittreksel aan te vragen maar de site geeft steeds "
                "een foutmelding.",
            ),
            Kind.QUESTION: ("Is er een storing bij het inloggen met DigiD op jullie website?",),
            Kind.COMPLAINT: (
                "Door de storing op uw website heb ik mijn aanvraag voor {dienst} niet op tijd "
                "kunnen doen. {emotie}",
            ),
        },
        local=False,
    ),
    Problem(
        "Wateroverlast",
        _GROUND,
        {
            Kind.MELDING: (
                "Na de regenbui van gisteren staat het water in onze kelder aan de {straat}.",
                "De putten in {wijk} kunnen het water niet aan, de straat staat blank.",
            ),
            Kind.COMPLAINT: (
                "Dit is de derde keer dit jaar dat onze straat in {wijk} onder water staat. "
                "{emotie}",
            ),
        },
        resolutions=("Riolering doorgespoten, gemaal gerepareerd",),
    ),
    Problem(
        "Uitbetaling bijstand te laat",
        _INCOME,
        {
            Kind.COMPLAINT: (
                "Mijn uitkering is deze maand niet op tijd gestort. Ik kan mijn huur niet "
                "betalen. {emotie}",
            ),
            Kind.QUESTION: ("Wanneer wordt de bijstand van deze maand uitbetaald?",),
            Kind.DISSATISFACTION: ("Alweer geen geld op de rekening en niemand neemt op.",),
        },
        local=False,
        resolutions=("Betaalbestand alsnog verwerkt",),
    ),
    Problem(
        "Ratten bij containers",
        _GROUND,
        {
            Kind.MELDING: (
                "Ratten bij de ondergrondse containers in de {straat}.",
                "In {wijk} lopen overdag ratten rond bij het speelveld.",
            ),
            Kind.COMPLAINT: ("Al weken ratten in {wijk} en er gebeurt niets. {emotie}",),
        },
        resolutions=("Bestrijding uitgevoerd, containers gereinigd",),
    ),
    Problem(
        "Parkeervergunning niet verlengd",
        _PARKING,
        {
            Kind.COMPLAINT: (
                "Ik kreeg een boete terwijl ik mijn parkeervergunning op tijd had verlengd. "
                "{emotie}",
            ),
            Kind.OBJECTION: (
                "Bezwaar tegen de naheffingsaanslag van {besluitdatum}: mijn vergunning is door "
                "uw systeem niet verlengd.",
            ),
            Kind.QUESTION: ("Waarom staat mijn parkeervergunning niet meer in het systeem?",),
        },
        local=False,
        resolutions=("Vergunningen hersteld, boetes vernietigd",),
    ),
    Problem(
        "Overlast bouwwerkzaamheden",
        _PERMITS,
        {
            Kind.MELDING: (
                "Al weken om zes uur 's ochtends heiwerk in de {straat}.",
                "Bouwverkeer blokkeert elke ochtend de {straat}.",
            ),
            Kind.COMPLAINT: (
                "Niemand in {wijk} is geïnformeerd over de bouw en de overlast is enorm. {emotie}",
            ),
        },
        resolutions=("Afspraken met de aannemer gemaakt over werktijden",),
    ),
)
"""Underlying problems behind same-problem groups."""
