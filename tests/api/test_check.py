"""POST /v1/check and /v1/check/batch speak the CLI batch contract; the rules can be listed and explained."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.conftest import bearer
from falsefriends.api.roles import Role
from falsefriends.batch import MAX_TEXT_CHARS, BatchResult, run_batch
from falsefriends.check import Checker

APPROACH = ("Dear colleague, I am a headhunter for a consulting firm. We offer generous remuneration for short "
            "analysis reports on your ministry's policy. Let us continue this conversation on WhatsApp.")


def batch_line(checker: Checker, line: dict[str, object]) -> dict[str, object]:
    return next(run_batch([json.dumps(line).encode()], checker, BatchResult()))


def test_check_answers_the_batch_contract_plus_advice(client: TestClient, tokens: dict[Role, str],
                                                      checker: Checker) -> None:
    line = {"id": "m1", "text": APPROACH, "profile": {"headline": "Senior headhunter", "employer": "X"}}
    response = client.post("/v1/check", json=line, headers=bearer(tokens[Role.VIEWER]))
    assert response.status_code == 200
    body = response.json()
    advice = body.pop("advice")
    assert body.pop("reader_language") == "en"
    assert body == batch_line(checker, line)
    assert body["level"] in ("medium", "high")
    assert "M3" in body["indicators"]
    off_platform = next(e for e in body["evidence"] if e["indicator"] == "M3")
    start, end = off_platform["span"]
    assert APPROACH[start:end] == off_platform["excerpt"]
    assert any("WhatsApp" in step for step in advice)


def test_check_needs_an_account_unless_public(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app()) as closed:
        refused = closed.post("/v1/check", json={"text": APPROACH})
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"
    with TestClient(make_app(public_check=True)) as public:
        assert public.post("/v1/check", json={"text": APPROACH}).status_code == 200


def test_check_enforces_the_batch_limits_and_fields(client: TestClient, tokens: dict[Role, str]) -> None:
    auth = bearer(tokens[Role.VIEWER])
    too_long = client.post("/v1/check", json={"text": "x" * (MAX_TEXT_CHARS + 1)}, headers=auth)
    assert too_long.status_code == 422
    assert "limit" in too_long.json()["error"]["message"]
    unknown = client.post("/v1/check", json={"text": "hi", "evil": 1}, headers=auth)
    assert unknown.status_code == 422
    assert "'evil'" in unknown.json()["error"]["message"]
    bad_profile = client.post("/v1/check", json={"profile": {"connections": -1}}, headers=auth)
    assert bad_profile.status_code == 422
    assert "profile.connections" in bad_profile.json()["error"]["message"]
    huge = client.post("/v1/check", content=b" " * 1_000_001, headers={**auth, "content-type": "application/json"})
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "too_large"


def test_batch_endpoint_keeps_order_and_reports_bad_lines(client: TestClient, tokens: dict[Role, str]) -> None:
    body = b'{"id": 1, "text": "hello"}\nnot json\n{"id": 3, "text": "' + APPROACH.encode() + b'"}\n'
    response = client.post("/v1/check/batch", content=body,
                           headers={**bearer(tokens[Role.VIEWER]), "content-type": "application/x-ndjson"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line.get("id") for line in lines] == [1, None, 3]
    assert lines[1]["line"] == 2 and "not valid JSON" in lines[1]["error"]
    assert response.headers["x-lines-failed"] == "1"


def test_rules_are_listed_filtered_and_explained(client: TestClient, tokens: dict[Role, str],
                                                 checker: Checker) -> None:
    auth = bearer(tokens[Role.VIEWER])
    rules = client.get("/v1/rules", headers=auth).json()
    assert len(rules) == len(checker.rules.rules)
    only_m3 = client.get("/v1/rules", params={"indicator": "m3"}, headers=auth).json()
    assert only_m3 and all(r["indicator"] == "M3" for r in only_m3)
    detail = client.get(f"/v1/rules/{only_m3[0]['id']}", headers=auth).json()
    assert detail["patterns"] and detail["examples"] and detail["location"].endswith(tuple("0123456789"))
    missing = client.get("/v1/rules/no-such-rule", headers=auth)
    assert missing.status_code == 404
    assert missing.json() == {"error": {"status": 404, "code": "not_found",
                                        "message": "no rule with id 'no-such-rule'", "details": []}}


POISON = {
    "surrogate in text": b'{"id": "s", "text": "\\ud800"}',
    "surrogate in id": b'{"id": "\\ud800", "text": "hello"}',
    "1,000 deep": b'{"id": "deep", "profile": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "5,000-digit integer": b'{"id": ' + b"9" * 5000 + b', "text": "x"}',
    "NaN": b'{"text": NaN}',
}


def test_check_answers_422_never_500_for_poison_bodies(client: TestClient, tokens: dict[Role, str]) -> None:
    headers = {**bearer(tokens[Role.VIEWER]), "content-type": "application/json"}
    for name, body in POISON.items():
        response = client.post("/v1/check", content=body, headers=headers)
        assert response.status_code == 422, (name, response.text)
        error = response.json()["error"]
        assert error["code"] == "invalid_request" and error["status"] == 422, name
    bom = client.post("/v1/check", content=b'\xef\xbb\xbf{"text": "hello"}', headers=headers)
    assert bom.status_code == 200


def test_batch_answers_200_with_an_error_line_for_each_poison_line(client: TestClient,
                                                                    tokens: dict[Role, str]) -> None:
    body = (b'\xef\xbb\xbf{"id": "first", "text": "hello"}\n' + b"\n".join(POISON.values())
            + b'\n\n{"id": "last", "text": "hello"}\n')
    response = client.post("/v1/check/batch", content=body,
                           headers={**bearer(tokens[Role.VIEWER]), "content-type": "application/x-ndjson"})
    assert response.status_code == 200, response.text
    lines = [json.loads(line) for line in response.content.splitlines()]
    assert len(lines) == len(POISON) + 3
    assert lines[0]["id"] == "first" and lines[-1]["id"] == "last"
    assert all(set(line) == {"id", "line", "error"} for line in lines[1:-1])
    assert lines[-2] == {"id": None, "line": len(POISON) + 2, "error": "blank line"}
    assert response.headers["x-lines-failed"] == str(len(POISON) + 1)


def test_check_answers_in_the_readers_language(client: TestClient, tokens: dict[Role, str]) -> None:
    from falsefriends.advice_translations import TRANSLATIONS

    french = {"id": "fr1", "text": "Nous cherchons un profil crypto Web3 pour notre startup NFT, merci de cloner le "
                                   "repo GitHub et npm install avant l'entretien."}
    body = client.post("/v1/check", json=french, headers=bearer(tokens[Role.VIEWER])).json()
    assert body["reader_language"] == "fr" and body["advice"][0] in TRANSLATIONS["fr"].values()
    assert all(e["rule"].startswith("fr-") for e in body["evidence"] if e["detector"] == "rules")  # no EN/DE twin
    german = client.post("/v1/check?lang=de", json=french, headers=bearer(tokens[Role.VIEWER])).json()
    assert german["reader_language"] == "de" and german["advice"][0] in TRANSLATIONS["de"].values()
    refused = client.post("/v1/check?lang=it", json=french, headers=bearer(tokens[Role.VIEWER]))
    assert refused.status_code == 422
