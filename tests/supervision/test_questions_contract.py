"""The questions' answers hold to openapi.yaml, through a question's life."""
from __future__ import annotations

import jsonschema

from tests.helpers import SPEC, ok
from tests.supervision.question_factories import QUESTIONS, QUEUE, ask, company, officer


def check(ref: str, body: dict) -> dict:
    jsonschema.Draft202012Validator({**SPEC, "$ref": f"#/components/schemas/{ref}"}).validate(
        body)
    return body


def test_a_question_through_its_life_validates(client, token, settings):
    f = company(settings, token)
    q = check("Question", ask(client, f["headers"], department="SCJGJ",
                              matter="441400-SCJGJ-0018"))
    check("Question", ask(client, f["headers"], subject=None))
    check("QuestionList", ok(client.get(QUESTIONS, headers=f["headers"])))
    check("Question", ok(client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"])))
    scj = officer(token, "SCJGJ", "441400")
    check("QuestionQueue", ok(client.get(QUEUE, headers=scj)))
    check("OfficerQuestion", ok(client.get(f"{QUEUE}/{q['id']}", headers=scj)))
    done = check("OfficerQuestion", ok(client.post(f"{QUEUE}/{q['id']}/answer", headers=scj,
                                                   json={"answer": "可以。"})))
    assert done["status"] == "answered"
    check("QuestionQueue", ok(client.get(QUEUE, headers=scj,
                                         query_string={"status": "answered"})))
    check("Error", ok(client.post(f"{QUEUE}/{q['id']}/answer", headers=scj,
                                  json={"answer": "再答"}), 409))
    check("Error", ok(client.post(QUESTIONS, headers=f["headers"], json={"text": "问"}), 422))
