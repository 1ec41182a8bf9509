"""The rules fire on what senders really write: inflection, accents, case, line breaks, mixed languages.

Every text here was written for these tests from the indicators of tradecraft.md; the hard negatives
are what genuine recruiters, conference organisers, expert networks and journalists send.
"""

from __future__ import annotations

import inspect

import pytest

from falsefriends.check import Checker
from falsefriends.model import Account, Level, Message, Position


def _fired(rules_checker: Checker, text: str) -> dict[str, list[str]]:
    """Rule id -> the exact excerpts of `text` it quoted, checking that each span points at its excerpt."""
    assessment = rules_checker.message(Message(id="t", body=text))
    found: dict[str, list[str]] = {}
    for item in assessment.evidence:
        assert item.span is not None
        start, end = item.span
        assert text[start:end] == item.excerpt
        found.setdefault(item.rule, []).append(item.excerpt)
    return found


# (text, rule that must fire, the exact words it must quote)
FRENCH = [
    ("Une rémunération généreuse est prévue.", "fr-collaboration-genereusement-remuneree", "rémunération généreuse"),
    ("une remuneration genereuse est prevue", "fr-collaboration-genereusement-remuneree", "remuneration genereuse"),
    ("RÉMUNÉRATION\n   GÉNÉREUSE", "fr-collaboration-genereusement-remuneree", "RÉMUNÉRATION\n   GÉNÉREUSE"),
    ("Des missions très bien payées.", "fr-collaboration-genereusement-remuneree", "missions très bien payées"),
    ("Des collaborations rémunérées, à distance.", "fr-collaboration-genereusement-remuneree",
     "collaborations rémunérées"),
    ("Poursuivons l’échange sur Telegram.", "fr-passer-sur-messagerie-chiffree", "Poursuivons l’échange sur Telegram"),
    ("Pouvons-nous continuer sur\nWhatsApp ?", "fr-passer-sur-messagerie-chiffree",
     "continuer sur\nWhatsApp"),
    ("Vos billets d'avion seront intégralement remboursés.", "fr-voyage-pris-en-charge",
     "billets d'avion seront intégralement remboursés"),
    ("Nous attendons des rapports mensuels.", "fr-notes-regulieres", "rapports mensuels"),
    ("Une cliente importante vous attend.", "fr-client-important-non-nomme", "cliente importante"),
    ("pour des partenaires étrangers", "fr-client-important-non-nomme", "partenaires étrangers"),
    ("Des éléments non publiés sur le dossier.", "fr-informations-non-publiques", "éléments non publiés"),
    ("Avez-vous WeChat ?", "fr-passer-sur-messagerie-chiffree", "Avez-vous WeChat"),
]

GERMAN = [
    ("Eine großzügig vergütete Zusammenarbeit.", "de-grosszuegig-bezahlte-zusammenarbeit", "großzügig vergütete"),
    ("eine grosszuegig verguetete Zusammenarbeit", "de-grosszuegig-bezahlte-zusammenarbeit",
     "grosszuegig verguetete"),
    ("GROSSZÜGIG\nVERGÜTET", "de-grosszuegig-bezahlte-zusammenarbeit", "GROSSZÜGIG\nVERGÜTET"),
    ("Schreiben Sie mir über\nWhatsApp.", "de-wechsel-zu-messenger", "Schreiben Sie mir über\nWhatsApp"),
    ("Schreiben Sie mir ueber WhatsApp.", "de-wechsel-zu-messenger", "Schreiben Sie mir ueber WhatsApp"),
    ("Können wir uns per Telegram weiter austauschen?", "de-wechsel-zu-messenger", "per Telegram weiter austauschen"),
    ("Hier meine WhatsApp-Nummer.", "de-wechsel-zu-messenger", "meine WhatsApp-Nummer"),
    ("Reisekosten werden übernommen.", "de-kostenlose-reise", "Reisekosten werden übernommen"),
    ("Flüge und Hotel werden vollständig erstattet.", "de-kostenlose-reise",
     "Flüge und Hotel werden vollständig erstattet"),
    ("Wir bitten um regelmäßige Lageberichte.", "de-regelmaessige-berichte", "regelmäßige Lageberichte"),
    ("monatlichen Einschätzungen", "de-regelmaessige-berichte", "monatlichen Einschätzungen"),
    ("Analysen zur Verteidigungspolitik", "de-analyse-zu-politik", "Analysen zur Verteidigungspolitik"),
    ("Ich vertrete einen wichtigen Auftraggeber.", "de-ungenannter-wichtiger-kunde", "einen wichtigen Auftraggeber"),
    ("im Auftrag einem sehr wichtigen Kunden", "de-ungenannter-wichtiger-kunde", "einem sehr wichtigen Kunden"),
    ("Bitte senden Sie Ihren aktuellen Lebenslauf.", "de-lebenslauf-anfordern", "Ihren aktuellen Lebenslauf"),
    ("Interne Vermerke zum Vorgang wären hilfreich.", "de-interne-informationen", "Interne Vermerke"),
]

