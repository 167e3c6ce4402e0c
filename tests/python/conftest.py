"""Shared fixtures of the scsms pytest suite (run by `meson test python`)."""

import copy
import json
import os
import pathlib

import pytest

SOURCE_ROOT = pathlib.Path(os.environ.get("SCSMS_SOURCE_ROOT",
                                          pathlib.Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE_ROOT / "examples" / "data"

# A small but complete scsms/1 document (FORMAT.md): every entity kind and
# every section, with references between them. Tests assert against this
# dict, never against hard-coded copies of it.
DOC = {
    "format": "scsms/1",
    "organization": {"name": "Acme Export Ltd", "scope": "Export from Plant A to the port",
                     "currency": "EUR", "country": "DE", "x-erp": "CO-1"},
    "settings": {"as_of": "2024-06-30", "appetite": "medium"},
    "assurance": {"AEO-S": 0.7, "TAPA-TSR": 0.8},
    "partners": [
        {"id": "P1", "name": "Fast Freight GmbH", "role": "carrier", "country": "DE",
         "certifications": [{"scheme": "AEO-S", "number": "DE-1", "valid_until": "2025-12-31"}]},
        {"id": "P2", "name": "Harbour Ops", "role": "port_operator"},
    ],
    "nodes": [
        {"id": "N1", "type": "factory", "name": "Plant A", "country": "DE", "annual_shipments": 1000},
        {"id": "N2", "type": "port", "name": "Hamburg", "operator": "P2", "annual_shipments": 5000},
        {"id": "N3", "type": "office", "in_scope": False, "justification": "no goods handled"},
    ],
    "legs": [
        {"id": "L1", "from": "N1", "to": "N2", "mode": "road", "operator": "P1",
         "annual_shipments": 1000},
    ],
    "scenarios": [
        {"id": "S1", "name": "Theft in transit", "category": "cargo_theft",
         "targets": [{"leg": "L1"}], "likelihood": 3, "consequence": {"economic": 3}},
        {"id": "S2", "name": "Tampering at the port", "category": "tampering",
         "targets": [{"node": "N2"}], "frequency": {"rate": 0.2},
         "consequence": {"economic": 2, "reputation": 3}},
        {"id": "S3", "name": "Cyber attack", "category": "cyber_attack",
         "targets": [{"organization": True}], "likelihood": 2, "consequence": {"disruption": 4}},
    ],
    "controls": [
        {"id": "C1", "name": "GPS tracking", "category": "conveyance_security",
         "status": "implemented", "annual_cost": 12000, "applies_to": [{"leg": "L1"}],
         "requires": [{"role": "R1", "course": "K1"}],
         "effects": [{"scenario": "S1", "likelihood_reduction": 0.5}]},
        {"id": "C2", "name": "Seal checks", "status": "planned", "due": "2024-09-30",
         "annual_cost": 3000, "effects": [{"scenario": "S2", "impact_reduction": 0.3}]},
    ],
    "courses": [{"id": "K1", "name": "Security awareness", "validity_months": 12}],
    "roles": [{"id": "R1", "name": "Driver", "courses": ["K1"]}],
    "people": [{"id": "E1", "name": "Alex", "roles": ["R1"],
                "records": [{"course": "K1", "completed": "2024-01-15"}]}],
    "audits": [{"id": "A1", "type": "internal", "date": "2024-02-01", "auditor": "QA",
                "results": [{"requirement": "ISO28000:2022#8.4", "result": "minor"}]}],
    "findings": [{"id": "F1", "audit": "A1", "requirement": "ISO28000:2022#8.4",
                  "grade": "minor", "raised": "2024-02-01", "description": "Seal log gaps"}],
    "actions": [{"id": "AC1", "finding": "F1", "owner": "QA", "due": "2024-08-01",
                 "status": "open"}],
    "reviews": [{"date": "2024-03-01", "chair": "CEO"}, {"date": "2023-03-01"}],
    "certificate": {"body": "TUV", "number": "28K-1", "issued": "2023-01-10"},
}


@pytest.fixture
def doc():
    """A fresh deep copy of DOC (tests may modify it)."""
    return copy.deepcopy(DOC)


@pytest.fixture
def text(doc):
    return json.dumps(doc, indent=1)


@pytest.fixture
def model(text):
    import scsms
    m = scsms.Model.loads(text)
    yield m
    m.close()


@pytest.fixture
def doc_file(tmp_path, text):
    p = tmp_path / "model.json"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def exporter_path():
    """examples/data/exporter.json, the bundled realistic model (skip when absent)."""
    p = EXAMPLES / "exporter.json"
    if not p.is_file():
        pytest.skip("examples/data/exporter.json is not in this tree")
    return p


def rss_bytes():
    """Resident set size of this process (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
