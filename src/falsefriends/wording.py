"""What a person reads, in English, French and German: the advice, one reason per indicator, the verdict's labels.

The rule packs carry their own reasons in their language (lures.fr.yaml in French...). When a rule of another
language fired (an English rule on "WhatsApp" in a French message), or a detector that writes in English did
(profile rules, the watchlist, the semantic head), the verdict shows the indicator's reason below in the
reader's language instead (`check.for_reader`). The advice is written once in English in `advice.py` and
translated step by step in `advice_translations.py`.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr", "de")
"""The languages of the rule packs, the reasons and the advice."""


def reader_language(requested: str | None, detected: str | None) -> str:
    """The language to answer in: the one asked for, else the message's when it is one of ours, else English."""
    for language in (requested, detected):
        if language in LANGUAGES:
            return language
    return "en"


INDICATOR_REASON: dict[str, dict[str, str]] = {
    "en": {
        "M1": "Offers generously paid work; hostile approaches open with money out of proportion to the task.",
        "M2": "Offers a free trip abroad (a seminar, a meeting, a talk): a classic step of these approaches.",
        "M3": "Asks to continue on another app or a personal address, away from the platform's view.",
        "M4": "Asks for analysis, reports or insights on policy, defence, trade or technology.",
        "M5": "Asks for your CV, your contacts or details of your current work.",
        "M6": "Flatters you (\"exactly the profile\", \"renowned expert\") to lower your guard.",
        "M7": "Pushes exclusivity, urgency or secrecy to hurry you.",
        "M8": "Leaves the client unnamed (\"an important client\", \"a partner institution\").",
        "M9": "The same text reached several unrelated people: a standardised message.",
        "M10": "Asks you to clone, run or install something before any real interview (a code-execution lure).",
        "M11": "A paid \"research\" job for a foreign partner, with a trip abroad paid for.",
        "M12": "An offer with no interview or negotiation, or pay far above the market.",
        "M13": "Asks you to attend interviews in someone else's name or to lend your identity or accounts.",
        "M14": "Insists on their own or unusual software for something simple (to chat or join a call).",
        "M15": "A crypto, Web3 or NFT cover story: weak on its own, telling next to a code lure.",
        "P1": "The role is recruiter, consultant or think-tank manager at an organisation that cannot be verified.",
        "P2": "The employer is generic or non-descript, or on a published list of fronts.",
        "P3": "The photo looks reused or generated.",
        "P4": "A very senior title with a thin history.",
        "P5": "Mentions government contacts or \"important clients\" without naming them.",
        "P6": "The profile text is copied from other suspicious profiles.",
        "P7": "Its connections are concentrated in one sector or employer of interest.",
        "P8": "The company and the cooperation asked for are abnormally vague.",
        "S1": "The message as a whole reads like the known approaches (semantic detector).",
        "W0": "Names a real institution that personas are known to claim (not counted on its own).",
        "W1": "The name and profile match a persona named in public reporting.",
        "W2": "A profile URL, messaging handle or phone number on a published list.",
        "W3": "The photo matches one on a published list.",
        "W4": "An e-mail or web domain on a published list.",
        "C1": "Acts in step with other accounts of a campaign (shared texts, targets or traces).",
        "C2": "Few genuine ties in the network: low trust.",
        "C3": "Belongs to a campaign found across the organisation.",
    },
    "fr": {
        "M1": "Propose un travail très bien payé ; les approches hostiles commencent par une somme sans rapport "
              "avec la tâche.",
        "M2": "Propose un voyage gratuit à l'étranger (séminaire, rencontre, conférence) : une étape classique de "
              "ces approches.",
        "M3": "Demande de poursuivre sur une autre application ou une adresse personnelle, hors de la vue de la "
              "plateforme.",
        "M4": "Demande des analyses, des rapports ou un éclairage sur la politique, la défense, le commerce ou la "
              "technologie.",
        "M5": "Demande votre CV, vos contacts ou le détail de votre travail actuel.",
        "M6": "Vous flatte (« exactement le profil », « expert reconnu ») pour baisser votre garde.",
        "M7": "Insiste sur l'exclusivité, l'urgence ou le secret pour vous presser.",
        "M8": "Ne nomme pas le client (« un client important », « une institution partenaire »).",
        "M9": "Le même texte a été envoyé à plusieurs personnes sans lien entre elles : un message standardisé.",
        "M10": "Vous demande de cloner, d'exécuter ou d'installer quelque chose avant tout véritable entretien "
               "(un leurre d'exécution de code).",
        "M11": "Une mission de « recherche » payée pour un partenaire étranger, avec un voyage à l'étranger "
               "pris en charge.",
        "M12": "Une offre sans entretien ni négociation, ou une rémunération très au-dessus du marché.",
        "M13": "Vous demande de passer des entretiens au nom d'un autre ou de prêter votre identité ou vos comptes.",
        "M14": "Insiste pour que vous utilisiez leur propre logiciel, ou un logiciel inhabituel, pour une chose "
               "simple (discuter, rejoindre un appel).",
        "M15": "Un prétexte crypto, Web3 ou NFT : faible seul, révélateur à côté d'un leurre de code.",
        "P1": "Le poste est recruteur, consultant ou responsable de think tank dans une organisation invérifiable.",
        "P2": "L'employeur est générique ou indéfini, ou figure sur une liste publiée de façades.",
        "P3": "La photo semble réutilisée ou générée.",
        "P4": "Un titre très élevé pour un parcours bien mince.",
        "P5": "Évoque des contacts gouvernementaux ou des « clients importants » sans les nommer.",
        "P6": "Le texte du profil est copié d'autres profils suspects.",
        "P7": "Ses relations sont concentrées dans un secteur ou un employeur sensible.",
        "P8": "L'entreprise et la coopération demandée sont anormalement vagues.",
        "S1": "Le message dans son ensemble ressemble aux approches connues (détecteur sémantique).",
        "W0": "Cite une institution réelle dont des personas se réclament (ne compte pas seule).",
        "W1": "Le nom et le profil correspondent à un persona cité dans des rapports publics.",
        "W2": "Une adresse de profil, un pseudonyme de messagerie ou un numéro figurant sur une liste publiée.",
        "W3": "La photo correspond à une photo d'une liste publiée.",
        "W4": "Un domaine e-mail ou web figurant sur une liste publiée.",
        "C1": "Agit de concert avec d'autres comptes d'une campagne (textes, cibles ou traces partagés).",
        "C2": "Peu de liens authentiques dans le réseau : confiance faible.",
        "C3": "Fait partie d'une campagne repérée dans toute l'organisation.",
    },
    "de": {
        "M1": "Bietet großzügig bezahlte Arbeit an; feindliche Anbahnungen beginnen mit Geld, das in keinem "
              "Verhältnis zur Aufgabe steht.",
        "M2": "Bietet eine kostenlose Reise ins Ausland an (Seminar, Treffen, Vortrag): ein typischer Schritt "
              "solcher Anbahnungen.",
        "M3": "Bittet, auf einer anderen App oder einer privaten Adresse weiterzuschreiben, außerhalb der "
              "Plattform.",
        "M4": "Bittet um Analysen, Berichte oder Einschätzungen zu Politik, Verteidigung, Handel oder Technik.",
        "M5": "Bittet um Ihren Lebenslauf, Ihre Kontakte oder Einzelheiten Ihrer aktuellen Arbeit.",
        "M6": "Schmeichelt Ihnen („genau das Profil“, „renommierter Experte“), um Sie unvorsichtig zu machen.",
        "M7": "Drängt mit Exklusivität, Eile oder Geheimhaltung.",
        "M8": "Nennt den Kunden nicht („ein wichtiger Kunde“, „eine Partnerinstitution“).",
        "M9": "Derselbe Text erreichte mehrere Menschen ohne Verbindung zueinander: eine Standardnachricht.",
        "M10": "Bittet Sie, vor einem echten Gespräch etwas zu klonen, auszuführen oder zu installieren "
               "(ein Köder zur Codeausführung).",
        "M11": "Ein bezahlter „Forschungs“-Auftrag für einen ausländischen Partner, mit bezahlter Reise ins "
               "Ausland.",
        "M12": "Ein Angebot ohne Gespräch oder Verhandlung, oder eine Bezahlung weit über dem Markt.",
        "M13": "Bittet Sie, Vorstellungsgespräche im Namen eines anderen zu führen oder Ihre Identität oder "
               "Konten zu verleihen.",
        "M14": "Besteht auf eigener oder ungewöhnlicher Software für etwas Einfaches (Chat, Videoanruf).",
        "M15": "Ein Krypto-, Web3- oder NFT-Vorwand: allein schwach, aufschlussreich neben einem Code-Köder.",
        "P1": "Die Rolle ist Headhunter, Berater oder Leiter eines Thinktanks bei einer nicht überprüfbaren "
              "Organisation.",
        "P2": "Der Arbeitgeber ist allgemein oder nichtssagend, oder steht auf einer veröffentlichten Liste von "
              "Tarnfirmen.",
        "P3": "Das Foto wirkt wiederverwendet oder generiert.",
        "P4": "Ein sehr hoher Titel bei dünnem Werdegang.",
        "P5": "Erwähnt Regierungskontakte oder „wichtige Kunden“, ohne sie zu nennen.",
        "P6": "Der Profiltext ist von anderen verdächtigen Profilen kopiert.",
        "P7": "Die Kontakte konzentrieren sich auf eine Branche oder einen Arbeitgeber von Interesse.",
        "P8": "Firma und gewünschte Zusammenarbeit bleiben auffällig vage.",
        "S1": "Die Nachricht als Ganzes gleicht den bekannten Anbahnungen (semantischer Detektor).",
        "W0": "Nennt eine echte Institution, auf die sich Personas bekanntermaßen berufen (zählt allein nicht).",
        "W1": "Name und Profil passen zu einer in öffentlichen Berichten genannten Persona.",
        "W2": "Eine Profil-URL, ein Messenger-Name oder eine Telefonnummer von einer veröffentlichten Liste.",
        "W3": "Das Foto gleicht einem Foto einer veröffentlichten Liste.",
        "W4": "Eine E-Mail- oder Web-Domain von einer veröffentlichten Liste.",
        "C1": "Handelt im Gleichschritt mit anderen Konten einer Kampagne (gemeinsame Texte, Ziele oder Spuren).",
        "C2": "Wenige echte Verbindungen im Netzwerk: geringes Vertrauen.",
        "C3": "Gehört zu einer Kampagne, die in der ganzen Organisation gefunden wurde.",
    },
}
"""One plain reason per indicator (docs/tradecraft.md), for evidence whose own reason is in another language."""


