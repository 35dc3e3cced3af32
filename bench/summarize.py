"""Turns bench/results/proxy.tsv into the table docs/benchmarks.md shows (medians, ratios to nginx with the
range over rounds), or, with --plot-data, into gnuplot's input. Python's standard library only."""
import csv
import statistics
import sys
from collections import defaultdict

TARGETS = ["direct", "nginx", "frontend-sidecar"]


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def by_case(rows):
    cases = defaultdict(list)
    for row in rows:
        cases[(row["target"], int(row["connections"]))].append(row)
    return cases


def ratio_range(rows, target, connections):
    """Per round, the target's throughput over nginx's in the same round: median, min, max."""
    per_round = {}
    for row in rows:
        if int(row["connections"]) == connections:
            per_round.setdefault(row["round"], {})[row["target"]] = float(row["rps"])
    ratios = [r[target] / r["nginx"] for r in per_round.values() if target in r and r.get("nginx")]
    return statistics.median(ratios), min(ratios), max(ratios)


def table(rows, mode):
    cases = by_case(rows)
    connections = sorted({c for _, c in cases})
    rounds = len({row["round"] for row in rows})
    lines = [
        f"Proxy GET /api/products, one backend, wrk -t1; {rounds} interleaved round(s); {mode} run.",
        "",
        "| target | clients | requests/s (median) | × nginx (median, range) | p50 ms | p99 ms | errors | answered after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for target in TARGETS:
        for c in connections:
            runs = cases.get((target, c), [])
            if not runs:
                continue
            median, low, high = ratio_range(rows, target, c)
            lines.append("| {} | {} | {:.0f} | {:.2f} ({:.2f}–{:.2f}) | {:.2f} | {:.2f} | {} | {} |".format(
                target, c, statistics.median(float(r["rps"]) for r in runs), median, low, high,
                statistics.median(float(r["p50_ms"]) for r in runs), statistics.median(float(r["p99_ms"]) for r in runs),
                sum(int(r["errors"]) for r in runs),
                "every run" if all(r["answered_after"] == "yes" for r in runs) else "NOT every run"))
    return "\n".join(lines) + "\n"


def plot_data(rows):
    cases = by_case(rows)
    out = ["# case rps p99"]
    for target in TARGETS:
        for c in sorted({c for _, c in cases}):
            runs = cases.get((target, c), [])
            if runs:
                out.append('"{} c{}" {:.0f} {:.2f}'.format(target, c, statistics.median(float(r["rps"]) for r in runs),
                                                         statistics.median(float(r["p99_ms"]) for r in runs)))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1] == "--plot-data":
        sys.stdout.write(plot_data(load(sys.argv[2])))
    else:
        with open(sys.argv[2], "w") as f:
            f.write(table(load(sys.argv[1]), sys.argv[3]))
