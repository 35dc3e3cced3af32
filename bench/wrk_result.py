"""Reads wrk's report (with --latency) on stdin and prints: requests/s, p50 ms, p99 ms, errors, tab-separated.

Errors are non-2xx/3xx answers plus socket errors (connect, read, write, timeout): a run with any is not a
clean run, whatever its throughput.
"""
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

report = sys.stdin.read()


def latency(percentile):
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


rps = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE)
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", report))
socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
if socket:
    errors += sum(int(n) for n in socket.groups())
if not rps:
    sys.stderr.write(report)
    sys.exit("wrk printed no Requests/sec")
print(f"{float(rps.group(1)):.0f}\t{latency(50):.2f}\t{latency(99):.2f}\t{errors}")