LABELS: dict[str, dict[str, str]] = {
    "en": {"risk": "Risk: ", "score": "score", "language": "language", "message": "message",
           "indicator": "indicator", "words": "the words", "why": "why", "source": "source",
           "nothing": "No indicator of a known approach pattern fired.", "todo": "what to do",
           "todo_stage": "what to do (you have {stage})",
           "contacted": "been contacted", "accepted": "accepted the connection", "replied": "replied",
           "moved-off-platform": "moved to another app", "shared-material": "shared material"},
    "fr": {"risk": "Risque : ", "score": "score", "language": "langue", "message": "message",
           "indicator": "indicateur", "words": "les mots", "why": "pourquoi", "source": "source",
           "nothing": "Aucun indicateur d'un schéma d'approche connu ne s'est déclenché.", "todo": "que faire",
           "todo_stage": "que faire (vous avez {stage})",
           "contacted": "été contacté", "accepted": "accepté la mise en relation", "replied": "répondu",
           "moved-off-platform": "poursuivi sur une autre application", "shared-material": "transmis des documents"},
    "de": {"risk": "Risiko: ", "score": "Wert", "language": "Sprache", "message": "Nachricht",
           "indicator": "Indikator", "words": "die Worte", "why": "warum", "source": "Quelle",
           "nothing": "Kein Indikator eines bekannten Anbahnungsmusters hat angeschlagen.", "todo": "was tun",
           "todo_stage": "was tun (Sie haben {stage})",
           "contacted": "eine Anfrage erhalten", "accepted": "die Vernetzung angenommen", "replied": "geantwortet",
           "moved-off-platform": "auf einer anderen App weitergeschrieben",
           "shared-material": "Unterlagen weitergegeben"},
}
"""The labels of the terminal verdict."""


def label(key: str, language: str) -> str:
    return LABELS.get(language, LABELS["en"]).get(key, LABELS["en"][key])
