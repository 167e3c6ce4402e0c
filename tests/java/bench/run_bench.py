#!/usr/bin/env python3
"""Scoring a million shipments from Java against the C kernel.

usage: run_bench.py C_BENCH JAVA CLASSPATH MODEL [JVM options...]
Runs bench_score_c.c and ScoreBench.java on the same synthetic batch
(1,000,000 shipments, routes of 1 to 6 elements, one thread), checks that
both got the same results (failing count, sum of expected losses) and
prints the times and the ratio Java / C. The two programs run alternately,
ROUNDS times each, and the best time of each is kept, so that load from
other processes on a shared machine affects both alike.
"""
import subprocess
import sys

c_bench, java, cp, model = sys.argv[1:5]
jvm = sys.argv[5:]
n, reps, rounds = "1000000", "7", 5


def fields(out):
    f = out.split()
    return dict(zip(f[0::2], f[1::2]))


c = j = None
for _ in range(rounds):
    ci = fields(subprocess.run([c_bench, model, n, reps], check=True, capture_output=True, text=True).stdout)
    ji = fields(subprocess.run([java] + jvm + ["-cp", cp, "ScoreBench", model, n, reps], check=True,
                               capture_output=True, text=True).stdout)
    if c is None or float(ci["c_ns"]) < float(c["c_ns"]):
        c = ci
    if j is None:
        j = ji
    else:
        for k in ("java_ns", "alloc_ns", "direct_ns"):
            j[k] = str(min(float(j[k]), float(ji[k])))
    if ci["checksum"] != c["checksum"] or ji["checksum"] != j["checksum"]:
        sys.exit("runs disagree")
c_ns, j_ns = float(c["c_ns"]), float(j["java_ns"])
print("shipments:            %s (kernel %s, 1 thread, best of %d x %s runs)" % (n, c["kernel"], rounds, reps))
print("C kernel:             %8.2f ms" % (c_ns / 1e6))
print("Java, caller arrays:  %8.2f ms   ratio %.3f" % (j_ns / 1e6, j_ns / c_ns))
print("Java, new outputs:    %8.2f ms   ratio %.3f" % (float(j["alloc_ns"]) / 1e6, float(j["alloc_ns"]) / c_ns))
print("Java, direct buffers: %8.2f ms   ratio %.3f" % (float(j["direct_ns"]) / 1e6, float(j["direct_ns"]) / c_ns))
same = c["failed"] == j["failed"] and float(c["checksum"]) == float(j["checksum"])
print("same results:         %s (failed %s, checksum %s)" % (same, c["failed"], c["checksum"]))
sys.exit(0 if same else 1)
