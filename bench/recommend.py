"""Recommendation benchmark: next-matter hit rate at 5 on held-out people, of the history model
(functions/pages/history.py, as the page uses it) against the popularity fallback, in one run.

The histories are generated (GENERATOR below, its parameters fixed and committed before the
model was evaluated on them): thousands of people and enterprises whose life events follow
the seed's scenarios (infra/seed/scenarios.json: 一件事 such as 出生, 就业, 退休, 开办企业),
each scenario's matters done mostly in the scenario's order, some skipped or swapped, its
questions' extra matters added as answered, and unrelated matters (drawn by the catalogue's
popularity) sprinkled in between, as people do.

Training counts what intake counts as applications complete (recommend_store): the matter
completed right after another, and completions per county. Each held-out person is then
replayed: before each of their completions (after the first), both models predict 5 matters
from what the city would know at that moment (the last completed matter, what is done), and a
hit is the matter they did next being among the 5.

Run:  python bench/recommend.py [--people N]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIOS = ROOT / "infra" / "seed" / "scenarios.json"
MATTERS = ROOT / "infra" / "seed" / "matters.json"

# ---- the generator and its parameters (fixed before the model was run on them) --------------
GENERATOR = {
    "seed": 20261201,
    "people": 6000,             # persons; enterprises are a third as many again
    "enterprise_share": 0.25,
    "holdout": 0.2,             # share of parties kept out of training
    "scenario_take": 0.6,       # chance a life stage's scenario happens to this party
    "skip": 0.15,               # chance a scenario's matter is not done
    "swap": 0.2,                # chance two neighbouring matters are done in the other order
    "answer_yes": 0.5,          # chance a question's extra matters are added
    "noise_per_event": 0.35,    # unrelated popular matters per scenario matter (on average)
}
COUNTIES = ["441402", "441403", "441481", "441424", "441423", "441422", "441426", "441427"]
COUNTY_WEIGHTS = [40, 55, 95, 90, 50, 35, 20, 20]
# Life stages: (scenario, youngest age it happens at, oldest), in life order.
PERSON_STAGES = [("S-P-JOB", 18, 35), ("S-P-MARRY", 22, 40), ("S-P-BIRTH", 23, 42),
                 ("S-P-HOME", 25, 50), ("S-P-SCHOOL", 29, 50), ("S-P-DEATH", 40, 85),
                 ("S-P-RETIRE", 55, 65)]
ENTERPRISE_STAGES = ["S-E-OPEN", "S-E-TAX", "S-E-HIRE", "S-E-ANNUAL", "S-E-CHANGE",
                     "S-E-BUILD", "S-E-CLOSE"]
ENTERPRISE_TAKE = {"S-E-OPEN": 0.7, "S-E-BUILD": 0.2, "S-E-CLOSE": 0.1}


def load() -> tuple[dict, dict]:
    scenarios = {s["code"]: s for s in json.loads(SCENARIOS.read_text(encoding="utf-8"))}
    matters = {m["code"]: m for m in json.loads(MATTERS.read_text(encoding="utf-8"))}
    return scenarios, matters


def scenario_events(rng: random.Random, scenario: dict, params: dict) -> list[str]:
    """One party going through one scenario: its matters in order, some skipped or swapped,
    the extra matters of the answers they give."""
    done = [c for c in scenario["base_matters"] if rng.random() >= params["skip"]]
    for q in scenario.get("questions", ()):
        if rng.random() < params["answer_yes"]:
            option = next((o for o in q["options"] if o["adds"]), None)
            if option:
                done += [c for c in option["adds"] if c not in done]
    for i in range(len(done) - 1):
        if rng.random() < params["swap"]:
            done[i], done[i + 1] = done[i + 1], done[i]
    return done


def life(rng: random.Random, kind: str, scenarios: dict, noise: tuple, params: dict) -> list[str]:
    """A party's completed matters, oldest first."""
    if kind == "person":
        age = rng.randint(18, 85)
        stages = [s for s, young, old in PERSON_STAGES
                  if young <= age and rng.random() < params["scenario_take"]]
    else:
        stages = [s for s in ENTERPRISE_STAGES
                  if rng.random() < ENTERPRISE_TAKE.get(s, params["scenario_take"])]
    events: list[str] = []
    codes, weights = noise
    for stage in stages:
        for code in scenario_events(rng, scenarios[stage], params):
            events.append(code)
            while rng.random() < params["noise_per_event"] / (1 + params["noise_per_event"]):
                events.append(rng.choices(codes, weights=weights)[0])
    out: list[str] = []
    for code in events:   # a matter done again at once is one completion in the counters
        if not out or out[-1] != code:
            out.append(code)
    return out


