#!/usr/bin/python3
"""Write the committed seed corpora of tests/fuzz/corpus/ (docs/HARDENING.md).

The loader's seeds are the documents of tests/data/ and examples/data/, used
in place; this script writes the seeds that need the harnesses' own input
layout (a control byte for fuzz_shipments, edit records for fuzz_builder)
plus a few loader documents for syntax corners. Deterministic: run it again
after the examples change and commit the result.

Usage: scripts/hardening/make_seeds.py [SOURCE_ROOT]
"""
import json
import os
import struct
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
corpus = os.path.join(root, 'tests', 'fuzz', 'corpus')


def write(harness, name, data):
    d = os.path.join(corpus, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def read(*parts):
    with open(os.path.join(root, *parts), 'rb') as f:
        return f.read()


# ---- fuzz_shipments: control byte (bit 0 JSONL, bits 1-3 chunk size, bit 4 no snapshot)
CSV, JSONL = 0, 1
csv = read('examples', 'data', 'shipments.csv')
jsonl = read('examples', 'data', 'shipments.jsonl')
csv_lines = csv.split(b'\n')
jsonl_lines = jsonl.split(b'\n')
small_csv = b'\n'.join(csv_lines[:6]) + b'\n'
small_jsonl = b'\n'.join(jsonl_lines[:5]) + b'\n'
shipments = {
    'csv_example': (CSV | 6 << 1, csv),
    'jsonl_example': (JSONL | 6 << 1, jsonl),
    'csv_small_chunk1': (CSV | 0 << 1, small_csv),
    'jsonl_small_chunk3': (JSONL | 2 << 1, small_jsonl),
    'csv_no_snapshot': (CSV | 4 << 1 | 16, small_csv),
    'jsonl_no_snapshot': (JSONL | 5 << 1 | 16, small_jsonl),
    'csv_crlf_quotes': (CSV | 1 << 1,
                        b'id,value,route\r\n"SH-""1""",100,N-FAC-BL>L-FAC-WH\r\n'
                        b'"SH,2","2.5e3","N-PORT-RTM"\r\n"SH\n3",0,N-DC-VNL\r\n'),
    'csv_bad_lines': (CSV | 3 << 1,
                      b'id,value,route\nA,-1,N-FAC-BL\nB,x,N-FAC-BL\nC,5,\nD,5,NOPE>N-FAC-BL\n'
                      b'E,1e309,N-FAC-BL\nF,5,N-FAC-BL>>L-FAC-WH\nG,5\n"H,5,N-FAC-BL\n'),
    'csv_bad_header': (CSV | 4 << 1, b'id;value;route\nA;1;N-FAC-BL\n'),
    'jsonl_bad_lines': (JSONL | 3 << 1,
                        b'{"id":"A","value":-1,"route":["N-FAC-BL"]}\n'
                        b'{"id":"B","value":"5","route":["N-FAC-BL"]}\n'
                        b'{"id":"C","value":5,"route":[]}\n'
                        b'{"id":"D","value":5,"route":["N-FAC-BL",1]}\n'
                        b'{"id":"E","value":5,"route":["N-FAC-BL"],"id":"E2"}\n'
                        b'{"id":"F\\u0041\\n","value":1e2,"route":["N-\\u0046AC-BL"],"x-a":{"b":[1,{"c":null}]}}\n'
                        b'[1,2]\n\n   \n{"id":"G","value":5,"route":["N-FAC-BL"]\n'
                        b'{"id":"H","value":5,"route":["N-FAC-BL"],"extra":true}\n'),
    'jsonl_no_final_newline': (JSONL | 7 << 1, b'{"id":"A","value":1,"route":["N-FAC-BL","L-FAC-WH"]}'),
}
for name, (ctl, body) in shipments.items():
    write('shipments', name, bytes([ctl]) + body)

# ---- fuzz_builder: base byte (0 minimal, 1 exporter, 2 rich), then records
# op, arg, u16 length, fragment.
MINIMAL, EXPORTER, RICH = 0, 1, 2
KINDS = ['partners', 'nodes', 'legs', 'scenarios', 'controls', 'courses', 'roles', 'people',
         'catalogues', 'audits', 'findings', 'actions', 'reviews']
SECTIONS = ['organization', 'settings', 'scales', 'assurance', 'certificate']


def rec(op, arg, frag=b''):
    if isinstance(frag, str):
        frag = frag.encode()
    return struct.pack('<BBH', op, arg, len(frag)) + frag


def kind(k):
    return KINDS.index(k)         # arg % 13 + 1 is the scsms_kind


def section(s):
    return SECTIONS.index(s)      # arg % 5 + 1 is the scsms_section


ex = json.loads(read('examples', 'data', 'exporter.json'))
scen = dict(ex['scenarios'][0])
scen['id'] = 'S-NEW'
node = dict(ex['nodes'][0])
node['id'] = 'N-NEW'
node['annual_shipments'] = 10
ctrl = dict(ex['controls'][0])
ctrl['id'] = 'C-NEW'
ctrl['status'] = 'planned'
dumps = lambda v: json.dumps(v, separators=(',', ':'))
builder = {
    'put_scenario': bytes([EXPORTER]) + rec(0, kind('scenarios'), dumps(scen)),
    'put_node_then_remove': bytes([EXPORTER]) + rec(0, kind('nodes'), dumps(node))
                            + rec(1, kind('nodes'), 'N-NEW'),
    'put_control_planned': bytes([EXPORTER]) + rec(0, kind('controls'), dumps(ctrl)),
    'remove_referenced': bytes([EXPORTER]) + rec(2, kind('nodes'), b'\x00')
                         + rec(2, kind('partners'), b'\x03') + rec(2, kind('reviews'), b'\x01'),
    'put_back_each': bytes([EXPORTER]) + b''.join(rec(5, kind(k), bytes([i]))
                                                  for i, k in enumerate(KINDS)),
    'splice_entities': bytes([EXPORTER]) + rec(6, kind('scenarios'), b'\x02,"x-a":1')
                       + rec(6, kind('legs'), b'\x01]') + rec(6, kind('controls'), b'\x05"'),
    'set_settings': bytes([EXPORTER]) + rec(3, section('settings'),
                                            dumps({'as_of': '2025-01-31', 'appetite': 'low'})),
    'remove_certificate': bytes([EXPORTER]) + rec(3, section('certificate')),
    'splice_sections': bytes([RICH]) + rec(7, section('scales'), b',') + rec(7, section('assurance'), b'"x-b":2,'),
    'apply_list': bytes([EXPORTER]) + rec(4, 0, dumps([
        {'op': 'put', 'kind': 'nodes', 'value': node},
        {'op': 'put', 'kind': 'scenarios', 'value': scen},
        {'op': 'remove', 'kind': 'findings', 'id': ex['findings'][-1]['id']},
        {'op': 'set', 'section': 'certificate', 'value': None},
    ])),
    'apply_bad': bytes([MINIMAL]) + rec(4, 0, dumps([{'op': 'nope'}, {'op': 'remove', 'kind': 'nodes'}])),
    'minimal_grow': bytes([MINIMAL]) + rec(0, kind('nodes'), dumps({'id': 'N1', 'type': 'port'}))
                    + rec(0, kind('nodes'), dumps({'id': 'N2', 'type': 'warehouse'}))
                    + rec(0, kind('legs'), dumps({'id': 'L1', 'from': 'N1', 'to': 'N2', 'mode': 'road'})),
    'rich_put_back': bytes([RICH]) + b''.join(rec(5, kind(k), b'\x00') for k in KINDS),
    'bad_text': bytes([MINIMAL]) + rec(0, kind('nodes'), b'{"id":"N1","type":"port"') +
                rec(0, kind('nodes'), b'\xef\xbb\xbf{}') + rec(3, section('organization'), b'{"name":""}'),
}
for name, data in builder.items():
    write('builder', name, data)

# ---- fuzz_load: syntax corners (the documents of tests/data are used in place)
load = {
    'escapes.json': '{"format":"scsms/1","organization":{"name":"A\\u00e9\\ud83d\\ude00\\n\\"\\\\\\/"}}',
    'numbers.json': '{"format":"scsms/1","organization":{"name":"N"},"x-n":[0,-0,1e308,1E-400,-1.5e+3,123456789012345678901234567890]}',
    'deep_x.json': '{"format":"scsms/1","organization":{"name":"D"},"x-d":' + '[' * 60 + ']' * 60 + '}',
    'empty.json': '',
    'bom.json': '\ufeff{"format":"scsms/1","organization":{"name":"B"}}',
}
for name, text in load.items():
    write('load', name, text.encode())
print('seeds written to', corpus)
