#!/usr/bin/env python3
"""Summarises Stryker's JSON reports (out/<area>/reports/mutation-report.json) as markdown: the score per area and per
file (killed + timeout over killed + timeout + survived + no coverage, as Stryker counts it) and every mutant that
survived or was never covered, so each can be judged: a missing test, or a mutant that cannot change behaviour."""
import json, os, sys

out = sys.argv[1]
detected = {"Killed", "Timeout"}
undetected = {"Survived", "NoCoverage"}
print("# Mutation testing results\n")
print("Made by `tests/mutation/run.sh` (Stryker.NET); the score counts killed and timed-out mutants over every mutant")
print("that compiled and was not ignored.\n")
print("| area | score | killed | survived | no coverage | timeout |")
print("|---|---|---|---|---|---|")
details = []
for area in sorted(os.listdir(out)):
    path = os.path.join(out, area, "reports", "mutation-report.json")
    if not os.path.exists(path):
        continue
    report = json.load(open(path))
    counts = {}
    for name, f in report["files"].items():
        for m in f["mutants"]:
            counts[m["status"]] = counts.get(m["status"], 0) + 1
            if m["status"] in undetected:
                details.append((area, os.path.basename(name), m["location"]["start"]["line"], m["status"], m["mutatorName"], m.get("replacement", "").replace("\n", " ")[:70]))
    d = sum(counts.get(s, 0) for s in detected)
    u = sum(counts.get(s, 0) for s in undetected)
    score = f"{100 * d / (d + u):.1f} %" if d + u else "n/a"
    print(f"| {area} | {score} | {counts.get('Killed', 0)} | {counts.get('Survived', 0)} | {counts.get('NoCoverage', 0)} | {counts.get('Timeout', 0)} |")
print("\n## Mutants not detected\n")
print("| area | file | line | status | mutation | replacement |")
print("|---|---|---|---|---|---|")
for area, name, line, status, mutator, replacement in details:
    print(f"| {area} | {name} | {line} | {status} | {mutator} | `{replacement.replace('|', '¦')}` |")
