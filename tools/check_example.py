#!/usr/bin/python3
"""Independent checker for scsms/1 documents and shipment files.

Standard library only (Debian /usr/bin/python3). Written from FORMAT.md and
METHOD.md without looking at the C loader, so that it is a second opinion on
the bundled examples, not a copy of the library.

    tools/check_example.py MODEL.json [...]          validate; exit 1 on errors
    tools/check_example.py --report MODEL.json       also print the risk register
                                                     (inherent/current/target),
                                                     training coverage, compliance
                                                     and readiness on as_of
    tools/check_example.py CATALOGUE.json            a stand-alone catalogue object
                                                     ({"id", "name", "requirements"})
    tools/check_example.py --selftest ROOT [SCSMS]   check every bundled example and the
                                                     generators (and with SCSMS, the
                                                     `scsms validate` of each); used by
                                                     meson test
    tools/check_example.py --shipments FILE MODEL    check a shipments file
                                                     (CSV or JSONL) against MODEL

It checks every rule of FORMAT.md it knows of, but it is a development aid:
the library's loader is the authority.
"""
import argparse
import csv
import datetime
import io
import json
import math
import re
import sys

ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PARTNER_ROLES = ["supplier", "manufacturer", "carrier", "forwarder", "broker",
                 "warehouse_operator", "port_operator", "customer", "other"]
NODE_TYPES = ["factory", "warehouse", "distribution_center", "port", "airport",
              "rail_terminal", "border_crossing", "container_yard", "office", "other"]
MODES = ["road", "rail", "sea", "air", "inland_waterway", "pipeline", "multimodal"]
CATEGORIES = ["cargo_theft", "tampering", "smuggling", "stowaways", "terrorism",
              "hijacking", "sabotage", "unauthorized_access", "document_fraud",
              "cyber_attack", "insider_threat", "counterfeiting", "other"]
CONTROL_CATEGORIES = ["physical_security", "access_control", "personnel_security",
                      "cargo_security", "conveyance_security", "seal_security",
                      "information_security", "partner_security", "procedural_security",
                      "detection_response", "training_awareness", "other"]
CONTROL_STATUSES = ["planned", "implemented", "verified", "retired"]
CONS = ["people", "economic", "environment", "disruption", "reputation"]
AUDIT_TYPES = ["internal", "stage1", "stage2", "surveillance", "recertification",
               "partner", "customs_validation"]
RESULTS = ["conform", "observation", "ofi", "minor", "major"]
GRADES = ["major", "minor", "observation", "ofi"]
ACTION_STATUSES = ["open", "in_progress", "done", "verified"]
ISO_CLAUSES = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "6.3",
               "7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "8.4", "8.5",
               "8.6", "9.1", "9.2", "9.3", "10.1", "10.2"]

DEFAULT_LIKELIHOOD = [("rare", 0.005, 0.01), ("unlikely", 0.05, 0.1),
                      ("possible", 0.5, 1), ("likely", 5, 10), ("almost certain", 20, None)]
DEFAULT_CONSEQUENCE = [("negligible", 5e3, 1e4), ("minor", 5e4, 1e5),
                       ("moderate", 5e5, 1e6), ("major", 5e6, 1e7), ("severe", 2e7, None)]
DEFAULT_RISK_LEVELS = [("low", 1), ("medium", 5), ("high", 10), ("critical", 17)]
DEFAULT_ASSURANCE = {"AEO-S": 0.7, "AEO-F": 0.7, "C-TPAT": 0.7, "ISO28000": 0.8,
                     "TAPA-FSR": 0.8, "TAPA-TSR": 0.8}
Z90 = 1.6448536269514722


# ---------------------------------------------------------------- parsing
class Dup:
    """Marker for a repeated member name (kept so that paths can name it)."""


def _pairs(pairs):
    d = {}
    dups = []
    for k, v in pairs:
        if k in d:
            dups.append(k)
        d[k] = v
    if dups:
        d["\0dups"] = dups
    return d


def _const(name):
    raise ValueError("non-JSON constant " + name)


def loads_strict(text):
    return json.loads(text, object_pairs_hook=_pairs, parse_constant=_const)


def path_key(path, key):
    if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
        return path + "." + key
    return path + "[" + json.dumps(key, ensure_ascii=False) + "]"


def parse_date(s):
    if not isinstance(s, str) or not DATE_RE.match(s):
        return None
    try:
        return datetime.date(int(s[:4]), int(s[5:7]), int(s[8:10]))
    except ValueError:
        return None


def add_months(d, n):
    y, m = divmod(d.year * 12 + (d.month - 1) + n, 12)
    m += 1
    if y < 1:
        return datetime.date(1, 1, 1)
    if y > 9999:
        return datetime.date(9999, 12, 31)
    import calendar
    last = calendar.monthrange(y, m)[1]
    return datetime.date(y, m, min(d.day, last))


def add_days(d, n):
    try:
        return d + datetime.timedelta(days=n)
    except OverflowError:
        return datetime.date(9999, 12, 31) if n > 0 else datetime.date(1, 1, 1)


# ---------------------------------------------------------------- validation
class Checker:
    def __init__(self):
        self.errors = []

    def err(self, path, msg):
        self.errors.append("%s: %s" % (path, msg))

    # generic helpers -------------------------------------------------
    def obj(self, v, path, required, optional, ext=True):
        """Check that v is an object with known keys; False when it is not an object."""
        if not isinstance(v, dict):
            self.err(path, "expected an object")
            return False
        for k in v.get("\0dups", []):
            self.err(path_key(path, k), "repeated member")
        for k in v:
            if k == "\0dups":
                continue
            if k.startswith("x-") and ext:
                continue
            if k not in required and k not in optional:
                self.err(path_key(path, k), "unknown key")
        for k in required:
            if k not in v:
                self.err(path_key(path, k), "missing required key")
        return True   # (not v: an empty object is still an object)

    def string(self, v, path, required=True):
        if not isinstance(v, str):
            self.err(path, "expected a string")
            return False
        if required and v == "":
            self.err(path, "empty required string")
            return False
        return True

    def ident(self, v, path):
        if not isinstance(v, str) or not ID_RE.match(v):
            self.err(path, "not a valid id: %r" % (v,))
            return False
        return True

    def number(self, v, path, lo=None, hi=None, lo_open=False, hi_open=False, integer=False):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(path, "expected a number")
            return None
        x = float(v)
        if not math.isfinite(x):
            self.err(path, "not finite")
            return None
        if integer and x != math.floor(x):
            self.err(path, "expected an integer")
            return None
        if lo is not None and (x < lo or (lo_open and x == lo)):
            self.err(path, "out of range: %r" % v)
            return None
        if hi is not None and (x > hi or (hi_open and x == hi)):
            self.err(path, "out of range: %r" % v)
            return None
        return int(x) if integer else x

    def date(self, v, path):
        d = parse_date(v)
        if d is None:
            self.err(path, "expected a real date YYYY-MM-DD, found %r" % (v,))
        return d

    def enum(self, v, path, table):
        if v not in table:
            self.err(path, "expected one of %s, found %r" % ("|".join(table), v))
            return False
        return True

    def array(self, v, path, nonempty=False):
        if not isinstance(v, list):
            self.err(path, "expected an array")
            return []
        if nonempty and not v:
            self.err(path, "expected a non-empty array")
        return v

    def code(self, v, path, n):
        if not isinstance(v, str) or not re.match("^[A-Z]{%d}$" % n, v):
            self.err(path, "expected %d capital letters" % n)


