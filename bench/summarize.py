"""Turns a case's TSV (bench/results/<case>.tsv) into the table docs/benchmarks.md shows: medians, and ratios
to the case's anchor with their range over the rounds. Python's standard library only.

  summarize.py load TSV OUT --anchor TARGET --title TEXT --mode full|smoke
  summarize.py plot-data TSV                 gnuplot's input for a load case
  summarize.py calls TSV                     the Cloud Map API calls of the discovery case (appended to its table)
  summarize.py cpu TSV --anchor TARGET --duration SECONDS
                                             the proxy case's CPU per request (appended to its table)
  summarize.py startup TSV OUT --mode full|smoke
  summarize.py limits TSV OUT --mode full|smoke
  summarize.py warmup TSV OUT --mode full|smoke
"""
import argparse
import csv
import statistics
from collections import defaultdict


def load_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def in_order(rows, key):
    """The values of a column in the order they first appear (the order the case lists them in)."""
    return list(dict.fromkeys(row[key] for row in rows))


def median(rows, column):
    return statistics.median(float(r[column]) for r in rows)


def ratios(per_round, anchor, target):
    """Per round, target's value over the anchor's in the same round (rounds where the anchor has none left out)."""
    return [values[target] / values[anchor] for values in per_round.values() if target in values and values.get(anchor)]


def ratio_range(per_round, anchor, target):
    """"median (min–max)" of the ratios, or n/a when the anchor has no value in any round."""
    found = ratios(per_round, anchor, target)
    return "{:.2f} ({:.2f}–{:.2f})".format(statistics.median(found), min(found), max(found)) if found else "n/a"


def ratio_median(per_round, anchor, target):
    found = ratios(per_round, anchor, target)
    return "{:.2f}".format(statistics.median(found)) if found else "n/a"