ENGLISH = [
    ("A generously\npaid collaboration.", "en-generously-paid-collaboration", "generously\npaid"),
    ("Let’s continue on WhatsApp.", "en-move-to-encrypted-app", "continue on WhatsApp"),
    ("WhatsApp me when you can.", "en-move-to-encrypted-app", "WhatsApp me"),
    ("Please git clone the repo and run npm install.", "en-run-our-repository", "git clone"),
    ("We cannot disclose the client's name yet.", "en-client-identity-withheld", "cannot disclose the client"),
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), FRENCH + GERMAN + ENGLISH)
def test_rule_fires_through_inflection_accents_case_and_line_breaks(
    rules_checker: Checker, text: str, rule: str, excerpt: str
) -> None:
    fired = _fired(rules_checker, text)
    assert rule in fired, sorted(fired)
    assert excerpt in fired[rule]


# Hard negatives: each must stay "low" on its own and must not trip the named rules.
GENUINE = [
    ("Hi Sarah, I'm a recruiter at Hays. We have a fully remote senior data engineer role, salary up to "
     "£95k plus a generous benefits package. Would you be open to a quick call this week?",
     {"en-generously-paid-collaboration", "en-urgent-call-or-meeting"}),
    ("Hello, I work for an expert network. One of our clients would like to speak with an expert on "
     "European semiconductor supply chains for a one-hour phone consultation. Please do not share any "
     "confidential or non-public information. Compensation is $350 per hour.",
     {"en-non-public-information-request", "en-analysis-on-policy-topics", "en-fee-per-report"}),
    ("Hi, I'm a journalist writing an article on UK defence procurement. Could I ask for your views on "
     "the new policy? Happy to quote you anonymously.", {"en-analysis-on-policy-topics"}),
    ("Our client, a leading global bank, is looking for a head of risk. Can we have a quick chat on "
     "Skype, Teams or Zoom?", {"en-move-to-personal-email-or-phone", "en-unnamed-important-client"}),
    ("Call for papers: submissions of up to 8 pages are due on 1 March; the registration fee is 250 EUR.",
     {"en-paid-policy-paper"}),
    ("Bonjour Claire, nous recrutons un responsable achats en CDI à Lyon, rémunération attractive selon "
     "profil, mutuelle et tickets restaurant.", {"fr-collaboration-genereusement-remuneree"}),
    ("Je prépare un article sur la politique de défense européenne ; accepteriez-vous que je vous cite ?",
     {"fr-analyse-sur-sujets-politiques"}),
    ("Merci de ne partager aucune information confidentielle pendant l'appel.", {"fr-informations-non-publiques"}),
    ("Ich schreibe einen Artikel zur Sicherheitspolitik. Dürfte ich Sie zitieren?", {"de-analyse-zu-politik"}),
    ("Unbefristete Festanstellung mit attraktiver Vergütung und Tarifgehalt.",
     {"de-grosszuegig-bezahlte-zusammenarbeit"}),
    ("Reisekosten werden leider nicht übernommen; die Anreise erfolgt auf eigene Kosten.", {"de-kostenlose-reise"}),
    ("Das Projekt starten wir im Januar, das Kick-off ist in Berlin.", {"de-repository-lokal-ausfuehren"}),
    ("Your line manager will be informed; the market sent a strong signal.", {"en-move-to-encrypted-app"}),
]