def band(scale, x):
    for k, (_, _, mx) in enumerate(scale):
        if mx is None:
            return k + 1
        if x < mx * (1 - 1e-9):
            return k + 1
    return len(scale)


class Model:
    """The validated document plus the derived numbers of METHOD.md."""

    def __init__(self, doc):
        self.doc = doc


def validate(doc):
    c = Checker()
    m = Model(doc)
    P = "$"
    if not isinstance(doc, dict):
        c.err(P, "top level is not an object")
        return c.errors, None
    if doc.get("format") != "scsms/1":
        c.err("$.format", "expected scsms/1, found %r" % (doc.get("format"),))
        return c.errors, None
    top_keys = ["organization", "settings", "scales", "assurance", "partners", "nodes",
                "legs", "scenarios", "controls", "courses", "roles", "people",
                "catalogues", "audits", "findings", "actions", "reviews", "certificate"]
    c.obj(doc, P, ["format", "organization"], top_keys)

    # organization
    o = doc.get("organization")
    if o is not None and c.obj(o, "$.organization", ["name"], ["scope", "currency", "country"]):
        if "name" in o:
            c.string(o["name"], "$.organization.name")
        if "scope" in o:
            c.string(o["scope"], "$.organization.scope", False)
        if "currency" in o:
            c.code(o["currency"], "$.organization.currency", 3)
        if "country" in o:
            c.code(o["country"], "$.organization.country", 2)

    # scales
    m.lik = list(DEFAULT_LIKELIHOOD)
    m.con = list(DEFAULT_CONSEQUENCE)
    m.risk = list(DEFAULT_RISK_LEVELS)
    sc = doc.get("scales")
    if sc is not None and c.obj(sc, "$.scales", [], ["likelihood", "consequence", "risk_levels"]):
        for key in ("likelihood", "consequence"):
            if key not in sc:
                continue
            p = "$.scales." + key
            arr = c.array(sc[key], p)
            if not (3 <= len(arr) <= 10):
                c.err(p, "expected 3 to 10 levels")
            levels = []
            names = set()
            ok = True
            for i, lv in enumerate(arr):
                q = "%s[%d]" % (p, i)
                last = i == len(arr) - 1
                if not c.obj(lv, q, ["name", "value"] + ([] if last else ["max"]),
                             [] if last else []):
                    ok = False
                    continue
                if last and "max" in lv:
                    c.err(q + ".max", "max on the last level")
                    ok = False
                if "name" in lv and c.string(lv["name"], q + ".name"):
                    if lv["name"] in names:
                        c.err(q + ".name", "repeated name")
                    names.add(lv["name"])
                val = c.number(lv.get("value"), q + ".value", 0, None, lo_open=True) if "value" in lv else None
                mx = None
                if not last and "max" in lv:
                    mx = c.number(lv["max"], q + ".max")
                    if mx is not None and levels and levels[-1][2] is not None and mx <= levels[-1][2]:
                        c.err(q + ".max", "bounds not increasing")
                        ok = False
                if val is None or (not last and mx is None):
                    ok = False
                levels.append((lv.get("name"), val, mx))
            if ok and 3 <= len(levels) <= 10:
                for k, (_, val, _) in enumerate(levels):
                    if band(levels, val) != k + 1:
                        c.err("%s[%d].value" % (p, k), "band(rep(%d)) = %d" % (k + 1, band(levels, val)))
                if key == "likelihood":
                    m.lik = levels
                else:
                    m.con = levels
        if "risk_levels" in sc:
            p = "$.scales.risk_levels"
            arr = c.array(sc["risk_levels"], p, nonempty=True)
            rl = []
            names = set()
            prev = 0
            for i, lv in enumerate(arr):
                q = "%s[%d]" % (p, i)
                if not c.obj(lv, q, ["name", "min_score"], []):
                    continue
                if "name" in lv and c.string(lv["name"], q + ".name"):
                    if lv["name"] in names:
                        c.err(q + ".name", "repeated name")
                    names.add(lv["name"])
                ms = c.number(lv.get("min_score"), q + ".min_score", 1, 100, integer=True) if "min_score" in lv else None
                if ms is not None:
                    if i == 0 and ms != 1:
                        c.err(q + ".min_score", "the first min_score must be 1")
                    elif i > 0 and ms <= prev:
                        c.err(q + ".min_score", "min_scores not strictly ascending")
                    prev = ms
                rl.append((lv.get("name"), ms))
            m.risk = rl
    risk_names = [n for n, _ in m.risk]

    # settings
    st = doc.get("settings")
    m.as_of = None
    m.appetite = "medium"
    m.threshold = 0.9
    m.expiring = 30
    m.audit_months = 12
    m.review_months = 12
    m.due_major, m.due_minor = 90, 180
    if st is not None and c.obj(st, "$.settings", [], ["as_of", "appetite", "training_threshold",
                                                        "expiring_days", "audit_interval_months",
                                                        "review_interval_months", "action_due_days"]):
        if "as_of" in st:
            m.as_of = c.date(st["as_of"], "$.settings.as_of")
        if "appetite" in st:
            if c.string(st["appetite"], "$.settings.appetite"):
                if st["appetite"] not in risk_names:
                    c.err("$.settings.appetite", "not a risk level name: %r" % st["appetite"])
                m.appetite = st["appetite"]
        if "training_threshold" in st:
            m.threshold = c.number(st["training_threshold"], "$.settings.training_threshold", 0, 1)
        if "expiring_days" in st:
            m.expiring = c.number(st["expiring_days"], "$.settings.expiring_days", 0, 36500, integer=True)
        if "audit_interval_months" in st:
            m.audit_months = c.number(st["audit_interval_months"], "$.settings.audit_interval_months", 1, 120, integer=True)
        if "review_interval_months" in st:
            m.review_months = c.number(st["review_interval_months"], "$.settings.review_interval_months", 1, 120, integer=True)
        if "action_due_days" in st:
            a = st["action_due_days"]
            if c.obj(a, "$.settings.action_due_days", [], ["major", "minor"]):
                if "major" in a:
                    m.due_major = c.number(a["major"], "$.settings.action_due_days.major", 1, 36500, integer=True)
                if "minor" in a:
                    m.due_minor = c.number(a["minor"], "$.settings.action_due_days.minor", 1, 36500, integer=True)
    if (st is None or "appetite" not in st) and "medium" not in risk_names:
        c.err("$.settings.appetite", "required: the risk levels have no 'medium'")

    # assurance
    m.assurance = dict(DEFAULT_ASSURANCE)
    asr = doc.get("assurance")
    if asr is not None and c.obj(asr, "$.assurance", [], list(k for k in asr if isinstance(asr, dict))):
        m.assurance = {}
        for k, v in asr.items():
            if k.startswith("x-") or k == "\0dups":
                continue
            f = c.number(v, path_key("$.assurance", k), 0, 1, lo_open=True)
            if f is not None:
                m.assurance[k] = f

    # partners
    m.partners = {}
    for i, p in enumerate(c.array(doc.get("partners", []), "$.partners")):
        q = "$.partners[%d]" % i
        if not c.obj(p, q, ["id", "name", "role"], ["country", "certifications"]):
            continue
        if "id" in p and c.ident(p["id"], q + ".id"):
            if p["id"] in m.partners:
                c.err(q + ".id", "duplicate partner id")
            m.partners[p["id"]] = p
        if "name" in p:
            c.string(p["name"], q + ".name")
        if "role" in p:
            c.enum(p["role"], q + ".role", PARTNER_ROLES)
        if "country" in p:
            c.code(p["country"], q + ".country", 2)
        for j, ce in enumerate(c.array(p.get("certifications", []), q + ".certifications")):
            r = "%s.certifications[%d]" % (q, j)
            if c.obj(ce, r, ["scheme", "valid_until"], ["number"]):
                if "scheme" in ce:
                    c.string(ce["scheme"], r + ".scheme")
                if "number" in ce:
                    c.string(ce["number"], r + ".number", False)
                if "valid_until" in ce:
                    c.date(ce["valid_until"], r + ".valid_until")

    # nodes and legs
    m.elements = {}
    m.node_ids = []
    m.leg_ids = []

    def element_common(e, q, is_leg):
        if "name" in e:
            c.string(e["name"], q + ".name", False)
        if "operator" in e and c.ident(e["operator"], q + ".operator"):
            if e["operator"] not in m.partners:
                c.err(q + ".operator", "unknown partner %r" % e["operator"])
        if "annual_shipments" in e:
            c.number(e["annual_shipments"], q + ".annual_shipments", 1, 1e9, integer=True)
        if "in_scope" in e and not isinstance(e["in_scope"], bool):
            c.err(q + ".in_scope", "expected a boolean")
        if e.get("in_scope") is False:
            if "justification" not in e:
                c.err(q + ".justification", "required when in_scope is false")
            else:
                c.string(e["justification"], q + ".justification")
        elif "justification" in e:
            c.string(e["justification"], q + ".justification", False)

    for i, n in enumerate(c.array(doc.get("nodes", []), "$.nodes")):
        q = "$.nodes[%d]" % i
        if not c.obj(n, q, ["id", "type"], ["name", "country", "operator", "annual_shipments",
                                            "in_scope", "justification"]):
            continue
        if "id" in n and c.ident(n["id"], q + ".id"):
            if n["id"] in m.elements:
                c.err(q + ".id", "duplicate element id")
            else:
                m.elements[n["id"]] = ("node", n)
                m.node_ids.append(n["id"])
        if "type" in n:
            c.enum(n["type"], q + ".type", NODE_TYPES)
        if "country" in n:
            c.code(n["country"], q + ".country", 2)
        element_common(n, q, False)
    legs = c.array(doc.get("legs", []), "$.legs")
    for i, l in enumerate(legs):
        q = "$.legs[%d]" % i
        if not c.obj(l, q, ["id", "from", "to", "mode"], ["name", "operator", "annual_shipments",
                                                          "in_scope", "justification"]):
            continue
        if "id" in l and c.ident(l["id"], q + ".id"):
            if l["id"] in m.elements:
                c.err(q + ".id", "duplicate element id")
            else:
                m.elements[l["id"]] = ("leg", l)
                m.leg_ids.append(l["id"])
        if "mode" in l:
            c.enum(l["mode"], q + ".mode", MODES)
        element_common(l, q, True)
    for i, l in enumerate(legs):
        q = "$.legs[%d]" % i
        if not isinstance(l, dict):
            continue
        for k in ("from", "to"):
            if k in l and c.ident(l[k], q + "." + k):
                e = m.elements.get(l[k])
                if e is None or e[0] != "node":
                    c.err(q + "." + k, "not a node id: %r" % l[k])
        if "from" in l and l.get("from") == l.get("to"):
            c.err(q + ".to", "a leg from a node to itself")

    def in_scope(eid):
        return m.elements[eid][1].get("in_scope", True) is not False

    m.in_scope = in_scope

    def targets(arr, q, allow_org):
        out = []
        for j, t in enumerate(arr):
            r = "%s[%d]" % (q, j)
            if not isinstance(t, dict):
                c.err(r, "expected an object")
                continue
            kinds = [k for k in ("node", "leg", "node_type", "mode", "organization") if k in t]
            c.obj(t, r, [], ["node", "leg", "node_type", "mode", "organization"])
            if len(kinds) != 1:
                c.err(r, "a target needs exactly one kind")
                continue
            k = kinds[0]
            v = t[k]
            if k == "organization":
                if not allow_org:
                    c.err(path_key(r, k), "organization is not allowed here")
                elif v is not True:
                    c.err(path_key(r, k), "expected true")
                out.append(("organization", True))
            elif k in ("node", "leg"):
                if c.ident(v, path_key(r, k)):
                    e = m.elements.get(v)
                    if e is None or e[0] != k:
                        c.err(path_key(r, k), "unknown %s %r" % (k, v))
                    else:
                        out.append((k, v))
            elif k == "node_type":
                if c.enum(v, path_key(r, k), NODE_TYPES):
                    out.append((k, v))
            else:
                if c.enum(v, path_key(r, k), MODES):
                    out.append((k, v))
        return out

    def select(tg):
        sel = set()
        for k, v in tg:
            if k in ("node", "leg"):
                sel.add(v)
            elif k == "node_type":
                sel.update(i for i in m.node_ids if m.elements[i][1].get("type") == v)
            elif k == "mode":
                sel.update(i for i in m.leg_ids if m.elements[i][1].get("mode") == v)
        return sel

    m.select = select

    def pert(v, q):
        if c.obj(v, q, ["min", "mode", "max"], []):
            a = c.number(v.get("min"), q + ".min", 0) if "min" in v else None
            b = c.number(v.get("mode"), q + ".mode", 0) if "mode" in v else None
            d = c.number(v.get("max"), q + ".max", 0) if "max" in v else None
            if None not in (a, b, d):
                if not (a <= b <= d and a < d):
                    c.err(q, "expected min <= mode <= max and min < max")
                    return None
                return (a, b, d)
        return None

    # scenarios
    m.scenarios = []
    sids = set()
    nl, nc = len(m.lik), len(m.con)
    for i, s in enumerate(c.array(doc.get("scenarios", []), "$.scenarios")):
        q = "$.scenarios[%d]" % i
        if not c.obj(s, q, ["id", "name", "category", "targets", "consequence"],
                     ["description", "likelihood", "frequency", "magnitude"]):
            continue
        sc_ = {"id": s.get("id"), "ok": True}
        if "id" in s and c.ident(s["id"], q + ".id"):
            if s["id"] in sids:
                c.err(q + ".id", "duplicate scenario id")
            sids.add(s["id"])
        if "name" in s:
            c.string(s["name"], q + ".name")
        if "category" in s:
            c.enum(s["category"], q + ".category", CATEGORIES)
        if "description" in s:
            c.string(s["description"], q + ".description", False)
        tg = targets(c.array(s.get("targets", []), q + ".targets", nonempty=True), q + ".targets", True)
        if any(k == "organization" for k, _ in tg) and len(s.get("targets", [])) > 1:
            c.err(q + ".targets", "organization must be the only target")
        sc_["org"] = any(k == "organization" for k, _ in tg)
        sc_["targets"] = tg
        if not sc_["org"] and "targets" in s:
            sel = sorted(e for e in select(tg) if in_scope(e))
            if not sel and isinstance(s["targets"], list) and s["targets"]:
                c.err(q + ".targets", "selects no in-scope element")
            sc_["exposures"] = sel
        else:
            sc_["exposures"] = ["(organization)"]
        # likelihood
        has_l, has_f = "likelihood" in s, "frequency" in s
        lam = None
        if has_l == has_f:
            c.err(q, "exactly one of likelihood and frequency")
            sc_["ok"] = False
        elif has_l:
            L = c.number(s["likelihood"], q + ".likelihood", 1, nl, integer=True)
            if L is not None:
                lam = m.lik[int(L) - 1][1]
        else:
            f = s["frequency"]
            fq = q + ".frequency"
            if c.obj(f, fq, [], ["rate", "pert"]):
                kinds = [k for k in ("rate", "pert") if k in f]
                if len(kinds) != 1:
                    c.err(fq, "a frequency needs exactly one kind")
                elif "rate" in f:
                    lam = c.number(f["rate"], fq + ".rate", 0, None, lo_open=True)
                    sc_["pert_f"] = None
                else:
                    pf = pert(f["pert"], fq + ".pert")
                    if pf:
                        lam = (pf[0] + 4 * pf[1] + pf[2]) / 6
                        sc_["pert_f"] = pf
        sc_["lambda"] = lam
        # consequence
        cons = {}
        cq = q + ".consequence"
        if "consequence" in s and c.obj(s["consequence"], cq, [], CONS):
            for k in CONS:
                if k in s["consequence"]:
                    v = c.number(s["consequence"][k], cq + "." + k, 1, nc, integer=True)
                    if v is not None:
                        cons[k] = int(v)
            if not cons:
                c.err(cq, "rate at least one consequence category")
        sc_["cons"] = cons
        # magnitude
        mean = None
        cf = None
        if "magnitude" in s:
            mq = q + ".magnitude"
            mg = s["magnitude"]
            if c.obj(mg, mq, [], ["fixed", "lognormal", "pert", "cargo_fraction"]):
                kinds = [k for k in ("fixed", "lognormal", "pert") if k in mg]
                if len(kinds) != 1:
                    c.err(mq, "a magnitude needs exactly one kind")
                elif "fixed" in mg:
                    mean = c.number(mg["fixed"], mq + ".fixed", 0)
                elif "lognormal" in mg:
                    lq = mq + ".lognormal"
                    ln = mg["lognormal"]
                    if c.obj(ln, lq, ["low", "high"], []):
                        lo = c.number(ln.get("low"), lq + ".low", 0, lo_open=True) if "low" in ln else None
                        hi = c.number(ln.get("high"), lq + ".high", 0, lo_open=True) if "high" in ln else None
                        if lo is not None and hi is not None:
                            if not lo < hi:
                                c.err(lq, "expected low < high")
                            else:
                                mu = (math.log(lo) + math.log(hi)) / 2
                                sg = (math.log(hi) - math.log(lo)) / (2 * Z90)
                                mean = math.exp(mu + sg * sg / 2)
                else:
                    pm = pert(mg["pert"], mq + ".pert")
                    if pm:
                        mean = (pm[0] + 4 * pm[1] + pm[2]) / 6
                if "cargo_fraction" in mg:
                    cf = c.number(mg["cargo_fraction"], mq + ".cargo_fraction", 0, 1, lo_open=True)
        if mean is None and cons:
            mean = m.con[(cons.get("economic") or max(cons.values())) - 1][1]
        sc_["mean"] = mean
        sc_["cargo_fraction"] = cf
        if lam is not None and cons:
            sc_["L"] = band(m.lik, lam)
            sc_["C"] = max(cons.values())
        else:
            sc_["ok"] = False
        m.scenarios.append(sc_)
    m.sc_by_id = {s["id"]: s for s in m.scenarios if s["id"]}

    # training (before controls: requires refers to roles and courses)
    m.courses = {}
    for i, co in enumerate(c.array(doc.get("courses", []), "$.courses")):
        q = "$.courses[%d]" % i
        if not c.obj(co, q, ["id"], ["name", "validity_months"]):
            continue
        if "id" in co and c.ident(co["id"], q + ".id"):
            if co["id"] in m.courses:
                c.err(q + ".id", "duplicate course id")
            m.courses[co["id"]] = co
        if "name" in co:
            c.string(co["name"], q + ".name", False)
        if "validity_months" in co:
            c.number(co["validity_months"], q + ".validity_months", 0, 1200, integer=True)
    m.roles = {}
    for i, ro in enumerate(c.array(doc.get("roles", []), "$.roles")):
        q = "$.roles[%d]" % i
        if not c.obj(ro, q, ["id"], ["name", "courses"]):
            continue
        if "id" in ro and c.ident(ro["id"], q + ".id"):
            if ro["id"] in m.roles:
                c.err(q + ".id", "duplicate role id")
            m.roles[ro["id"]] = ro
        if "name" in ro:
            c.string(ro["name"], q + ".name", False)
        for j, cid in enumerate(c.array(ro.get("courses", []), q + ".courses")):
            if c.ident(cid, "%s.courses[%d]" % (q, j)) and cid not in m.courses:
                c.err("%s.courses[%d]" % (q, j), "unknown course %r" % cid)
    m.people = {}
    for i, pe in enumerate(c.array(doc.get("people", []), "$.people")):
        q = "$.people[%d]" % i
        if not c.obj(pe, q, ["id"], ["name", "roles", "records"]):
            continue
        if "id" in pe and c.ident(pe["id"], q + ".id"):
            if pe["id"] in m.people:
                c.err(q + ".id", "duplicate person id")
            m.people[pe["id"]] = pe
        if "name" in pe:
            c.string(pe["name"], q + ".name", False)
        for j, rid in enumerate(c.array(pe.get("roles", []), q + ".roles")):
            if c.ident(rid, "%s.roles[%d]" % (q, j)) and rid not in m.roles:
                c.err("%s.roles[%d]" % (q, j), "unknown role %r" % rid)
        for j, rec in enumerate(c.array(pe.get("records", []), q + ".records")):
            r = "%s.records[%d]" % (q, j)
            if c.obj(rec, r, ["course", "completed"], []):
                if "course" in rec and c.ident(rec["course"], r + ".course") and rec["course"] not in m.courses:
                    c.err(r + ".course", "unknown course %r" % rec["course"])
                if "completed" in rec:
                    c.date(rec["completed"], r + ".completed")

    # catalogues
    m.catalogues = {"ISO28000:2022": list(ISO_CLAUSES)}
    for i, ca in enumerate(c.array(doc.get("catalogues", []), "$.catalogues")):
        q = "$.catalogues[%d]" % i
        if not c.obj(ca, q, ["id", "requirements"], ["name"]):
            continue
        if "id" in ca and c.ident(ca["id"], q + ".id"):
            if ca["id"] == "ISO28000:2022":
                c.err(q + ".id", "ISO28000:2022 is the built-in catalogue")
            elif ca["id"] in m.catalogues:
                c.err(q + ".id", "duplicate catalogue id")
        if "name" in ca:
            c.string(ca["name"], q + ".name", False)
        reqs = []
        for j, rq in enumerate(c.array(ca.get("requirements", []), q + ".requirements", nonempty=True)):
            r = "%s.requirements[%d]" % (q, j)
            if c.obj(rq, r, ["id"], ["title"]):
                if "id" in rq and c.ident(rq["id"], r + ".id"):
                    if rq["id"] in reqs:
                        c.err(r + ".id", "duplicate requirement id")
                    reqs.append(rq["id"])
                if "title" in rq:
                    c.string(rq["title"], r + ".title", False)
        if isinstance(ca.get("id"), str) and ca["id"] not in m.catalogues:
            m.catalogues[ca["id"]] = reqs

    def reqref(v, q):
        if not isinstance(v, str) or v.count("#") != 1:
            c.err(q, "expected CATALOGUE#REQUIREMENT, found %r" % (v,))
            return None
        cat, rid = v.split("#")
        if cat not in m.catalogues or rid not in m.catalogues[cat]:
            c.err(q, "unknown requirement %r" % v)
            return None
        return v

    # controls
    m.controls = []
    cids = set()
    for i, ct in enumerate(c.array(doc.get("controls", []), "$.controls")):
        q = "$.controls[%d]" % i
        if not c.obj(ct, q, ["id", "name", "status", "effects"],
                     ["category", "owner", "due", "annual_cost", "applies_to", "requires", "addresses"]):
            continue
        cc = {"id": ct.get("id"), "status": ct.get("status"), "cost": 0.0, "applies": None,
              "requires": [], "effects": {}, "due": None}
        if "id" in ct and c.ident(ct["id"], q + ".id"):
            if ct["id"] in cids:
                c.err(q + ".id", "duplicate control id")
            cids.add(ct["id"])
        if "name" in ct:
            c.string(ct["name"], q + ".name")
        if "category" in ct:
            c.enum(ct["category"], q + ".category", CONTROL_CATEGORIES)
        if "status" in ct:
            c.enum(ct["status"], q + ".status", CONTROL_STATUSES)
        if "owner" in ct:
            c.string(ct["owner"], q + ".owner", False)
        if "due" in ct:
            cc["due"] = c.date(ct["due"], q + ".due")
        if "annual_cost" in ct:
            cc["cost"] = c.number(ct["annual_cost"], q + ".annual_cost", 0) or 0.0
        if "applies_to" in ct:
            cc["applies"] = select(targets(c.array(ct["applies_to"], q + ".applies_to", nonempty=True),
                                           q + ".applies_to", False))
        for j, rp in enumerate(c.array(ct.get("requires", []), q + ".requires")):
            r = "%s.requires[%d]" % (q, j)
            if c.obj(rp, r, ["role", "course"], []):
                ok = True
                if "role" in rp and c.ident(rp["role"], r + ".role") and rp["role"] not in m.roles:
                    c.err(r + ".role", "unknown role %r" % rp["role"])
                    ok = False
                if "course" in rp and c.ident(rp["course"], r + ".course") and rp["course"] not in m.courses:
                    c.err(r + ".course", "unknown course %r" % rp["course"])
                    ok = False
                if ok:
                    cc["requires"].append((rp.get("role"), rp.get("course")))
        for j, a in enumerate(c.array(ct.get("addresses", []), q + ".addresses")):
            reqref(a, "%s.addresses[%d]" % (q, j))
        for j, ef in enumerate(c.array(ct.get("effects", []), q + ".effects", nonempty=True)):
            r = "%s.effects[%d]" % (q, j)
            if not c.obj(ef, r, ["scenario"], ["likelihood_reduction", "impact_reduction"]):
                continue
            sid = ef.get("scenario")
            if "scenario" in ef and c.ident(sid, r + ".scenario"):
                if sid not in m.sc_by_id:
                    c.err(r + ".scenario", "unknown scenario %r" % sid)
                elif sid in cc["effects"]:
                    c.err(r + ".scenario", "a second effect on this scenario")
            rl = c.number(ef.get("likelihood_reduction", 0), r + ".likelihood_reduction", 0, 0.99)
            ri = c.number(ef.get("impact_reduction", 0), r + ".impact_reduction", 0, 0.99)
            if rl == 0 and ri == 0:
                c.err(r, "both reductions are 0")
            if sid in m.sc_by_id and sid not in cc["effects"]:
                cc["effects"][sid] = (rl or 0.0, ri or 0.0)
        m.controls.append(cc)

    # audits, findings, actions, reviews
    m.audits = {}
    for i, au in enumerate(c.array(doc.get("audits", []), "$.audits")):
        q = "$.audits[%d]" % i
        if not c.obj(au, q, ["id", "type", "date"], ["auditor", "results"]):
            continue
        a = {"type": au.get("type"), "date": None, "results": {}, "i": i}
        if "id" in au and c.ident(au["id"], q + ".id"):
            if au["id"] in m.audits:
                c.err(q + ".id", "duplicate audit id")
            m.audits[au["id"]] = a
        if "type" in au:
            c.enum(au["type"], q + ".type", AUDIT_TYPES)
        if "date" in au:
            a["date"] = c.date(au["date"], q + ".date")
        if "auditor" in au:
            c.string(au["auditor"], q + ".auditor", False)
        for j, rs in enumerate(c.array(au.get("results", []), q + ".results")):
            r = "%s.results[%d]" % (q, j)
            if not c.obj(rs, r, ["requirement", "result"], []):
                continue
            ref = reqref(rs.get("requirement"), r + ".requirement") if "requirement" in rs else None
            if "result" in rs:
                c.enum(rs["result"], r + ".result", RESULTS)
            if ref:
                if ref in a["results"]:
                    c.err(r + ".requirement", "a second result for this requirement")
                else:
                    a["results"][ref] = (rs.get("result"), r + ".result")
    m.findings = {}
    flist = []
    for i, fi in enumerate(c.array(doc.get("findings", []), "$.findings")):
        q = "$.findings[%d]" % i
        if not c.obj(fi, q, ["id", "audit", "requirement", "grade", "raised"], ["description"]):
            continue
        f = {"audit": fi.get("audit"), "req": None, "grade": fi.get("grade"), "raised": None,
             "actions": [], "path": q}
        if "id" in fi and c.ident(fi["id"], q + ".id"):
            if fi["id"] in m.findings:
                c.err(q + ".id", "duplicate finding id")
            m.findings[fi["id"]] = f
        f["id"] = fi.get("id")
        if "audit" in fi and c.ident(fi["audit"], q + ".audit") and fi["audit"] not in m.audits:
            c.err(q + ".audit", "unknown audit %r" % fi["audit"])
        if "requirement" in fi:
            f["req"] = reqref(fi["requirement"], q + ".requirement")
        if "grade" in fi:
            c.enum(fi["grade"], q + ".grade", GRADES)
        if "raised" in fi:
            f["raised"] = c.date(fi["raised"], q + ".raised")
        if "description" in fi:
            c.string(fi["description"], q + ".description", False)
        flist.append(f)
    # consistency of results and findings
    sev = {"minor": 1, "major": 2}
    for aid, a in m.audits.items():
        for ref, (res, rpath) in a["results"].items():
            if res in sev:
                if not any(f["audit"] == aid and f["req"] == ref and f["grade"] == res for f in flist):
                    c.err(rpath, "a %s result without a %s finding" % (res, res))
    for f in flist:
        if f["grade"] in sev and f["audit"] in m.audits and f["req"]:
            res = m.audits[f["audit"]]["results"].get(f["req"], (None,))[0]
            if sev.get(res, 0) < sev[f["grade"]]:
                c.err(f["path"] + ".grade", "a %s finding without a result at least as severe" % f["grade"])
    m.actions = []
    aids = set()
    for i, ac in enumerate(c.array(doc.get("actions", []), "$.actions")):
        q = "$.actions[%d]" % i
        if not c.obj(ac, q, ["id", "finding", "status"], ["owner", "due", "completed"]):
            continue
        if "id" in ac and c.ident(ac["id"], q + ".id"):
            if ac["id"] in aids:
                c.err(q + ".id", "duplicate action id")
            aids.add(ac["id"])
        a = {"id": ac.get("id"), "finding": ac.get("finding"), "status": ac.get("status"),
             "due": None, "completed": None}
        if "finding" in ac and c.ident(ac["finding"], q + ".finding"):
            if ac["finding"] not in m.findings:
                c.err(q + ".finding", "unknown finding %r" % ac["finding"])
            else:
                m.findings[ac["finding"]]["actions"].append(a)
        if "owner" in ac:
            c.string(ac["owner"], q + ".owner", False)
        if "due" in ac:
            a["due"] = c.date(ac["due"], q + ".due")
        if "status" in ac:
            c.enum(ac["status"], q + ".status", ACTION_STATUSES)
        if "completed" in ac:
            a["completed"] = c.date(ac["completed"], q + ".completed")
        elif ac.get("status") in ("done", "verified"):
            c.err(q + ".completed", "required for done and verified actions")
        m.actions.append(a)
    m.reviews = []
    for i, rv in enumerate(c.array(doc.get("reviews", []), "$.reviews")):
        q = "$.reviews[%d]" % i
        if not c.obj(rv, q, ["date"], ["chair", "notes"]):
            continue
        if "date" in rv:
            d = c.date(rv["date"], q + ".date")
            if d:
                m.reviews.append(d)
        for k in ("chair", "notes"):
            if k in rv:
                c.string(rv[k], q + "." + k, False)
    m.cert = None
    ce = doc.get("certificate")
    if ce is not None and c.obj(ce, "$.certificate", ["issued"], ["scheme", "body", "number", "expires"]):
        for k in ("scheme", "body", "number"):
            if k in ce:
                c.string(ce[k], "$.certificate." + k, False)
        iss = c.date(ce.get("issued"), "$.certificate.issued") if "issued" in ce else None
        exp = c.date(ce["expires"], "$.certificate.expires") if "expires" in ce else (
            add_months(iss, 36) if iss else None)
        if iss and exp and exp <= iss:
            c.err("$.certificate.expires", "expires not after issued")
        m.cert = (iss, exp)
    return c.errors, m


