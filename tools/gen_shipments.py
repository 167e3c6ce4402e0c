#!/usr/bin/python3
"""Generate a shipments file (FORMAT.md "Shipments") for a given model.

Standard library only; the same model, options and --seed give the same bytes.

    tools/gen_shipments.py MODEL.json --count 100000 --route-len 9 \\
        --format csv --seed 1 -o shipments.csv

Routes are walks over the model's network: node, leg leaving it, the node at
its other end, and so on, using only in-scope elements that have
`annual_shipments` (so that every route can be scored). Where a walk reaches
a node with no usable outgoing leg it jumps to another usable element, which
is allowed: a route is a list of element ids, not necessarily connected.
Models without usable elements are refused.

  --count N         shipments to write
  --route-len K     elements per route (>= 1)
  --format F        csv (default) or jsonl
  --failing P       share of shipments made to fail on purpose (default 0):
                    a negative value, an unknown element, an out-of-scope
                    element (when the model has one) or an empty route
  --seed S          random seed (default 1)
  -o FILE           output file (default: standard output)

Values are drawn from a log-normal distribution with a median of 150,000 in
the model's currency.
"""
import argparse
import json
import math
import random
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    nodes = doc.get("nodes", [])
    legs = doc.get("legs", [])
    usable = set()
    out_scope = []
    for e in nodes + legs:
        if e.get("in_scope", True) is False:
            out_scope.append(e["id"])
        elif "annual_shipments" in e:
            usable.add(e["id"])
    out_legs = {}
    for l in legs:
        if l["id"] in usable and l["from"] in usable and l["to"] in usable:
            out_legs.setdefault(l["from"], []).append(l)
    return sorted(usable), out_legs, out_scope


def route(rnd, starts, out_legs, k):
    r = []
    cur = None
    while len(r) < k:
        if cur is None or cur not in out_legs:
            # start (or restart) at a node with a usable outgoing leg where possible
            cur = starts[rnd.randrange(len(starts))]
            r.append(cur)
            if cur not in out_legs:
                cur = None
            continue
        leg = out_legs[cur][rnd.randrange(len(out_legs[cur]))]
        r.append(leg["id"])
        if len(r) < k:
            r.append(leg["to"])
        cur = leg["to"]
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--route-len", type=int, default=7)
    ap.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    ap.add_argument("--failing", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    if a.count < 0:
        ap.error("--count must be >= 0")
    if a.route_len < 1:
        ap.error("--route-len must be >= 1")
    if not 0 <= a.failing <= 1:
        ap.error("--failing must be in [0, 1]")
    usable, out_legs, out_scope = load(a.model)
    if not usable:
        sys.exit("gen_shipments: the model has no in-scope element with annual_shipments")
    rnd = random.Random(a.seed)
    # sorted list of usable nodes (walk starts); legs are only reached by walking
    with open(a.model, encoding="utf-8") as f:
        node_ids = {n["id"] for n in json.load(f).get("nodes", [])}
    starts = [e for e in usable if e in node_ids and e in out_legs] or usable
    lines = ["id,value,route"] if a.format == "csv" else []
    for i in range(a.count):
        sid = "SHP%08d" % (i + 1)
        value = round(150000 * math.exp(rnd.gauss(0, 0.8)), 2)
        r = route(rnd, starts, out_legs, a.route_len)
        if a.failing and rnd.random() < a.failing:
            kind = rnd.randrange(4)
            if kind == 0:
                value = -value
            elif kind == 1:
                r[rnd.randrange(len(r))] = "NO-SUCH-ELEMENT"
            elif kind == 2 and out_scope:
                r[rnd.randrange(len(r))] = out_scope[rnd.randrange(len(out_scope))]
            else:
                r = []
        if a.format == "csv":
            lines.append("%s,%s,%s" % (sid, repr(value), ">".join(r)))
        else:
            lines.append(json.dumps({"id": sid, "value": value, "route": r}, separators=(",", ":")))
    text = "\n".join(lines) + ("\n" if lines else "")
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