@pytest.mark.parametrize(("text", "silent"), GENUINE)
def test_genuine_messages_stay_low(rules_checker: Checker, text: str, silent: set[str]) -> None:
    assessment = rules_checker.message(Message(id="g", body=text))
    fired = {e.rule for e in assessment.evidence}
    assert not fired & silent, sorted(fired & silent)
    assert assessment.level is Level.LOW, (assessment.score, sorted(fired))


def test_a_conference_covering_travel_is_one_weak_signal_only(rules_checker: Checker) -> None:
    text = ("We would be delighted to invite you as a keynote speaker at our annual conference in Lisbon. "
            "Travel and accommodation will be covered.")
    assessment = rules_checker.message(Message(id="c", body=text))
    assert {e.indicator for e in assessment.evidence} == {"M2"}
    assert assessment.level is Level.LOW


APPROACHES = [
    ("en", "Dear Mr Dupont, I represent an important client, a think tank, looking for experts with your "
           "impressive background. The collaboration is generously paid and takes only a few hours a month. "
           "Could we continue on WhatsApp?", {"M1", "M3", "M6", "M8"}),
    ("fr", "Bonjour Madame, votre parcours est remarquable. Je représente un client très important qui "
           "cherche des notes régulières sur la politique énergétique. La collaboration est très bien "
           "rémunérée. Pourrions-nous continuer sur WhatsApp ?", {"M1", "M3", "M4", "M6", "M8"}),
    ("de", "Sehr geehrter Herr Becker, ich vertrete einen sehr wichtigen Kunden, der regelmäßige "
           "Einschätzungen zur Verteidigungspolitik sucht. Die Zusammenarbeit ist großzügig vergütet. "
           "Können wir uns per WhatsApp weiter austauschen?", {"M1", "M3", "M4", "M8"}),
]


@pytest.mark.parametrize(("language", "text", "indicators"), APPROACHES, ids=[a[0] for a in APPROACHES])
def test_a_full_approach_is_high_in_each_language(
    rules_checker: Checker, language: str, text: str, indicators: set[str]
) -> None:
    assessment = rules_checker.message(Message(id="a", body=text))
    assert set(assessment.indicators) >= indicators
    assert {e.rule.split("-")[0] for e in assessment.evidence} == {language}
    assert assessment.level is Level.HIGH


def test_mixed_language_message_fires_both_packs(rules_checker: Checker) -> None:
    text = ("Dear colleague, we offer a generously paid collaboration for short notes.\n"
            "Schreiben Sie mir bitte über WhatsApp, dann erkläre ich alles.")
    fired = _fired(rules_checker, text)
    assert fired["en-generously-paid-collaboration"] == ["generously paid"]
    assert fired["de-wechsel-zu-messenger"] == ["Schreiben Sie mir bitte über WhatsApp"]
    assessment = rules_checker.message(Message(id="mix", body=text))
    assert {"M1", "M3"} <= set(assessment.indicators)


def test_french_greeting_on_an_english_template_still_fires(rules_checker: Checker) -> None:
    text = "Bonjour Madame, we would pay $2,000 for each short report. Ajoutez-moi sur WeChat."
    fired = _fired(rules_checker, text)
    assert "en-fee-per-report" in fired and "fr-passer-sur-messagerie-chiffree" in fired


def test_platform_default_invitation_lowers_the_score_only_when_alone(rules_checker: Checker) -> None:
    alone = rules_checker.message(Message(id="d", body="Hi Anna, I'd like to join your LinkedIn network."))
    assert [e.rule for e in alone.evidence] == ["en-platform-default-invitation"]
    assert alone.score < rules_checker.message(Message(id="e", body="Hello.")).score
    padded = rules_checker.message(Message(
        id="p", body="I'd like to add you to my professional network. We offer a generously paid collaboration."))
    assert "en-platform-default-invitation" not in {e.rule for e in padded.evidence}


# --- profile rules ---------------------------------------------------------------------------------

def _profile_rules(rules_checker: Checker, account: Account) -> dict[str, str]:
    return {e.rule: e.excerpt for e in rules_checker.profile(account).evidence}