# ---------------------------------------------------------------- analyses
def coverage(m, role, course, D):
    holders = [p for p in m.people.values() if role in p.get("roles", [])]
    if not holders:
        return 0.0
    return sum(1 for p in holders if current(m, p, course, D)) / len(holders)


def current(m, person, course, D):
    vm = int(m.courses[course].get("validity_months", 0))
    for r in person.get("records", []):
        if r["course"] != course:
            continue
        d = parse_date(r["completed"])
        if d > D:
            continue
        if vm == 0 or D < add_months(d, vm):
            return True
    return False


def assurance(m, eid, D):
    e = m.elements[eid][1]
    op = e.get("operator")
    if not op:
        return 1.0
    best = 1.0
    for ce in m.partners[op].get("certifications", []):
        if ce["scheme"] in m.assurance and parse_date(ce["valid_until"]) >= D:
            best = min(best, m.assurance[ce["scheme"]])
    return best


def risk_level(m, score):
    name = m.risk[0][0]
    for n, ms in m.risk:
        if score >= ms:
            name = n
    return name


def register(m, view, D, extra=()):
    statuses = {"inherent": (), "current": ("implemented", "verified"),
                "target": ("planned", "implemented", "verified")}[view]
    counted = [c for c in m.controls if c["status"] in statuses or c["id"] in extra]
    rows = []
    for s in m.scenarios:
        if not s["ok"]:
            continue
        exps = []
        for x in s["exposures"]:
            org = x == "(organization)"
            a = 1.0 if (org or view == "inherent") else assurance(m, x, D)
            lam = s["lambda"] * a
            k = 1.0
            for c in counted:
                if s["id"] not in c["effects"]:
                    continue
                if c["applies"] is not None and (org or x not in c["applies"]):
                    continue
                t = 1.0
                if c["requires"]:
                    t = min(coverage(m, r, co, D) for r, co in c["requires"])
                rl, ri = c["effects"][s["id"]]
                lam *= (1 - rl * t)
                k *= (1 - ri * t)
            Lp = band(m.lik, lam)
            Cp = band(m.con, m.con[s["C"] - 1][1] * k)
            exps.append((x, lam, k, Lp, Cp, Lp * Cp, lam * s["mean"] * k))
        best = max(e[5] for e in exps)
        cand = [e for e in exps if e[5] == best]
        M = max(e[1] for e in cand)
        cand = sorted((e for e in cand if e[1] >= M * (1 - 1e-9)), key=lambda e: e[0].encode())
        w = cand[0]
        rows.append({"id": s["id"], "L": w[3], "C": w[4], "score": w[5],
                     "level": risk_level(m, w[5]), "rate": sum(e[1] for e in exps),
                     "ale": sum(e[6] for e in exps), "worst": w[0], "exposures": exps})
    return rows


