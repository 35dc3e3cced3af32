#!/usr/bin/env python3
"""The slowest test classes of the last build, from the Surefire and Failsafe reports of every module.

    python3 .ci/slowest-tests.py [count]     the 15 slowest by default, as a Markdown table

A class's time is its report's own (set-up and tear-down included: a topology started in @BeforeAll counts);
where a report has none, the sum of its tests. Its tests are counted by their class name over every report: where
JUnit ran classes at once (the system tests' lanes), Surefire may file a test in the other one's report.
docs/testing.md keeps the table of a whole CI run.
"""
import collections
import glob
import os
import sys
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def classes():
    # Every module's reports: system-tests and infra at the top, the others under services/, libs/ and tools/.
    reports = glob.glob(os.path.join(ROOT, "*", "target", "*-reports", "TEST-*.xml")) \
        + glob.glob(os.path.join(ROOT, "*", "*", "target", "*-reports", "TEST-*.xml"))
    tests = collections.Counter(case.get("classname") for report in reports
                                for case in ElementTree.parse(report).getroot().findall("testcase"))
    for report in reports:
        suite = ElementTree.parse(report).getroot()
        cases = suite.findall("testcase")
        seconds = float(suite.get("time") or 0) or sum(float(case.get("time") or 0) for case in cases)
        module = os.path.relpath(report, ROOT).split(os.sep + "target" + os.sep)[0]
        kind = "IT" if "failsafe-reports" in report else "unit"
        yield seconds, module, suite.get("name", "").rsplit(".", 1)[-1], kind, tests[suite.get("name")]


def minutes(seconds):
    return f"{int(seconds // 60)} min {round(seconds % 60):02d} s" if seconds >= 60 else f"{seconds:.1f} s"


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    found = sorted(classes(), reverse=True)
    if not found:
        print("no test reports (*/target/*-reports/TEST-*.xml, */*/target/*-reports/TEST-*.xml)")
        return
    total = sum(row[0] for row in found)
    print(f"The {min(count, len(found))} slowest of {len(found)} test classes ({minutes(total)} in all, "
          "the lanes of the system tests overlapping):\n")
    print("| class | module | kind | tests | time |")
    print("| --- | --- | --- | ---: | ---: |")
    for seconds, module, name, kind, tests in found[:count]:
        print(f"| {name} | {module} | {kind} | {tests} | {minutes(seconds)} |")


if __name__ == "__main__":
    main()
