"""A client for `hotro serve` using only the Python 3 standard library.

    from hotro_client import Client
    c = Client("http://127.0.0.1:8080")
    answer = c.decide("2024-07-01", [{"person_id": "HT-0001", ...}])
    for r in answer["results"]:
        print(r["person_id"], r.get("eligible"), r.get("monthly_topup"), r.get("error"))

Money comes as a JSON string of whole đồng ("1230000"): use int() or
decimal.Decimal, never float. Errors are RFC 9457 problem details, raised as
Problem with their stable type key.
"""

import json
import urllib.error
import urllib.request

__all__ = ["Client", "Problem"]


class Problem(Exception):
    """An error answer (application/problem+json)."""

    def __init__(self, status, body):
        self.status = status
        self.body = body if isinstance(body, dict) else {"detail": str(body)}
        self.type = self.body.get("type", "")
        self.key = self.type.rsplit(":", 1)[-1]
        super().__init__("%s %s: %s" % (status, self.key, self.body.get("detail", "")))


class Client:
    def __init__(self, base_url, admin_token=None, timeout=60):
        self.base = base_url.rstrip("/")
        self.admin_token = admin_token
        self.timeout = timeout

    def _call(self, method, path, body=None, admin=False):
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if admin and self.admin_token:
            headers["Authorization"] = "Bearer " + self.admin_token
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                if resp.headers.get_content_type() == "application/json":
                    return json.loads(raw)
                return raw.decode("utf-8")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            raise Problem(e.code, body) from None

    def decide(self, date, records, explain=False, policy=None):
        body = {"date": date, "records": records, "explain": explain}
        if policy:
            body["policy"] = policy
        return self._call("POST", "/v1/decide", body)

    def schedule(self, month_from, month_to, records):
        return self._call("POST", "/v1/schedule", {"from": month_from, "to": month_to, "records": records})

    def quota(self, date, units, persons):
        return self._call("POST", "/v1/quota", {"date": date, "units": units, "persons": persons})

    def plan(self, date, units, persons):
        return self._call("POST", "/v1/plan", {"date": date, "units": units, "persons": persons})

    def impact(self, records, date=None, month_from=None, month_to=None, overrides=None, against=None):
        body = {"records": records}
        if date:
            body["date"] = date
        else:
            body["from"], body["to"] = month_from, month_to
        if overrides:
            body["overrides"] = overrides
        if against:
            body["against"] = against
        return self._call("POST", "/v1/impact", body)

    def rulesets(self):
        return self._call("GET", "/v1/rulesets")["rulesets"]

    def ruleset(self, set_id):
        return self._call("GET", "/v1/rulesets/" + urllib.request.quote(set_id))

    def status(self):
        return self._call("GET", "/v1/status")

    def ready(self):
        return self._call("GET", "/readyz")

    def openapi(self):
        return self._call("GET", "/openapi.json")

    def metrics(self):
        return self._call("GET", "/metrics")

    def reload(self):
        return self._call("POST", "/v1/admin/reload", admin=True)