def above(m, level):
    names = [n for n, _ in m.risk]
    return names.index(level) > names.index(m.appetite)


def report(m, D):
    print("as of", D)
    for view in ("inherent", "current", "target"):
        rows = register(m, view, D)
        tot = sum(r["ale"] for r in rows)
        print("\n== %s view   ALE %.0f" % (view, tot))
        for r in rows:
            flag = " ABOVE" if above(m, r["level"]) else ""
            print("  %-8s L%d C%d %2d %-8s rate %8.4f ALE %12.0f worst %s%s" % (
                r["id"], r["L"], r["C"], r["score"], r["level"], r["rate"], r["ale"], r["worst"], flag))
    # training
    print("\n== training coverage")
    req = set()
    for rid, ro in m.roles.items():
        for co in ro.get("courses", []):
            print("  %-10s %-14s %.3f" % (rid, co, coverage(m, rid, co, D)))
    pairs = set()
    for p in m.people.values():
        for rid in p.get("roles", []):
            for co in m.roles[rid].get("courses", []):
                pairs.add((p["id"], co))
    cur = sum(1 for pid, co in pairs if current(m, m.people[pid], co, D))
    ov = cur / len(pairs) if pairs else 1.0
    print("  overall %d/%d = %.3f (threshold %.2f)" % (cur, len(pairs), ov, m.threshold))
    for pid, co in sorted(pairs):
        p = m.people[pid]
        vm = int(m.courses[co].get("validity_months", 0))
        recs = [parse_date(r["completed"]) for r in p.get("records", []) if r["course"] == co]
        recs = [d for d in recs if d <= D]
        if not recs:
            print("  gap missing  %s %s" % (pid, co))
            continue
        if vm == 0:
            continue
        exps = [add_months(d, vm) for d in recs]
        curx = [e for e in exps if D < e]
        if not curx:
            print("  gap expired  %s %s %s" % (pid, co, max(exps)))
        elif max(curx) <= add_days(D, m.expiring):
            print("  gap expiring %s %s %s" % (pid, co, max(curx)))
    for c in m.controls:
        if c["requires"]:
            t = min(coverage(m, r, co, D) for r, co in c["requires"])
            print("  training factor %-6s %.3f" % (c["id"], t))
    # compliance
    print("\n== compliance")
    lo = add_months(D, -m.audit_months)
    for cat, reqs in m.catalogues.items():
        score = 0.0
        stat = {}
        for rq in reqs:
            ref = cat + "#" + rq
            cand = [(a["date"], aid, a) for aid, a in m.audits.items()
                    if a["type"] != "partner" and lo <= a["date"] <= D and ref in a["results"]]
            if not cand:
                stat[rq] = "unassessed"
                continue
            last = max(d for d, _, _ in cand)
            worst = "conform"
            order = ["conform", "minor", "major"]
            for d, aid, a in cand:
                if d != last:
                    continue
                res = a["results"][ref][0]
                s_ = "conform"
                if res in ("minor", "major"):
                    fs = [f for f in m.findings.values() if f["audit"] == aid and f["req"] == ref
                          and f["grade"] in ("minor", "major")]
                    closed = all(f["actions"] and all(x["status"] == "verified" and x["completed"] <= D
                                                      for x in f["actions"]) for f in fs)
                    s_ = "conform" if closed else res
                if order.index(s_) > order.index(worst):
                    worst = s_
            stat[rq] = worst
            score += {"conform": 1, "minor": 0.5, "major": 0}[worst]
        print("  %-14s %.3f  %s" % (cat, score / len(reqs),
                                    " ".join("%s:%s" % (k, v) for k, v in stat.items() if v != "conform")))
        if cat == "ISO28000:2022":
            iso_unassessed = [k for k, v in stat.items() if v == "unassessed"]
    # readiness
    print("\n== readiness blockers")
    for fid, f in m.findings.items():
        a = m.audits[f["audit"]]
        if a["date"] > D or a["type"] == "partner":
            continue
        closed = f["actions"] and all(x["status"] == "verified" and x["completed"] <= D for x in f["actions"])
        if f["grade"] == "major" and not closed:
            print("  open_major_finding", fid)
    for x in m.actions:
        f = m.findings[x["finding"]]
        a = m.audits[f["audit"]]
        if a["date"] > D or a["type"] == "partner" or f["grade"] not in ("minor", "major"):
            continue
        due = x["due"] or add_days(f["raised"], m.due_major if f["grade"] == "major" else m.due_minor)
        done = x["status"] in ("done", "verified") and x["completed"] <= D
        if not done and D > due:
            print("  overdue_action", x["id"], due)
    for k in iso_unassessed:
        print("  unassessed_requirement ISO28000:2022#" + k)
    if not any(add_months(D, -m.review_months) <= r <= D for r in m.reviews):
        print("  no_management_review")
    if ov < m.threshold:
        print("  training_coverage_below_threshold %.3f" % ov)
    for r in register(m, "target", D):
        if above(m, r["level"]):
            print("  scenario_above_appetite", r["id"], r["level"])
    if m.cert:
        iss, exp = m.cert
        dues = [add_months(iss, 12), add_months(iss, 24)]
        n = sum(1 for a in m.audits.values() if a["type"] == "surveillance" and iss < a["date"] <= D)
        if D < iss:
            st = "not_certified"
        elif D >= exp:
            st = "expired"
        elif n < sum(1 for d in dues if d < D):
            st = "surveillance_overdue"
        else:
            st = "valid"
        nxt = dues[n] if n < 2 else exp
        print("\n== certificate %s, next due %s (expires %s)" % (st, min(nxt, exp), exp))
    plan = [c for c in m.controls if c["status"] == "planned"]
    print("\n== planned controls: %s, total cost %.0f" % (
        " ".join(c["id"] for c in plan), sum(c["cost"] for c in plan)))
    for c in plan:
        if c["due"] and D > c["due"]:
            print("  planned_past_due", c["id"], c["due"])


