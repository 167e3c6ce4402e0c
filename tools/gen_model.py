#!/usr/bin/python3
"""Generate a large, valid scsms/1 model for benchmarks.

Standard library only; the same options and --seed always give the same bytes.

    tools/gen_model.py --scenarios 2000 --nodes 500 --legs 1500 \\
        --controls 300 --candidates 20 --seed 1 -o big.json

Counts:
  --nodes N        facilities (about 5 % out of scope, with a justification)
  --legs N         transport links between two distinct nodes (needs --nodes >= 2)
  --scenarios N    threat scenarios; each selects at least one in-scope element
                   (about 3 % are organisation-wide; all are when there are no
                   elements)
  --controls N     controls that are implemented, verified or retired
  --candidates N   planned controls (the control selection candidates), in
                   addition to --controls; total controls = controls + candidates
  --people N       people in the training programme (default 20)
  --audits N       internal audits, one a quarter back from as_of (default 4)

Every in-scope node and leg has annual_shipments, so any route over in-scope
elements can be scored (tools/gen_shipments.py). The document satisfies every
rule of FORMAT.md: ids unique (nodes and legs share one namespace), references
resolve, each scenario has exactly one of likelihood/frequency, results and
findings are consistent (METHOD.md section 8), done and verified actions have
`completed`.
"""
import argparse
import datetime
import json
import math
import random
import sys

NODE_TYPES = ["factory", "warehouse", "distribution_center", "port", "airport",
              "rail_terminal", "border_crossing", "container_yard", "office", "other"]
NODE_WEIGHTS = [8, 20, 14, 8, 5, 6, 4, 8, 2, 3]
MODES = ["road", "rail", "sea", "air", "inland_waterway", "pipeline", "multimodal"]
MODE_WEIGHTS = [50, 12, 18, 10, 5, 1, 4]
PARTNER_ROLES = ["supplier", "manufacturer", "carrier", "forwarder", "broker",
                 "warehouse_operator", "port_operator", "customer", "other"]
CATEGORIES = ["cargo_theft", "tampering", "smuggling", "stowaways", "terrorism",
              "hijacking", "sabotage", "unauthorized_access", "document_fraud",
              "cyber_attack", "insider_threat", "counterfeiting", "other"]
CONTROL_CATEGORIES = ["physical_security", "access_control", "personnel_security",
                      "cargo_security", "conveyance_security", "seal_security",
                      "information_security", "partner_security", "procedural_security",
                      "detection_response", "training_awareness", "other"]
CONS = ["people", "economic", "environment", "disruption", "reputation"]
SCHEMES = ["AEO-S", "AEO-F", "C-TPAT", "ISO28000", "TAPA-FSR", "TAPA-TSR"]
COUNTRIES = ["MY", "SG", "CN", "NL", "DE", "BE", "FR", "PL", "US", "MX", "CA", "GB", "AE", "IN", "VN"]
ISO = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "7.1", "7.2",
       "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "9.1", "9.2", "9.3",
       "10.1", "10.2"]
COURSES = [("SEC-AWARE", "Security awareness", 12), ("SEALS", "Seal verification", 24),
           ("INSPECT", "Conveyance inspection", 24), ("PARTNER", "Partner security review", 0),
           ("INCIDENT", "Incident response", 12), ("AUDITOR", "Internal auditor", 0)]
ROLES = [("R-SHIP", ["SEC-AWARE", "SEALS", "INSPECT"]), ("R-WH", ["SEC-AWARE", "INSPECT"]),
         ("R-SEC", ["SEC-AWARE", "PARTNER", "AUDITOR"]), ("R-TC", ["SEC-AWARE", "INCIDENT"])]


def iso(d):
    return d.isoformat()


def add_months(d, n):
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]
    return datetime.date(y, m + 1, min(d.day, last))


def r3(x):
    """Round to 3 significant digits so the numbers look hand-entered."""
    if x == 0:
        return 0
    e = math.floor(math.log10(abs(x))) - 2
    v = round(x / 10 ** e) * 10 ** e
    return int(v) if v >= 1000 else float("%.3g" % v)


