#!/usr/bin/python3
"""Run one libFuzzer harness for a while (docs/HARDENING.md, "Fuzzing").

Usage: run_fuzzer.py FUZZER HARNESS WORK_DIR DICT SEED_DIR...

Runs FUZZER for SCSMS_FUZZ_SECONDS seconds (default 60) on the corpus kept
in WORK_DIR/corpus (new inputs go there; it grows from run to run), seeded
with the SEED_DIRs. A crash, leak, sanitizer report, timeout (25 s per
input) or out-of-memory (2.5 GB) is a failure: the input is saved under
WORK_DIR/artifacts/ and the message says how to keep it as a regression
test. Exit 0 when the run ended without finding anything.
"""
import glob
import os
import re
import subprocess
import sys


def main():
    fuzzer, harness, work, dictionary = sys.argv[1:5]
    seeds = [s for s in sys.argv[5:] if os.path.isdir(s)]
    seconds = int(os.environ.get('SCSMS_FUZZ_SECONDS', '60'))
    corpus = os.path.join(work, 'corpus')
    artifacts = os.path.join(work, 'artifacts') + os.sep
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=1:allocator_may_return_null=1')
    env.setdefault('UBSAN_OPTIONS', 'halt_on_error=1:print_stacktrace=1')
    before = set(glob.glob(artifacts + '*'))
    # Inputs up to the largest seed (the bundled example, 46 kB, for the
    # loader), and at least 8 kB (edit records, shipment files).
    largest = max([os.path.getsize(os.path.join(d, f)) for d in seeds for f in os.listdir(d)
                   if os.path.isfile(os.path.join(d, f))] + [8192])
    cmd = [fuzzer, '-max_total_time=%d' % seconds, '-timeout=25', '-rss_limit_mb=2560',
           '-max_len=%d' % largest,
           '-dict=' + dictionary, '-artifact_prefix=' + artifacts, '-print_final_stats=1',
           corpus] + seeds
    print('running: ' + ' '.join(cmd), flush=True)
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors='replace')
    out = r.stdout
    runs = re.findall(r'Done (\d+) runs in (\d+) second', out)
    stats = re.findall(r'stat::(number_of_executed_units|peak_rss_mb|new_units_added):\s*(\d+)', out)
    cov = re.findall(r'cov: (\d+) ft: (\d+) corp: (\d+)', out)
    new = sorted(set(glob.glob(artifacts + '*')) - before)
    if r.returncode != 0 or new:
        sys.stdout.write(out[-20000:])
        print('\nFUZZ FAILURE in %s (exit %d).' % (harness, r.returncode))
        for a in new:
            print('  input: %s' % a)
            print('  keep it as a regression test once fixed:\n'
                  '    cp %s tests/fuzz/regressions/%s/<short-name>' % (a, harness))
        return 1
    summary = '%s: ' % harness
    if runs:
        summary += '%s runs in %s s' % runs[-1]
    if cov:
        summary += ', coverage %s edges, %s features, corpus %s inputs' % cov[-1]
    summary += ', ' + ', '.join('%s %s' % (k, v) for k, v in stats)
    print(summary + ': no crash')
    return 0


if __name__ == '__main__':
    sys.exit(main())