# ---------------------------------------------------------------- shipments
def check_shipments(path, m, D, out=print):
    """Parse a shipments file as FORMAT.md says; print bad lines and failures.

    Returns (shipments parsed, bad lines, failing shipments)."""
    raw = open(path, "rb").read()
    bad, ships = [], []
    if path.endswith(".csv"):
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        text = raw.decode("utf-8", errors="strict")
        lines = text.split("\n")
        if lines[0].rstrip("\r") != "id,value,route":
            out("refused: header %r" % lines[0])
            return None
        # records may span lines inside quotes; track the first line number
        i = 1
        while i < len(lines):
            start = i + 1
            rec = lines[i]
            while rec.count('"') % 2 == 1 and i + 1 < len(lines):
                i += 1
                rec += "\n" + lines[i]
            i += 1
            if rec.strip() == "":
                continue
            rec = rec[:-1] if rec.endswith("\r") else rec
            fields = next(csv.reader(io.StringIO(rec)))
            if len(fields) != 3:
                bad.append((start, "wrong field count %d" % len(fields)))
                continue
            sid, val, route = fields
            if not ID_RE.match(sid):
                bad.append((start, "bad shipment id %r" % sid))
                continue
            if not re.match(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$", val) or not math.isfinite(float(val)):
                bad.append((start, "bad value %r" % val))
                continue
            r = route.split(">") if route != "" else []
            if any(not ID_RE.match(x) for x in r):
                bad.append((start, "bad route id in %r" % route))
                continue
            ships.append((start, sid, float(val), r))
    else:
        for n, line in enumerate(raw.split(b"\n"), 1):
            if line.strip() == b"":
                continue
            try:
                o = loads_strict(line.decode("utf-8"))
            except Exception as e:  # noqa: BLE001 - report and skip
                bad.append((n, "not JSON: %s" % e))
                continue
            if not isinstance(o, dict) or "\0dups" in o:
                bad.append((n, "not an object or repeated key"))
                continue
            extra = [k for k in o if k not in ("id", "value", "route") and not k.startswith("x-")]
            if extra or not all(k in o for k in ("id", "value", "route")):
                bad.append((n, "wrong keys"))
                continue
            v = o["value"]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)):
                bad.append((n, "bad value"))
                continue
            if not isinstance(o["id"], str) or not ID_RE.match(o["id"]) or not isinstance(o["route"], list) \
                    or any(not isinstance(x, str) or not ID_RE.match(x) for x in o["route"]):
                bad.append((n, "bad id or route"))
                continue
            ships.append((n, o["id"], float(v), o["route"]))
    for ln, why in bad:
        out("bad line %d: %s" % (ln, why))
    rows = register(m, "current", D)
    at = {}
    for s, r in zip([s for s in m.scenarios if s["ok"]], rows):
        for x in r["exposures"]:
            if x[0] != "(organization)":
                at.setdefault(x[0], []).append((s, x))
    fails = 0
    for idx, (ln, sid, val, route) in enumerate(ships):
        why = []
        if val < 0:
            why.append("negative_value")
        if not route:
            why.append("empty_route")
        for j, e in enumerate(route):
            if e not in m.elements:
                why.append("unknown@%d" % j)
            elif not m.in_scope(e):
                why.append("out_of_scope@%d" % j)
            elif at.get(e) and "annual_shipments" not in m.elements[e][1]:
                why.append("no_annual_shipments@%d" % j)
        if why:
            fails += 1
            out("shipment %d (line %d, %s) fails: %s" % (idx, ln, sid, " ".join(why)))
            continue
        H, el = 0.0, 0.0
        for e in route:
            n = m.elements[e][1].get("annual_shipments", 1)
            for s, x in at.get(e, []):
                h = x[1] / n
                H += h
                p = -math.expm1(-h)
                loss = (s["cargo_fraction"] * val if s["cargo_fraction"] else s["mean"]) * x[2]
                el += p * loss
        out("shipment %d (line %d, %s): p_incident %.5f expected_loss %.2f" % (
            idx, ln, sid, -math.expm1(-H), el))
    out("%d shipments, %d bad lines, %d failing" % (len(ships), len(bad), fails))
    return len(ships), len(bad), fails


