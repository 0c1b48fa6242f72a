"""Smoke test of a live `hotro serve`: every endpoint once, with values
worked by hand from examples/persons.csv on 2024-07-01.

    python3 clients/python/smoke.py http://127.0.0.1:PORT [ADMIN_TOKEN]

Prints "N passed, M failed" and exits 1 on any failure.
"""

import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hotro_client import Client, Problem  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PERSONS = os.path.join(HERE, "..", "..", "examples", "persons.csv")

passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok    " + name)
    else:
        failed += 1
        print("FAIL  %s %s" % (name, detail))


def problem_key(fn):
    try:
        fn()
    except Problem as p:
        return p.status, p.key
    return None, None


def main():
    base = sys.argv[1]
    token = sys.argv[2] if len(sys.argv) > 2 else None
    c = Client(base, admin_token=token)
    with open(PERSONS, encoding="utf-8") as f:
        records = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(f)]

    ready = c.ready()
    check("readyz names the hashes", ready["ready"] and all(len(r["hash"]) == 64 for r in ready["rulesets"]), ready)

    d = c.decide("2024-07-01", records + [{"person_id": "BAD", "birth_date": "2020-02-30"}], explain=True)
    got = {r["person_id"]: (r.get("eligible"), r.get("monthly_topup")) for r in d["results"]}
    check("one result per record, in order", [r["person_id"] for r in d["results"]] == [r["person_id"] for r in records] + ["BAD"])
    check("HT-0001 1,500,000 - 270,000", got["HT-0001"] == (True, "1230000"), got["HT-0001"])
    check("HT-0002 1,500,000 - 2.0 x 500,000", got["HT-0002"] == (True, "500000"), got["HT-0002"])
    check("HT-0012 not resident", got["HT-0012"] == (False, "0"), got["HT-0012"])
    check("total 6,080,000", sum(int(r.get("monthly_topup") or 0) for r in d["results"]) == 6080000)
    check("a bad record has its error", "birth_date" in d["results"][-1].get("error", ""))
    check("answer names the rule set", d["ruleset"]["id"] == "hatinh-nq179-2020-2025" and len(d["ruleset"]["hash"]) == 64)
    check("explain gives reasons with citations", all(r["cites"] for r in d["results"][0]["reasons"]))

    s = c.schedule("2024-06", "2024-07", records[1:2])
    months = [(m["month"], m["monthly_topup"]) for m in s["results"][0]["months"]]
    check("schedule HT-0002 June 780,000, July 500,000", months == [("2024-06", "780000"), ("2024-07", "500000")], months)

    units = [{"unit_id": "U1", "level": "commune", "kind": "commune", "place": "18112", "capacity_persons": 1}]
    q = c.quota("2024-07-01", units, records)
    check("quota commune_min 2", q["plan"]["units"][0]["obligation"] == 2, q["plan"]["units"])
    p = c.plan("2024-07-01", units, records)
    check("plan U1 sponsors HT-0001", p["plan"]["sponsorships"][0].get("focal") == "U1", p["plan"]["sponsorships"][0])

    i = c.impact(records, date="2024-07-01", overrides={"poverty_line": {"rural": "1600000", "urban": "2000000"}})
    check("impact +200,000", i["report"]["summary"]["delta"] == "200000", i["report"]["summary"])

    sets = c.rulesets()
    check("rulesets", [x["id"] for x in sets] == ["hatinh-nq179-2020-2025", "hatinh-draft-2026-2030"], sets)
    detail = c.ruleset("hatinh-nq179-2020-2025")
    check("ruleset detail has parameters", any(x["name"] == "poverty_line" for x in detail["parameters"]))
    check("openapi 3.1", c.openapi()["openapi"] == "3.1.0")
    check("metrics", "hotro_decisions_total" in c.metrics())
    check("status ok", c.status()["ok"])

    check("bad date is 400 bad-request", problem_key(lambda: c.decide("2024-02-30", records)) == (400, "bad-request"))
    check("no rule set in 2019 is 422", problem_key(lambda: c.decide("2019-01-01", records)) == (422, "no-rule-set"))
    if token:
        st = c.reload()
        check("admin reload", st["ok"], st)
        check("reload with a wrong token is 401", problem_key(Client(base, admin_token="wrong").reload) == (401, "unauthorized"))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
