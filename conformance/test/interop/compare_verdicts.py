#!/usr/bin/env python3
"""Compares the verdicts of an `smtpspec run --json` report with a baseline.

    compare_verdicts.py REPORT BASELINE NAME [--update]

The report must hold one run. Every check that does not pass must give a reason; the
verdicts must equal BASELINE, one line `CHECK-ID VERDICT` per check ('#' starts a
comment). --update first rewrites BASELINE from the report. Exit 0 when all holds,
1 otherwise, with each difference on stderr.
"""
import json
import sys

VERDICTS = {"pass", "fail", "warn", "info", "skip", "error"}


def read_baseline(path, problems):
    expected = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2 or parts[1] not in VERDICTS:
                problems.append(f"{path}:{number}: not `CHECK-ID VERDICT`: {line}")
            elif parts[0] in expected:
                problems.append(f"{path}:{number}: {parts[0]} listed twice")
            else:
                expected[parts[0]] = parts[1]
    return expected


def write_baseline(path, name, checks):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# smtpspec run against Postfix, profile {name} (conformance/test/interop_postfix_test.sh,\n")
        f.write("# docs/interop.md): one line per check, `CHECK-ID VERDICT`. A change here is a change in\n")
        f.write("# what the suite says about a real server: explain it in docs/interop.md.\n")
        for c in checks:
            f.write(f"{c['id']} {c['verdict']}\n")


def main(argv):
    if len(argv) not in (4, 5) or (len(argv) == 5 and argv[4] != "--update"):
        print(__doc__, file=sys.stderr)
        return 2
    report_path, baseline_path, name = argv[1], argv[2], argv[3]
    update = len(argv) == 5

    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    runs = report.get("runs", [])
    if len(runs) != 1:
        print(f"interop_postfix: FAIL: {name}: the report has {len(runs)} runs; one was expected", file=sys.stderr)
        return 1
    checks = runs[0].get("checks", [])
    if not checks:
        print(f"interop_postfix: FAIL: {name}: the report has no checks", file=sys.stderr)
        return 1

    problems = []
    actual = {}
    for c in checks:
        cid, verdict, reason = c["id"], c["verdict"], c.get("reason", "")
        if verdict not in VERDICTS:
            problems.append(f"{cid}: unknown verdict '{verdict}'")
        elif verdict != "pass" and not reason.strip():
            problems.append(f"{cid}: verdict {verdict} without a reason")
        if cid in actual:
            problems.append(f"{cid}: reported twice")
        actual[cid] = verdict
        if verdict != "pass":
            print(f"  {cid} {verdict}: {reason}")

    if update:
        write_baseline(baseline_path, name, checks)
        print(f"interop_postfix: {name}: wrote {len(checks)} verdicts to {baseline_path}")

    try:
        expected = read_baseline(baseline_path, problems)
    except FileNotFoundError:
        expected = {}
        problems.append(f"no baseline {baseline_path}: after looking at the verdicts, run the test with "
                        "SMTPSPEC_UPDATE_BASELINE=1 to write it")
    if expected:
        for cid, verdict in actual.items():
            if cid not in expected:
                problems.append(f"{cid}: {verdict}, a check the baseline does not have")
            elif expected[cid] != verdict:
                problems.append(f"{cid}: {verdict}, the baseline says {expected[cid]}")
        for cid, verdict in expected.items():
            if cid not in actual:
                problems.append(f"{cid}: in the baseline ({verdict}) but not run")

    counts = ", ".join(f"{n} {v}" for v in sorted(VERDICTS) if (n := sum(x == v for x in actual.values())))
    print(f"interop_postfix: {name}: {counts}")
    if problems:
        print(f"interop_postfix: FAIL: {name}: the verdicts against Postfix differ from {baseline_path} "
              "or are incomplete:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        print("Look at each change (the transcripts are in the JSON report); when it is right, rerun with "
              "SMTPSPEC_UPDATE_BASELINE=1 and explain it in docs/interop.md.", file=sys.stderr)
        return 1
    print(f"interop_postfix: {name}: {len(actual)} verdicts equal the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