def load_model(path):
    doc = loads_strict(open(path, "rb").read().decode("utf-8"))
    if isinstance(doc, dict) and "format" not in doc and "requirements" in doc:
        doc = {"format": "scsms/1", "organization": {"name": "catalogue check"}, "catalogues": [doc]}
    return doc


def selftest(exe, root):
    """The bundled examples and the generators, checked by this checker and,
    when it is available, by `scsms validate`. Exit 0 pass, 1 fail, 77 skip
    (meson's code) when everything checkable passed but scsms validate is
    not available yet."""
    import glob
    import os
    import subprocess
    import tempfile
    fails = []

    def check(cond, what):
        print(("ok:   " if cond else "FAIL: ") + what)
        if not cond:
            fails.append(what)

    data = os.path.join(root, "examples", "data")
    models = sorted(glob.glob(os.path.join(data, "*.json")))
    cats = sorted(glob.glob(os.path.join(data, "catalogues", "*.json")))
    check(len(models) >= 3 and len(cats) >= 2, "examples found under %s" % data)
    parsed = {}
    for f in models + cats:
        errs, m = validate(load_model(f))
        check(not errs, "checker: %s valid%s" % (os.path.relpath(f, root), "" if not errs else ": " + errs[0]))
        parsed[f] = m
    exp = os.path.join(data, "exporter.json")
    doc = load_model(exp)
    ct = load_model(os.path.join(data, "catalogues", "ctpat-msc.json"))["catalogues"][0]
    check(doc.get("catalogues", [None])[0] == ct, "exporter embeds catalogues/ctpat-msc.json unchanged")
    m = parsed.get(exp)
    if m is not None:
        for name in ("shipments.csv", "shipments.jsonl"):
            r = check_shipments(os.path.join(data, name), m, m.as_of, out=lambda *a: None)
            check(r == (30, 1, 6), "%s: 30 shipments, 1 bad line, 6 failing (got %r)" % (name, r))
    tmp = tempfile.mkdtemp(prefix="scsms-examples-")
    try:
        return _selftest_generated(exe, root, tmp, models, cats, check, fails)
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)