class Gen:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.as_of = datetime.date.fromisoformat(a.as_of)

    def pick(self, seq, weights=None):
        if weights:
            return self.rnd.choices(seq, weights=weights)[0]
        return seq[self.rnd.randrange(len(seq))]

    def date_before(self, days_lo, days_hi):
        return self.as_of - datetime.timedelta(days=self.rnd.randint(days_lo, days_hi))

    # ------------------------------------------------------------ structure
    def partners(self):
        n = max(3, self.a.nodes // 10 + 5)
        out = []
        for i in range(n):
            p = {"id": "P%05d" % (i + 1), "name": "Partner %d" % (i + 1),
                 "role": self.pick(PARTNER_ROLES), "country": self.pick(COUNTRIES)}
            k = self.rnd.choice([0, 0, 1, 1, 2])
            if k:
                certs = []
                for s in self.rnd.sample(SCHEMES, k):
                    # about one certification in six has lapsed on as_of
                    days = self.rnd.randint(-200, 1000)
                    certs.append({"scheme": s, "number": "%s-%06d" % (s, self.rnd.randrange(10 ** 6)),
                                  "valid_until": iso(self.as_of + datetime.timedelta(days=days))})
                p["certifications"] = certs
            out.append(p)
        return out

    def nodes(self, partners):
        out = []
        for i in range(self.a.nodes):
            t = self.pick(NODE_TYPES, NODE_WEIGHTS)
            n = {"id": "N%06d" % (i + 1), "type": t, "name": "%s %d" % (t.replace("_", " "), i + 1),
                 "country": self.pick(COUNTRIES)}
            if t not in ("factory", "office") and self.rnd.random() < 0.7:
                n["operator"] = self.pick(partners)["id"]
            # keep the first two nodes in scope so that legs always have in-scope ends
            if i >= 2 and self.rnd.random() < 0.05:
                n["in_scope"] = False
                n["justification"] = "No cargo handled under the organisation's control."
            else:
                n["annual_shipments"] = self.rnd.randint(50, 20000)
            out.append(n)
        return out

    def legs(self, nodes, partners):
        out = []
        if self.a.legs and len(nodes) < 2:
            sys.exit("gen_model: --legs needs --nodes >= 2")
        for i in range(self.a.legs):
            f = self.rnd.randrange(len(nodes))
            t = self.rnd.randrange(len(nodes) - 1)
            if t >= f:
                t += 1
            mode = self.pick(MODES, MODE_WEIGHTS)
            leg = {"id": "L%06d" % (i + 1), "from": nodes[f]["id"], "to": nodes[t]["id"], "mode": mode}
            if self.rnd.random() < 0.8:
                leg["operator"] = self.pick(partners)["id"]
            if self.rnd.random() < 0.03:
                leg["in_scope"] = False
                leg["justification"] = "Carriage arranged by the customer."
            else:
                leg["annual_shipments"] = self.rnd.randint(20, 10000)
            out.append(leg)
        return out

    # ------------------------------------------------------------ scenarios
    def scenarios(self, nodes, legs):
        in_nodes = [n for n in nodes if n.get("in_scope", True)]
        in_legs = [l for l in legs if l.get("in_scope", True)]
        in_elems = [("node", n["id"]) for n in in_nodes] + [("leg", l["id"]) for l in in_legs]
        all_elems = [("node", n["id"]) for n in nodes] + [("leg", l["id"]) for l in legs]
        types = sorted({n["type"] for n in in_nodes})
        modes = sorted({l["mode"] for l in in_legs})
        out = []
        for i in range(self.a.scenarios):
            cat = self.pick(CATEGORIES)
            s = {"id": "S%06d" % (i + 1), "name": "%s scenario %d" % (cat.replace("_", " "), i + 1),
                 "category": cat}
            if not in_elems or self.rnd.random() < 0.03:
                s["targets"] = [{"organization": True}]
            else:
                # the first target always selects an in-scope element
                k = self.rnd.random()
                if k < 0.15 and types:
                    tg = [{"node_type": self.pick(types)}]
                elif k < 0.25 and modes:
                    tg = [{"mode": self.pick(modes)}]
                else:
                    kind, eid = self.pick(in_elems)
                    tg = [{kind: eid}]
                for _ in range(self.rnd.choice([0, 0, 1, 2])):
                    kind, eid = self.pick(all_elems)
                    tg.append({kind: eid})
                # an element selected twice counts once: duplicates are allowed
                s["targets"] = tg
            k = self.rnd.random()
            if k < 0.4:
                s["likelihood"] = self.rnd.choices([1, 2, 3, 4, 5], [15, 30, 30, 20, 5])[0]
            elif k < 0.8:
                s["frequency"] = {"rate": r3(math.exp(self.rnd.uniform(math.log(0.002), math.log(8))))}
            else:
                lo = r3(math.exp(self.rnd.uniform(math.log(0.005), math.log(2))))
                mode = r3(lo * self.rnd.uniform(1.5, 4))
                hi = r3(mode * self.rnd.uniform(1.5, 5))
                s["frequency"] = {"pert": {"min": lo, "mode": mode, "max": hi}}
            cons = {}
            for c in self.rnd.sample(CONS, self.rnd.randint(1, 3)):
                cons[c] = self.rnd.choices([1, 2, 3, 4, 5], [10, 25, 35, 22, 8])[0]
            s["consequence"] = {c: cons[c] for c in CONS if c in cons}
            k = self.rnd.random()
            if k < 0.25:
                mag = {"fixed": r3(self.rnd.uniform(1e3, 2e6))}
            elif k < 0.5:
                lo = r3(math.exp(self.rnd.uniform(math.log(2e3), math.log(5e5))))
                mag = {"lognormal": {"low": lo, "high": r3(lo * self.rnd.uniform(3, 50))}}
            elif k < 0.75:
                lo = r3(self.rnd.uniform(0, 1e5))
                mode = r3(lo + self.rnd.uniform(1e3, 5e5))
                mag = {"pert": {"min": lo, "mode": mode, "max": r3(mode * self.rnd.uniform(1.5, 6))}}
            else:
                mag = None
            if mag is not None:
                if cat in ("cargo_theft", "hijacking", "tampering") and self.rnd.random() < 0.7:
                    mag["cargo_fraction"] = self.pick([0.1, 0.25, 0.5, 0.8, 1])
                s["magnitude"] = mag
            out.append(s)
        return out

    # ------------------------------------------------------------ controls
    def controls(self, scenarios, nodes, legs):
        if (self.a.controls or self.a.candidates) and not scenarios:
            sys.exit("gen_model: controls need at least one scenario (effects are required)")
        in_nodes = [n for n in nodes if n.get("in_scope", True)]
        types = sorted({n["type"] for n in nodes})
        modes = sorted({l["mode"] for l in legs})
        out = []
        total = self.a.controls + self.a.candidates
        for i in range(total):
            planned = i >= self.a.controls
            cat = self.pick(CONTROL_CATEGORIES)
            c = {"id": "C%06d" % (i + 1), "name": "%s measure %d" % (cat.replace("_", " "), i + 1),
                 "category": cat}
            if planned:
                c["status"] = "planned"
                c["owner"] = "Owner %d" % self.rnd.randint(1, 12)
                c["due"] = iso(self.as_of + datetime.timedelta(days=self.rnd.randint(-60, 400)))
            else:
                c["status"] = self.rnd.choices(["implemented", "verified", "retired"], [55, 35, 10])[0]
                c["owner"] = "Owner %d" % self.rnd.randint(1, 12)
            c["annual_cost"] = r3(self.rnd.uniform(1e3, 1.5e5))
            if (nodes or legs) and self.rnd.random() < 0.25:
                at = []
                for _ in range(self.rnd.randint(1, 3)):
                    k = self.rnd.random()
                    if k < 0.4 and in_nodes:
                        at.append({"node": self.pick(in_nodes)["id"]})
                    elif k < 0.6 and legs:
                        at.append({"leg": self.pick(legs)["id"]})
                    elif k < 0.8 and types:
                        at.append({"node_type": self.pick(types)})
                    elif modes:
                        at.append({"mode": self.pick(modes)})
                    else:
                        at.append({"node": self.pick(nodes)["id"]})
                c["applies_to"] = at
            if self.rnd.random() < 0.2:
                role, courses = self.pick(ROLES)
                c["requires"] = [{"role": role, "course": self.pick(courses)}]
            c["addresses"] = ["ISO28000:2022#" + self.pick(ISO[15:21])]
            effects = []
            for sc in self.rnd.sample(scenarios, min(len(scenarios), self.rnd.randint(1, 4))):
                e = {"scenario": sc["id"]}
                rl = self.pick([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
                ri = self.pick([0, 0, 0.1, 0.2, 0.3])
                if rl == 0 and ri == 0:
                    rl = 0.25
                if rl:
                    e["likelihood_reduction"] = rl
                if ri:
                    e["impact_reduction"] = ri
                effects.append(e)
            c["effects"] = effects
            out.append(c)
        return out

    # ------------------------------------------------------------ training
    def training(self):
        courses = [{"id": i, "name": n, "validity_months": v} for i, n, v in COURSES]
        roles = [{"id": r, "courses": cs} for r, cs in ROLES]
        people = []
        for i in range(self.a.people):
            rs = self.rnd.sample([r for r, _ in ROLES], self.rnd.choice([1, 1, 1, 2]))
            recs = []
            for r in rs:
                for co in dict(ROLES)[r]:
                    if any(x["course"] == co for x in recs) or self.rnd.random() < 0.05:
                        continue   # a missing record now and then
                    recs.append({"course": co, "completed": iso(self.date_before(0, 900))})
            people.append({"id": "E%05d" % (i + 1), "roles": rs, "records": recs})
        return courses, roles, people

    # ------------------------------------------------------------ audits
    def audits(self):
        audits, findings, actions = [], [], []
        for i in range(self.a.audits):
            d = add_months(self.as_of, -3 * (self.a.audits - i))
            aid = "A%03d" % (i + 1)
            results = []
            for req in ISO:
                if self.rnd.random() < 0.4:
                    continue
                res = self.rnd.choices(["conform", "observation", "ofi", "minor", "major"],
                                       [80, 8, 6, 5, 1])[0]
                results.append({"requirement": "ISO28000:2022#" + req, "result": res})
                if res == "conform":
                    continue
                fid = "%s-F%02d" % (aid, len(findings) + 1)
                findings.append({"id": fid, "audit": aid, "requirement": "ISO28000:2022#" + req,
                                 "grade": res, "raised": iso(d)})
                if res in ("minor", "major"):
                    st = self.pick(["open", "in_progress", "done", "verified"])
                    ac = {"id": fid + "-A1", "finding": fid, "owner": "Owner %d" % self.rnd.randint(1, 12),
                          "due": iso(d + datetime.timedelta(days=90 if res == "major" else 180)),
                          "status": st}
                    if st in ("done", "verified"):
                        ac["completed"] = iso(d + datetime.timedelta(days=self.rnd.randint(10, 80)))
                    actions.append(ac)
            audits.append({"id": aid, "type": "internal", "date": iso(d), "auditor": "Internal audit",
                           "results": results})
        # one surveillance audit after the certificate (issued 14 months before as_of)
        audits.append({"id": "A-SURV", "type": "surveillance", "date": iso(add_months(self.as_of, -3)),
                       "auditor": "Generated Certification Body",
                       "results": [{"requirement": "ISO28000:2022#" + r, "result": "conform"}
                                   for r in ("5.1", "8.1", "9.2", "9.3")]})
        return audits, findings, actions

    def model(self):
        partners = self.partners()
        nodes = self.nodes(partners)
        legs = self.legs(nodes, partners)
        scenarios = self.scenarios(nodes, legs)
        controls = self.controls(scenarios, nodes, legs)
        courses, roles, people = self.training()
        audits, findings, actions = self.audits()
        return {
            "format": "scsms/1",
            "organization": {"name": "Generated Benchmark Organisation (seed %d)" % self.a.seed,
                             "scope": "Synthetic model written by tools/gen_model.py",
                             "currency": "USD", "country": "NL"},
            "settings": {"as_of": iso(self.as_of)},
            "partners": partners, "nodes": nodes, "legs": legs,
            "scenarios": scenarios, "controls": controls,
            "courses": courses, "roles": roles, "people": people,
            "audits": audits, "findings": findings, "actions": actions,
            "reviews": [{"date": iso(add_months(self.as_of, -5)), "chair": "Managing Director"}],
            "certificate": {"body": "Generated Certification Body", "issued": iso(add_months(self.as_of, -14))},
            "x-generator": "tools/gen_model.py seed=%d scenarios=%d nodes=%d legs=%d controls=%d candidates=%d" % (
                self.a.seed, self.a.scenarios, self.a.nodes, self.a.legs, self.a.controls, self.a.candidates),
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=100)
    ap.add_argument("--nodes", type=int, default=50)
    ap.add_argument("--legs", type=int, default=100)
    ap.add_argument("--controls", type=int, default=40)
    ap.add_argument("--candidates", type=int, default=10)
    ap.add_argument("--people", type=int, default=20)
    ap.add_argument("--audits", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2026-06-30", help="settings.as_of (default 2026-06-30)")
    ap.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    ap.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    a = ap.parse_args()
    for k in ("scenarios", "nodes", "legs", "controls", "candidates", "people", "audits"):
        if getattr(a, k) < 0:
            ap.error("--%s must be >= 0" % k)
    try:
        datetime.date.fromisoformat(a.as_of)
    except ValueError:
        ap.error("--as-of must be a date YYYY-MM-DD")
    doc = Gen(a).model()
    text = json.dumps(doc, indent=a.indent, ensure_ascii=False,
                      separators=None if a.indent is not None else (",", ":")) + "\n"
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