def header(title, rows, mode, columns):
    rounds = len({row["round"] for row in rows})
    return [f"{title}; {rounds} interleaved round(s); {mode} run.", "",
            "| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]


def load_table(rows, anchor, title, mode):
    lines = header(title, rows, mode, ["target", "clients", "requests/s (median)", f"× {anchor} (median, range)",
                                       "p50 ms", "p99 ms", "errors", "answered after"])
    for target in in_order(rows, "target"):
        for clients in in_order(rows, "connections"):
            runs = [r for r in rows if r["target"] == target and r["connections"] == clients]
            if not runs:
                continue
            per_round = defaultdict(dict)
            for r in rows:
                if r["connections"] == clients:
                    per_round[r["round"]][r["target"]] = float(r["rps"])
            lines.append("| {} | {} | {:.0f} | {} | {:.2f} | {:.2f} | {} | {} |".format(
                target, clients, median(runs, "rps"), ratio_range(per_round, anchor, target), median(runs, "p50_ms"),
                median(runs, "p99_ms"),
                sum(int(r["errors"]) for r in runs),
                "every run" if all(r["answered_after"] == "yes" for r in runs) else "NOT every run"))
    return lines


def plot_data(rows):
    out = ["# configuration rps p99"]
    for target in in_order(rows, "target"):
        for clients in in_order(rows, "connections"):
            runs = [r for r in rows if r["target"] == target and r["connections"] == clients]
            if runs:
                out.append('"{} c{}" {:.0f} {:.2f}'.format(target, clients, median(runs, "rps"), median(runs, "p99_ms")))
    return out


def calls_lines(rows):
    per_run = [int(r["DiscoverInstances"]) + int(r["DiscoverInstancesRevision"]) for r in rows]
    return ["", "Cloud Map API calls during each {} s cloud-map run: median {:g} (range {}–{}; DiscoverInstances {}, "
            "DiscoverInstancesRevision {} in all runs), whatever the load.".format(
                rows[0]["seconds"], statistics.median(per_run), min(per_run), max(per_run),
                sum(int(r["DiscoverInstances"]) for r in rows), sum(int(r["DiscoverInstancesRevision"]) for r in rows))]


def cpu_lines(rows, anchor, duration, title=None):
    """Each proxy's CPU time per request, and the anchor's over it per round: how many requests it serves per CPU
    second, as a ratio to the anchor (1.0: as many; on a task's one vCPU this bounds its throughput)."""
    per_request = {}  # (round, target, clients) -> CPU µs per request, for the runs that served requests
    for r in rows:
        requests = float(r["rps"]) * duration
        if requests > 0 and float(r["cpu_ms"]) > 0:
            per_request[r["round"], r["target"], r["connections"]] = float(r["cpu_ms"]) * 1000 / requests
    lines = ["", title or "CPU time of each proxy's process per request (user + system, all threads), over the same runs.", "",
             "| target | clients | CPU µs per request (median) | requests per CPU second, × {} (median, range) |".format(anchor),
             "| --- | --- | --- | --- |"]
    for target in in_order(rows, "target"):
        for clients in in_order(rows, "connections"):
            runs = [us for (_, t, c), us in per_request.items() if t == target and c == clients]
            if not runs:
                continue
            # Inverted, so that the ratio reads as requests/s does: above 1.0 is more requests per CPU second.
            per_round = defaultdict(dict)
            for (round_, t, c), us in per_request.items():
                if c == clients:
                    per_round[round_][t] = 1 / us
            lines.append("| {} | {} | {:.1f} | {} |".format(target, clients, statistics.median(runs),
                                                          ratio_range(per_round, anchor, target)))
    return lines


def startup_table(rows, mode):
    """Start to ready per app and variant, as a ratio to Spring Boot on plain JDK 17 in the same round (the
    anchor) and to the same app on plain JDK 17 (what the variant buys)."""
    per_round = defaultdict(dict)
    for r in rows:
        per_round[r["round"]][(r["app"], r["variant"])] = float(r["ready_ms"])
    lines = header("Start to ready (first 200 of the readiness check) and resident memory then", rows, mode,
                   ["app", "variant", "ready ms (median)", "× Spring Boot on JDK 17 (median, range)",
                    "× this app on JDK 17", "RSS at ready MiB"])
    for app in in_order(rows, "app"):
        for variant in in_order(rows, "variant"):
            runs = [r for r in rows if r["app"] == app and r["variant"] == variant]
            if not runs:
                continue
            lines.append("| {} | {} | {:.0f} | {} | {} | {:.0f} |".format(
                app, variant, median(runs, "ready_ms"), ratio_range(per_round, ("spring-boot", "jdk17"), (app, variant)),
                ratio_median(per_round, (app, "jdk17"), (app, variant)), median(runs, "rss_mib")))
    return lines


def limits_table(rows, mode):
    """Per task size: start to ready, throughput and errors per round, peak RSS against the limit, OOM kills."""
    lines = [f"The web task in one cgroup of a task size, POST /api/quotes through the sidecar, 16 clients; {mode} run.", "",
             "| task size (CPU units-MiB) | ready s | requests/s per round | errors per round | p99 ms, last round "
             "| peak RSS of both JVMs MiB | % of the limit | OOM kills | both JVMs alive |",
             "|" + " --- |" * 9]
    for size in in_order(rows, "size"):
        runs = [r for r in rows if r["size"] == size]
        last = runs[-1]
        peak = max(int(r["peak_rss_mib"]) for r in runs)
        lines.append("| {} | {:.1f} | {} | {} | {:.0f} | {} | {:.0f} % | {} | {} |".format(
            size, float(last["ready_ms"]) / 1000, ", ".join(r["rps"] for r in runs), ", ".join(r["errors"] for r in runs),
            float(last["p99_ms"]), peak, 100 * peak / int(last["limit_mib"]), last["oom_kills"],
            "yes" if all(r["alive"] == "yes" for r in runs) else "NO"))
    return lines


def warmup_table(rows, mode, title=None):
    """Per variant and round: the steady throughput (the median of the last ten whole seconds), the first second
    that reaches 90 % of it, and what failed on the way; then the medians over the rounds, with their range. The
    last bucket of a run is cut short by its end."""
    per_run = defaultdict(list)
    for r in rows:
        per_run[(r["size"], r["variant"], r["round"])].append(r)
    lines = header(title or "A new web task loaded from its first second, POST /api/quotes through the sidecar, "
                   "16 clients, answers counted per second", rows, mode,
                   ["variant", "task size", "ready s (median, range)", "steady requests/s",
                    "seconds to 90 % of steady (median, range)",
                    "seconds to 90 % of the size's first variant's steady (median, range; – never in the run)",
                    "failed answers (median, range)", "no answer within 10 s (all runs)"])

    def spread(values, digits=0):
        return "{:.{d}f} ({:.{d}f}–{:.{d}f})".format(statistics.median(values), min(values), max(values), d=digits)

    def whole_seconds(runs):
        runs = sorted(runs, key=lambda r: int(r["second"]))
        return runs, runs[:-1] or runs

    def steady_of(whole):
        return statistics.median(float(r["ok"]) for r in whole[-10:])

    # A variant that settles lower (C1 alone) reaches 90 % of its own level sooner: the first variant's level at the
    # same task size (plain JDK 17, or the images' JVM: what a fully compiled task serves) says when a task serves as
    # much as it would.
    variants = in_order(rows, "variant")
    for size in in_order(rows, "size"):
        anchor = statistics.median(steady_of(whole_seconds(runs)[1])
                                   for (s, v, _), runs in per_run.items() if s == size and v == variants[0])
        for variant in variants:
            ready, steady, reached, reached_anchor, failed, timeouts = [], [], [], [], [], 0
            for (s, v, _), runs in per_run.items():
                if s != size or v != variant:
                    continue
                runs, whole = whole_seconds(runs)
                level = steady_of(whole)
                ready.append(float(runs[0]["ready_ms"]) / 1000)
                steady.append(level)
                reached.append(next((int(r["second"]) for r in whole if float(r["ok"]) >= 0.9 * level), len(whole)))
                reached_anchor.append(next((int(r["second"]) for r in whole if float(r["ok"]) >= 0.9 * anchor), None))
                failed.append(sum(int(r["failed"]) for r in runs))
                timeouts += int(runs[0]["timeouts_in_run"])
            anchor_cell = "–" if None in reached_anchor else spread(reached_anchor)
            lines.append("| {} | {} | {} | {:.0f} | {} | {} | {} | {} |".format(
                variant, size, spread(ready, 1), statistics.median(steady), spread(reached), anchor_cell,
                spread(failed), timeouts))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["load", "plot-data", "calls", "cpu", "startup", "limits", "warmup"])
    parser.add_argument("tsv")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--anchor")
    parser.add_argument("--title")
    parser.add_argument("--mode", default="full")
    parser.add_argument("--duration", type=float)
    args = parser.parse_args()
    rows = load_tsv(args.tsv)
    if args.kind == "cpu":
        print("\n".join(cpu_lines(rows, args.anchor, args.duration, args.title)))
        return
    if args.kind in ("plot-data", "calls"):
        print("\n".join(plot_data(rows) if args.kind == "plot-data" else calls_lines(rows)))
        return
    if args.kind == "load":
        lines = load_table(rows, args.anchor, args.title, args.mode)
    elif args.kind == "warmup":
        lines = warmup_table(rows, args.mode, args.title)
    else:
        lines = globals()[args.kind + "_table"](rows, args.mode)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