def _selftest_generated(exe, root, tmp, models, cats, check, fails):
    import os
    import subprocess
    gen = os.path.join(root, "tools", "gen_model.py")
    gsh = os.path.join(root, "tools", "gen_shipments.py")
    generated = []
    for i, args in enumerate([[], ["--seed", "2", "--scenarios", "200", "--nodes", "40", "--legs", "90",
                                   "--controls", "30", "--candidates", "20"],
                              ["--scenarios", "0", "--nodes", "0", "--legs", "0", "--controls", "0",
                               "--candidates", "0", "--people", "0", "--audits", "0"],
                              ["--seed", "3", "--scenarios", "7", "--nodes", "0", "--legs", "0"]]):
        out = os.path.join(tmp, "gen%d.json" % i)
        r = subprocess.run([sys.executable, gen] + args + ["-o", out], capture_output=True, text=True)
        check(r.returncode == 0, "gen_model %s runs" % " ".join(args))
        if r.returncode:
            continue
        again = subprocess.run([sys.executable, gen] + args, capture_output=True).stdout
        check(again == open(out, "rb").read(), "gen_model %s is deterministic" % " ".join(args))
        errs, gm = validate(load_model(out))
        check(not errs, "checker: generated model %d valid%s" % (i, "" if not errs else ": " + errs[0]))
        generated.append(out)
        if i == 1 and gm is not None:
            for fmt in ("csv", "jsonl"):
                so = os.path.join(tmp, "gen%d.%s" % (i, fmt))
                r = subprocess.run([sys.executable, gsh, out, "--count", "200", "--route-len", "7",
                                    "--format", fmt, "-o", so], capture_output=True, text=True)
                check(r.returncode == 0, "gen_shipments --format %s runs" % fmt)
                res = check_shipments(so, gm, gm.as_of, out=lambda *a: None)
                check(res == (200, 0, 0), "generated %s: 200 shipments, none bad or failing (got %r)" % (fmt, res))
    if fails:
        return 1
    if not exe:
        return 0
    r = subprocess.run([exe, "validate", models[0]], capture_output=True, text=True)
    if "not yet available" in r.stderr:
        print("skip: %s validate is not available yet" % exe)
        return 77
    wrapped = []
    for f in cats:
        w = os.path.join(tmp, "wrapped-" + os.path.basename(f))
        json.dump(load_model(f), open(w, "w"))
        wrapped.append(w)
    for f in models + wrapped + generated:
        r = subprocess.run([exe, "validate", f], capture_output=True, text=True)
        check(r.returncode == 0, "scsms validate %s%s" % (os.path.relpath(f, root) if f.startswith(root) else f,
                                                          "" if r.returncode == 0 else ": " + (r.stderr or r.stdout)[:300]))
    return 1 if fails else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--shipments", metavar="FILE")
    ap.add_argument("--as-of", dest="as_of")
    ap.add_argument("--selftest", nargs="+", metavar=("SOURCE_ROOT", "SCSMS_EXE"),
                    help="check the bundled examples and generators (and with SCSMS_EXE, scsms validate)")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if a.selftest:
        return selftest(a.selftest[1] if len(a.selftest) > 1 else None, a.selftest[0])
    if not a.files:
        ap.error("no files")
    rc = 0
    for fn in a.files:
        raw = open(fn, "rb").read()
        try:
            doc = loads_strict(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            print("%s: $: %s" % (fn, e))
            rc = 1
            continue
        if isinstance(doc, dict) and "format" not in doc and "requirements" in doc:
            # a stand-alone catalogue (examples/data/catalogues/): check it as
            # the one catalogue of a minimal model
            doc = {"format": "scsms/1", "organization": {"name": "catalogue check"},
                   "catalogues": [doc]}
        errs, m = validate(doc)
        for e in errs:
            print("%s: %s" % (fn, e))
        if errs:
            rc = 1
            continue
        print("%s: valid" % fn)
        D = parse_date(a.as_of) if a.as_of else m.as_of
        if (a.report or a.shipments) and D is None:
            print("no as_of: pass --as-of")
            return 2
        if a.report:
            report(m, D)
        if a.shipments:
            check_shipments(a.shipments, m, D)
    return rc


if __name__ == "__main__":
    sys.exit(main())
