"""TLP markings: the STIX 2.1 TLP marking-definition objects and the MISP `tlp:` tags.

`green`, `amber` and `red` are the marking definitions of the STIX 2.1 specification (section 7.2.1.4);
`clear` and `amber+strict`, which TLP 1.0 lacks, are the OASIS TLP 2.0 marking definitions (extension
`extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`), as misp-stix writes them.
"""

from __future__ import annotations

from typing import Any

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
_TLP2_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
_TLP1_IDS = {
    "clear": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",  # TLP:WHITE
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
TLP_BY_MARKING = {**{v: k for k, v in _TLP2_IDS.items()}, **{v: k for k, v in _TLP1_IDS.items()}}
"""Marking-definition id -> TLP name, for both TLP versions (what an import recognises)."""


def stix_marking(tlp: str) -> Any:
    """The marking-definition object for a TLP name."""
    import stix2.v21

    if tlp in ("clear", "amber+strict"):
        return stix2.v21.MarkingDefinition(
            id=_TLP2_IDS[tlp], created="2022-10-01T00:00:00.000Z", name=f"TLP:{tlp.upper()}",
            extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}})
    return {"green": stix2.v21.TLP_GREEN, "amber": stix2.v21.TLP_AMBER, "red": stix2.v21.TLP_RED}[tlp]


def misp_tag(tlp: str) -> str:
    return f"tlp:{tlp}"


def tlp_of_tags(tags: list[str]) -> str | None:
    """The TLP named by MISP tags (`tlp:amber`, `tlp:white` = clear), if any."""
    for tag in tags:
        if tag.lower().startswith("tlp:"):
            value = tag[4:].lower().strip('"')
            return "clear" if value == "white" else value
    return None
