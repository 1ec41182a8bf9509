"""The advice of `advice.py` in French and German, step by step (the English text is the key).

Written for the person who received the message, in the words of the public guidance (DGSI 2018 for
French, BfV and NPSA for German readers); the sources in brackets stay as they are. tests/test_wording.py
holds every English step to a translation in each language, so a step added in English cannot go out
untranslated.
"""

from __future__ import annotations

from falsefriends import advice as en

FR: dict[str, str] = {
    en.NO_REPLY: "Ne répondez pas, n'acceptez pas la demande et ne passez pas sur une autre application (DGSI 2018).",
    "Report it to your security officer with a screenshot of the profile and the message (NPSA TBYL: Report).":
        "Signalez-le à votre officier de sécurité avec une capture d'écran du profil et du message "
        "(NPSA TBYL : signaler).",
    "Then remove the contact and block it (NPSA TBYL: Remove).":
        "Ensuite, supprimez le contact et bloquez-le (NPSA TBYL : supprimer).",
    "If you already shared documents, notes or contacts, tell your security officer now: it is not your fault, "
    "and it matters that they know.":
        "Si vous avez déjà transmis des documents, des notes ou des contacts, prévenez maintenant votre officier de "
        "sécurité : ce n'est pas votre faute, et il est important qu'il le sache.",
    "Do not move the conversation to another app or e-mail on request (DGSI 2018).":
        "Ne déplacez pas la conversation vers une autre application ou par e-mail à sa demande (DGSI 2018).",
    "Verify the person and the company independently: its website, its staff, a reverse search of the photo.":
        "Vérifiez la personne et l'entreprise par vous-même : son site, ses employés, une recherche inversée de "
        "la photo.",
    "If in doubt, ask your security officer before you answer (NPSA TBYL: Recognise, Realise, Report, Remove).":
        "En cas de doute, demandez à votre officier de sécurité avant de répondre (NPSA TBYL : reconnaître, "
        "comprendre, signaler, supprimer).",
    "Nothing here matches the known approach patterns, which does not prove the sender is genuine.":
        "Rien ici ne correspond aux schémas d'approche connus, ce qui ne prouve pas que l'expéditeur est "
        "authentique.",
    "Accept connection requests only from people you know personally (DGSI 2018).":
        "N'acceptez de demandes de mise en relation que de personnes que vous connaissez personnellement "
        "(DGSI 2018).",
    en.CODE_FIRST:
        "Ne l'exécutez pas, ne clonez et n'installez rien de ce qu'on vous a envoyé ; signalez-le à votre officier "
        "de sécurité (et à la plateforme) (FBI I-090324-PSA ; NPSA TBYL : signaler).",
    en.CODE_ALREADY_RAN:
        "Si vous avez déjà exécuté, installé ou ouvert quelque chose qu'on vous a envoyé, cessez d'utiliser cet "
        "ordinateur pour le travail, déconnectez-le du réseau et prévenez tout de suite votre officier de sécurité "
        "ou la sécurité informatique ; n'attendez pas.",
    en.KEEP_EVIDENCE:
        "Gardez les messages et le profil tels quels : ne supprimez pas la conversation, faites des captures "
        "d'écran ; ce sont les preuves dont votre officier de sécurité a besoin (DGSI 2018).",
    en.TELL_OFFICER:
        "Dites maintenant à votre officier de sécurité ce qui s'est passé, avec des captures d'écran du profil et "
        "des messages : ce n'est pas votre faute, et signaler tôt limite les dégâts (NPSA TBYL : signaler).",
    en.REMOVE_AFTER:
        "Une fois que votre officier de sécurité a ce qu'il lui faut, supprimez le contact et bloquez-le "
        "(NPSA TBYL : supprimer).",
    en.LOW_SOME_SIGNS:
        "Quelques signes se sont déclenchés, mais pas assez ensemble pour correspondre au schéma d'approche "
        "connu ; restez attentif si le contact en vient à une offre, à une autre application ou à une demande "
        "de documents.",
    en.KEEP_SCREENSHOT:
        "Gardez une capture d'écran du profil et du message pour votre officier de sécurité.",
    "You accepted the connection: do not reply and do not move to another app; the contact now sees your "
    "network and can use it to reach your colleagues (DGSI 2018).":
        "Vous avez accepté la mise en relation : ne répondez pas et ne passez pas sur une autre application ; le "
        "contact voit désormais votre réseau et peut s'en servir pour atteindre vos collègues (DGSI 2018).",
    "Report it to your security officer with a screenshot of the profile and the messages (NPSA TBYL: Report).":
        "Signalez-le à votre officier de sécurité avec une capture d'écran du profil et des messages "
        "(NPSA TBYL : signaler).",
    "Then remove the connection and block it (NPSA TBYL: Remove).":
        "Ensuite, retirez la mise en relation et bloquez le contact (NPSA TBYL : supprimer).",
    "You already answered: stop the conversation now and send nothing more, not even an explanation "
    "(DGSI 2018).":
        "Vous avez déjà répondu : arrêtez la conversation maintenant et n'envoyez plus rien, pas même une "
        "explication (DGSI 2018).",
    "You already answered and may have continued on another app: stop there too and send nothing more "
    "(DGSI 2018).":
        "Vous avez déjà répondu et avez peut-être continué sur une autre application : arrêtez là aussi et "
        "n'envoyez plus rien (DGSI 2018).",
    "Do not delete that chat: keep it, with the number, handle or address they used; it is evidence (DGSI 2018).":
        "Ne supprimez pas cette discussion : gardez-la, avec le numéro, le pseudonyme ou l'adresse utilisés ; "
        "c'est une preuve (DGSI 2018).",
    "You already sent material (documents, notes, a CV, contacts): send nothing more and stop the "
    "conversation (DGSI 2018).":
        "Vous avez déjà envoyé des éléments (documents, notes, un CV, des contacts) : n'envoyez plus rien et "
        "arrêtez la conversation (DGSI 2018).",
    "Tell your security officer today exactly what you sent, when and to whom: it is not your fault, and they "
    "need to know to limit the harm (NPSA TBYL: Report).":
        "Dites aujourd'hui à votre officier de sécurité exactement ce que vous avez envoyé, quand et à qui : ce "
        "n'est pas votre faute, et il doit le savoir pour limiter les dégâts (NPSA TBYL : signaler).",
    en.INDICATOR_ADVICE["M3"]:
        "Ne passez jamais sur WhatsApp, WeChat, Signal, Telegram ou une adresse e-mail personnelle à la demande "
        "d'un inconnu.",
    en.INDICATOR_ADVICE["M4"]:
        "N'écrivez jamais de notes d'analyse ni de rapports pour un client inconnu, même si le sujet semble "
        "public au départ.",
    en.INDICATOR_ADVICE["M5"]:
        "N'envoyez pas votre CV, vos contacts ni le détail de votre travail actuel à un recruteur non vérifié.",
    en.INDICATOR_ADVICE["M10"]:
        "Ne clonez, n'exécutez et n'installez rien de ce qu'envoie un recruteur avant un entretien vérifié ; un "
        "vrai employeur n'a pas besoin que vous lanciez son code sur votre machine.",
    en.INDICATOR_ADVICE["M2"]:
        "Un voyage gratuit à l'étranger offert par une organisation inconnue est une étape classique de ces "
        "approches.",
    en.INDICATOR_ADVICE["M12"]:
        "Une offre sans entretien ni négociation, ou une rémunération très au-dessus du marché, est un leurre "
        "connu (FBI I-090324-PSA) ; vérifiez l'entreprise par son propre site et son standard.",
    en.INDICATOR_ADVICE["M13"]:
        "Ne passez jamais d'entretien au nom d'un autre et ne prêtez ni votre identité ni vos comptes : cela sert "
        "des filières qui placent des travailleurs sous une fausse identité (FBI I-051624-PSA).",
    en.INDICATOR_ADVICE["M14"]:
        "N'installez pas de logiciel spécial ou inconnu pour discuter ou rejoindre un appel ; les vrais "
        "employeurs utilisent les outils habituels.",
}