def test_senior_title_counts_only_with_a_thin_history(rules_checker: Checker) -> None:
    thin = Account(name="X", headline="CEO & Founder at Global Talent Solutions")
    assert _profile_rules(rules_checker, thin)["profile-senior-title-thin-history"] == "CEO"
    rich = Account(
        name="X", headline="CEO & Founder at Global Talent Solutions",
        positions=(Position(title="CEO", company="GTS"), Position(title="Engineer", company="Acme")),
        education=("University of Leeds",),
    )
    assert "profile-senior-title-thin-history" not in _profile_rules(rules_checker, rich)


@pytest.mark.parametrize(("headline", "rule", "excerpt"), [
    ("Geschäftsführerin | Strategieberatung", "profile-senior-title-thin-history", "Geschäftsführerin"),
    ("Directrice générale – Institut des échanges", "profile-senior-title-thin-history", "Directrice générale"),
    ("Chasseur de têtes, secteur défense", "profile-headhunter-or-recruiter-role", "Chasseur de têtes"),
    ("Senior Research Fellow, Centre for Strategic Studies", "profile-think-tank-or-fellow-role",
     "Senior Research Fellow"),
])
def test_profile_rules_read_titles_in_three_languages(
    rules_checker: Checker, headline: str, rule: str, excerpt: str
) -> None:
    assert _profile_rules(rules_checker, Account(name="X", headline=headline)).get(rule) == excerpt


def test_generic_employer_and_unnamed_government_clients(rules_checker: Checker) -> None:
    persona = Account(
        name="X", headline="Project Manager", employer="Institute for International Exchange",
        about="We advise government clients and state-owned enterprises; we connect senior experts with "
              "opportunities in all fields.",
    )
    fired = _profile_rules(rules_checker, persona)
    assert fired["profile-generic-employer-name"] == "International Exchange"
    assert fired["profile-unnamed-government-clients"] == "government clients"
    assert "profile-vague-matchmaking-of-experts" in fired
    assert rules_checker.profile(persona).level is not Level.LOW


def test_an_ordinary_engineer_profile_fires_nothing(rules_checker: Checker) -> None:
    engineer = Account(
        name="X", headline="Embedded software engineer", employer="Northwind Robotics",
        about="I build flight controllers for small drones.",
        positions=(Position(title="Engineer", company="Northwind Robotics"),), education=("TU Delft",),
    )
    assert _profile_rules(rules_checker, engineer) == {}


def test_an_empty_employer_is_a_weak_sign(rules_checker: Checker) -> None:
    fired = _profile_rules(rules_checker, Account(name="X", headline="Senior Technical Recruiter"))
    assert {"profile-no-named-employer", "profile-headhunter-or-recruiter-role"} <= set(fired)
    assert rules_checker.profile(Account(name="X", headline="Senior Technical Recruiter")).level is Level.LOW


def test_a_conversation_adds_up_messages_that_look_harmless_alone(rules_checker: Checker) -> None:
    conversation = [
        Message(id="1", conversation="c", body="Your background is impressive. The role pays $250k, fully remote."),
        Message(id="2", conversation="c", body="LinkedIn is not convenient for me, add me on Telegram please."),
        Message(id="3", conversation="c", body="Please look at our project before the meeting."),
    ]
    alone = [rules_checker.message(m) for m in conversation]
    together = rules_checker.assess(conversation)
    assert all(a.level is not Level.HIGH for a in alone)
    assert {"M3", "M10"} <= set(together.indicators)
    assert together.score > max(a.score for a in alone)
    assert {e.message for e in together.evidence} == {"1", "2", "3"}


# --- The fake-recruiter scheme (FBI I-090324-PSA): a request to run their code for an interview is high alone.
@pytest.fixture(scope="module")
def rules_checker() -> Checker:
    """The rule packs and the expert-prior fusion only, so these tests measure the rules themselves
    (without a semantic detector, where the checker has one)."""
    rules_only = {"semantic": False} if "semantic" in inspect.signature(Checker).parameters else {}
    return Checker(**rules_only)


