"""Small organisations with multilingual campaigns: each persona writes in its own language, and the campaign's
texts are translations of one another (one index of the phrase banks, whose entries are aligned across languages)."""

from __future__ import annotations

from falsefriends.simulate.banks import default_banks
from falsefriends.simulate.organisation import build_organisation

IDEAS = {"offer": ("offer_paid_notes", "offer_trip", "offer_job", "assessment_invite"),
         "move": ("move_off_platform",), "request": ("request_notes",)}


def test_personas_of_one_campaign_write_in_different_languages_with_translated_templates() -> None:
    banks = default_banks()
    world = build_organisation(8, 5, multilingual=True)
    several = [c for c in world.campaigns if len(c.personas) > 1]
    assert several
    for campaign in world.campaigns:
        languages = [p.language for p in campaign.personas]
        assert len(set(languages)) == len(languages)  # one language per persona, up to three
        assert set(languages) <= set(campaign.translations)
        for stage, ideas in IDEAS.items():
            positions = set()
            for language, texts in campaign.translations.items():
                found = [(idea, banks.templates(language, "hostile", idea).index(texts[stage]))
                         for idea in ideas if texts[stage] in banks.templates(language, "hostile", idea)]
                assert found, (campaign.id, stage, language)
                positions.add(found[0])
            assert len(positions) == 1, (campaign.id, stage, positions)
    # Each persona's messages are in its own language's version.
    by_url = {p.url: p for c in world.campaigns for p in c.personas}
    for msg in world.messages:
        if msg.campaign and msg.sender.url in by_url and msg.stage == "offer":
            campaign = next(c for c in world.campaigns if c.id == msg.campaign)
            offer = campaign.translations[by_url[msg.sender.url].language]["offer"]
            assert offer.split("{")[0][:15].strip() in msg.content or "<" in msg.content


def test_the_default_world_keeps_one_language_per_campaign() -> None:
    world = build_organisation(20, 3)
    for campaign in world.campaigns:
        assert {p.language for p in campaign.personas} == {campaign.language}
        assert not campaign.translations