def generate(params: dict = GENERATOR) -> list[dict]:
    """Every party: {kind, county, events}, deterministic for the parameters."""
    rng = random.Random(params["seed"])
    scenarios, matters = load()
    noise = {}
    for kind in ("person", "enterprise"):
        pool = [m for m in matters.values()
                if m["region"] == "441400" and kind in m["audiences"] and m["popularity"] > 0]
        noise[kind] = ([m["code"] for m in pool], [m["popularity"] for m in pool])
    parties = []
    enterprises = int(params["people"] * params["enterprise_share"] / (1 - params[
        "enterprise_share"]))
    for i in range(params["people"] + enterprises):
        kind = "person" if i < params["people"] else "enterprise"
        county = rng.choices(COUNTIES, weights=COUNTY_WEIGHTS)[0]
        parties.append({"kind": kind, "county": county,
                        "events": life(rng, kind, scenarios, noise[kind], params)})
    rng.shuffle(parties)
    return parties


# ---- the measurement ------------------------------------------------------------------------

def train(parties: list[dict]) -> tuple[dict, dict]:
    """The counters intake keeps: transitions (matter -> next -> n) and county completions."""
    transitions: dict[str, dict[str, int]] = {}
    hot: dict[str, dict[str, int]] = {}
    for p in parties:
        county = hot.setdefault(p["county"], {})
        for i, code in enumerate(p["events"]):
            county[code] = county.get(code, 0) + 1
            if i:
                after = transitions.setdefault(p["events"][i - 1], {})
                after[code] = after.get(code, 0) + 1
    return transitions, hot


def replay(parties: list[dict], transitions: dict, hot: dict, top: int = 5) -> dict:
    """Hit rate at `top` of both models over every next completion of held-out parties."""
    from functions.pages import history

    _, matters = load()
    tries = model_hits = popular_hits = 0
    for p in parties:
        done: set[str] = set()
        recent: list[str] = []
        # as the page ranks: only matters for this kind of party (a matter's audiences)
        region = {c: n for c, n in hot.get(p["county"], {}).items()
                  if p["kind"] in matters[c]["audiences"]}
        for i, code in enumerate(p["events"]):
            if i:
                # what the page reads: the party's last completion and what followed it
                last = recent[:1]
                known = {m: transitions.get(m, {}) for m in last}
                guess = [c for c, _, _ in history.predict(recent, known, region,
                                                          exclude=done, top=top)]
                fallback = [c for c, _, _ in history.predict([], {}, region, exclude=done,
                                                             top=top)]
                tries += 1
                model_hits += code in guess
                popular_hits += code in fallback
            done.add(code)
            recent = [code] + [m for m in recent if m != code][:2]
    return {"tries": tries, "model": model_hits / tries, "popular": popular_hits / tries}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=GENERATOR["people"])
    args = ap.parse_args()
    params = {**GENERATOR, "people": args.people}
    parties = generate(params)
    events = sum(len(p["events"]) for p in parties)
    print(f"{len(parties)} parties, {events} completions "
          f"({events / len(parties):.1f} each); parameters {json.dumps(params)}")
    cut = int(len(parties) * (1 - params["holdout"]))
    transitions, hot = train(parties[:cut])
    print(f"trained on {cut} parties: {sum(map(len, transitions.values()))} transitions "
          f"from {len(transitions)} matters; held out {len(parties) - cut}")
    print(f"{'party':<11}{'next':>8}{'model@5':>10}{'popular@5':>11}{'ratio':>8}")
    for kind in ("person", "enterprise", "all"):
        held = [p for p in parties[cut:] if kind in ("all", p["kind"])]
        got = replay(held, transitions, hot)
        ratio = got["model"] / got["popular"] if got["popular"] else float("inf")
        print(f"{kind:<11}{got['tries']:>8}{got['model']:>10.3f}{got['popular']:>11.3f}"
              f"{ratio:>8.2f}")
    print("target: model@5 >= 2 x popular@5 (the 'all' row)")


if __name__ == "__main__":
    main()