DE: dict[str, str] = {
    en.NO_REPLY: "Antworten Sie nicht, nehmen Sie die Anfrage nicht an und wechseln Sie nicht auf eine andere App "
                 "(DGSI 2018).",
    "Report it to your security officer with a screenshot of the profile and the message (NPSA TBYL: Report).":
        "Melden Sie es Ihrem Sicherheitsbeauftragten mit einem Screenshot des Profils und der Nachricht "
        "(NPSA TBYL: Melden).",
    "Then remove the contact and block it (NPSA TBYL: Remove).":
        "Entfernen und blockieren Sie den Kontakt danach (NPSA TBYL: Entfernen).",
    "If you already shared documents, notes or contacts, tell your security officer now: it is not your fault, "
    "and it matters that they know.":
        "Wenn Sie schon Dokumente, Notizen oder Kontakte weitergegeben haben, sagen Sie es jetzt Ihrem "
        "Sicherheitsbeauftragten: Es ist nicht Ihre Schuld, und es ist wichtig, dass er es weiß.",
    "Do not move the conversation to another app or e-mail on request (DGSI 2018).":
        "Verlegen Sie das Gespräch nicht auf Wunsch auf eine andere App oder in eine E-Mail (DGSI 2018).",
    "Verify the person and the company independently: its website, its staff, a reverse search of the photo.":
        "Prüfen Sie Person und Firma selbst: die Website, die Mitarbeiter, eine umgekehrte Bildersuche des Fotos.",
    "If in doubt, ask your security officer before you answer (NPSA TBYL: Recognise, Realise, Report, Remove).":
        "Fragen Sie im Zweifel Ihren Sicherheitsbeauftragten, bevor Sie antworten (NPSA TBYL: Erkennen, "
        "Verstehen, Melden, Entfernen).",
    "Nothing here matches the known approach patterns, which does not prove the sender is genuine.":
        "Nichts hier passt zu den bekannten Anbahnungsmustern; das beweist nicht, dass der Absender echt ist.",
    "Accept connection requests only from people you know personally (DGSI 2018).":
        "Nehmen Sie Kontaktanfragen nur von Menschen an, die Sie persönlich kennen (DGSI 2018).",
    en.CODE_FIRST:
        "Führen Sie es nicht aus, klonen oder installieren Sie nichts, was man Ihnen geschickt hat; melden Sie es "
        "Ihrem Sicherheitsbeauftragten (und der Plattform) (FBI I-090324-PSA; NPSA TBYL: Melden).",
    en.CODE_ALREADY_RAN:
        "Wenn Sie schon etwas ausgeführt, installiert oder geöffnet haben, das man Ihnen geschickt hat, benutzen "
        "Sie diesen Rechner nicht mehr für die Arbeit, trennen Sie ihn vom Netz und sagen Sie es sofort Ihrem "
        "Sicherheitsbeauftragten oder der IT-Sicherheit; warten Sie nicht.",
    en.KEEP_EVIDENCE:
        "Lassen Sie Nachrichten und Profil, wie sie sind: Löschen Sie das Gespräch nicht, machen Sie Screenshots; "
        "das sind die Beweise, die Ihr Sicherheitsbeauftragter braucht (DGSI 2018).",
    en.TELL_OFFICER:
        "Sagen Sie Ihrem Sicherheitsbeauftragten jetzt, was passiert ist, mit Screenshots des Profils und der "
        "Nachrichten: Es ist nicht Ihre Schuld, und frühes Melden begrenzt den Schaden (NPSA TBYL: Melden).",
    en.REMOVE_AFTER:
        "Sobald Ihr Sicherheitsbeauftragter hat, was er braucht, entfernen und blockieren Sie den Kontakt "
        "(NPSA TBYL: Entfernen).",
    en.LOW_SOME_SIGNS:
        "Einige Anzeichen haben angeschlagen, aber zusammen nicht genug für das bekannte Anbahnungsmuster; bleiben "
        "Sie wachsam, wenn der Kontakt ein Angebot macht, auf eine andere App wechseln will oder um Unterlagen "
        "bittet.",
    en.KEEP_SCREENSHOT:
        "Bewahren Sie einen Screenshot des Profils und der Nachricht für Ihren Sicherheitsbeauftragten auf.",
    "You accepted the connection: do not reply and do not move to another app; the contact now sees your "
    "network and can use it to reach your colleagues (DGSI 2018).":
        "Sie haben die Vernetzung angenommen: Antworten Sie nicht und wechseln Sie nicht auf eine andere App; der "
        "Kontakt sieht jetzt Ihr Netzwerk und kann darüber Ihre Kollegen erreichen (DGSI 2018).",
    "Report it to your security officer with a screenshot of the profile and the messages (NPSA TBYL: Report).":
        "Melden Sie es Ihrem Sicherheitsbeauftragten mit einem Screenshot des Profils und der Nachrichten "
        "(NPSA TBYL: Melden).",
    "Then remove the connection and block it (NPSA TBYL: Remove).":
        "Lösen Sie danach die Vernetzung und blockieren Sie den Kontakt (NPSA TBYL: Entfernen).",
    "You already answered: stop the conversation now and send nothing more, not even an explanation "
    "(DGSI 2018).":
        "Sie haben schon geantwortet: Beenden Sie das Gespräch jetzt und schicken Sie nichts mehr, auch keine "
        "Erklärung (DGSI 2018).",
    "You already answered and may have continued on another app: stop there too and send nothing more "
    "(DGSI 2018).":
        "Sie haben schon geantwortet und vielleicht auf einer anderen App weitergeschrieben: Hören Sie auch dort "
        "auf und schicken Sie nichts mehr (DGSI 2018).",
    "Do not delete that chat: keep it, with the number, handle or address they used; it is evidence (DGSI 2018).":
        "Löschen Sie diesen Chat nicht: Bewahren Sie ihn auf, mit der Nummer, dem Namen oder der Adresse des "
        "Kontakts; er ist ein Beweis (DGSI 2018).",
    "You already sent material (documents, notes, a CV, contacts): send nothing more and stop the "
    "conversation (DGSI 2018).":
        "Sie haben schon Unterlagen geschickt (Dokumente, Notizen, einen Lebenslauf, Kontakte): Schicken Sie "
        "nichts mehr und beenden Sie das Gespräch (DGSI 2018).",
    "Tell your security officer today exactly what you sent, when and to whom: it is not your fault, and they "
    "need to know to limit the harm (NPSA TBYL: Report).":
        "Sagen Sie Ihrem Sicherheitsbeauftragten noch heute genau, was Sie wann und an wen geschickt haben: Es ist "
        "nicht Ihre Schuld, und er muss es wissen, um den Schaden zu begrenzen (NPSA TBYL: Melden).",
    en.INDICATOR_ADVICE["M3"]:
        "Wechseln Sie nie auf Wunsch eines Fremden zu WhatsApp, WeChat, Signal, Telegram oder einer privaten "
        "E-Mail-Adresse.",
    en.INDICATOR_ADVICE["M4"]:
        "Schreiben Sie nie Analysen oder Berichte für einen unbekannten Auftraggeber, so öffentlich das Thema "
        "anfangs auch scheint.",
    en.INDICATOR_ADVICE["M5"]:
        "Schicken Sie Ihren Lebenslauf, Ihre Kontakte oder Einzelheiten Ihrer aktuellen Arbeit keinem nicht "
        "überprüften Headhunter.",
    en.INDICATOR_ADVICE["M10"]:
        "Klonen, starten oder installieren Sie nichts, was ein Recruiter schickt, vor einem überprüften Gespräch; "
        "echte Arbeitgeber müssen ihren Code nicht auf Ihrem Rechner laufen lassen.",
    en.INDICATOR_ADVICE["M2"]:
        "Eine kostenlose Auslandsreise, angeboten von einer unbekannten Organisation, ist ein typischer Schritt "
        "solcher Anbahnungen.",
    en.INDICATOR_ADVICE["M12"]:
        "Ein Angebot ohne Gespräch oder Verhandlung oder mit einer Bezahlung weit über dem Markt ist ein bekannter "
        "Köder (FBI I-090324-PSA); prüfen Sie die Firma über ihre eigene Website und Zentrale.",
    en.INDICATOR_ADVICE["M13"]:
        "Führen Sie nie Vorstellungsgespräche im Namen eines anderen und verleihen Sie weder Ihre Identität noch "
        "Ihre Konten: Das dient Netzwerken, die Arbeitskräfte unter falscher Identität unterbringen "
        "(FBI I-051624-PSA).",
    en.INDICATOR_ADVICE["M14"]:
        "Installieren Sie keine eigene oder unbekannte Software, um zu chatten oder an einem Anruf teilzunehmen; "
        "echte Arbeitgeber nutzen die üblichen Werkzeuge.",
}

TRANSLATIONS: dict[str, dict[str, str]] = {"fr": FR, "de": DE}


def translate(step: str, language: str) -> str:
    """One advice step in `language`; the English step when the language is not one we translate into."""
    return TRANSLATIONS.get(language, {}).get(step, step)
