"""Consultation endpoints: an enterprise's questions to a department (企业找政府) and the
officers' queue and answers. Each view parses, calls one use case in service.py and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from ..core import clock
from ..core.auth import principal, require_role
from ..core.http import body, decode_key, paged, query
from . import schemas, service

bp = Blueprint("supervision", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from . import cards_routes

    cards_routes.register(app)
    from . import ratings_routes

    app.register_blueprint(bp)
    from . import report_routes

    report_routes.register(app)
    from . import indicators_routes

    indicators_routes.register(app)
    ratings_routes.register(app)


def _settings():
    return current_app.config["SETTINGS"]


@bp.post("/me/questions")
def ask_question():
    args = body(schemas.QuestionCreate())
    got, replayed = service.ask(_settings(), principal(), **args, now=clock.now(),
                                idem_key=request.headers.get("Idempotency-Key"))
    resp = jsonify(got)
    if replayed:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp, 201


@bp.get("/me/questions")
def my_questions():
    args = query(schemas.QuestionsQuery())
    return paged(*service.mine(_settings(), principal(), limit=args["limit"],
                               start=decode_key(args["cursor"]), now=clock.now()))


@bp.get("/me/questions/<qid>")
def my_question(qid: str):
    return jsonify(service.get_mine(_settings(), principal(), qid, now=clock.now()))


@bp.get("/officer/questions")
@require_role("officer")
def officer_questions():
    args = query(schemas.QueueQuery())
    return paged(*service.queue(_settings(), principal(), status=args["status"],
                                limit=args["limit"], start=decode_key(args["cursor"]),
                                now=clock.now()))


@bp.get("/officer/questions/<qid>")
@require_role("officer")
def officer_question(qid: str):
    return jsonify(service.officer_get(_settings(), principal(), qid, now=clock.now()))


@bp.post("/officer/questions/<qid>/answer")
@require_role("officer")
def answer_question(qid: str):
    text = body(schemas.QuestionAnswer())["answer"]
    return jsonify(service.answer(_settings(), principal(), qid, text=text, now=clock.now()))