RUN_THEIR_CODE = [
    ("Please clone our repo and run npm install before tomorrow's interview.", "en-run-their-code-for-interview"),
    ("Kindly download the test project from the link and fix the bug in it as part of the hiring process.",
     "en-run-their-code-for-interview"),
    ("Your webcam is blocked; paste this command in the terminal to fix the camera access before the interview.",
     "en-run-command-to-fix-call"),
    ("Avant l’entretien technique, merci d’installer notre package et de lancer le script.",
     "fr-executer-leur-code-pour-entretien"),
    ("Merci de cloner le dépôt ci-joint et de corriger le bug pour l’entretien de jeudi.",
     "fr-executer-leur-code-pour-entretien"),
    ("Vor dem Interview klonen Sie bitte unser Repository und starten die Anwendung lokal.",
     "de-ihren-code-fuer-bewerbung-ausfuehren"),
    ("Für das Vorstellungsgespräch bitte das Testprojekt herunterladen und ausführen.",
     "de-ihren-code-fuer-bewerbung-ausfuehren"),
]


@pytest.mark.parametrize(("text", "rule"), RUN_THEIR_CODE)
def test_a_request_to_run_their_code_for_an_interview_is_high_on_its_own(
    rules_checker: Checker, text: str, rule: str
) -> None:
    assert rule in _fired(rules_checker, text)
    assessment = rules_checker.message(Message(id="t", body=text))
    assert assessment.level is Level.HIGH
    assert "M10" in assessment.indicators


HONEST_CODE_TALK = [
    "Could you review my pull request on the open-source project when you have time?",
    "For the take-home, write a small service in any language and send us the link to your repository.",
    "Our coding test runs in the browser; there is nothing to install.",
    "We will look at your GitHub projects before the interview.",
    "Thanks for your application, could you send me your CV before the interview?",
    "Pourriez-vous relire ma pull request sur le projet open source ?",
    "Für die Probeaufgabe schreiben Sie ein kleines Programm und schicken uns den Link zu Ihrem Repository.",
]


@pytest.mark.parametrize("text", HONEST_CODE_TALK)
def test_honest_code_and_recruiting_talk_is_not_high(rules_checker: Checker, text: str) -> None:
    assessment = rules_checker.message(Message(id="t", body=text))
    assert assessment.level is not Level.HIGH, assessment.evidence
    assert not {"en-run-their-code-for-interview", "fr-executer-leur-code-pour-entretien",
                "de-ihren-code-fuer-bewerbung-ausfuehren"} & set(_fired(rules_checker, text))


@pytest.mark.parametrize(("text", "indicator"), [
    ("We can offer you the role without any interview; the salary is double your current salary.", "M12"),
    ("Cherche personne pour passer des entretiens à ma place, 150 euros par entretien.", "M13"),
    ("Bitte installieren Sie für unser Gespräch unsere eigene Chat-App.", "M14"),
    ("We are an early-stage DeFi startup looking for a lead engineer.", "M15"),
])
def test_the_fbi_fake_recruiter_indicators_fire(rules_checker: Checker, text: str, indicator: str) -> None:
    assert indicator in rules_checker.message(Message(id="t", body=text)).indicators


def test_a_lazy_pattern_compiles_on_first_search_and_finds_what_an_eager_one_finds() -> None:
    from falsefriends.rules.engine import Regex, Subject

    pattern = r"\bwhats\s?app\b|(?:signal|telegram)\b|ß+"
    texts = ["Could we continue on WhatsApp or Signal?".lower(), "ßß and telegram", "", "nothing here",
             "whats app, whatsapp; ÉTÉ signal"]
    eager, lazy = Regex(pattern), Regex(pattern, lazy=True)
    assert lazy._core is None and lazy._re is None  # nothing compiled yet
    for text in texts:
        subject = Subject(text)
        found = eager.matches(subject)
        assert lazy.matches(subject) == found
        for match in found:
            assert lazy.occurs_near(subject, match, 5) == eager.occurs_near(subject, match, 5)
    assert Regex(pattern, lazy=True).occurs_near(Subject("on whatsapp"), (3, 11, 3, 11), 2)  # first use


def test_a_lazy_pattern_that_does_not_compile_raises_at_first_search_and_stays_uncompiled() -> None:
    from falsefriends.rules.engine import Regex, Subject

    with pytest.raises(ValueError):
        Regex("(unclosed")
    broken = Regex("(unclosed", lazy=True)
    for _ in range(2):
        with pytest.raises(ValueError):
            broken.matches(Subject("text"))
