#!/usr/bin/env python3
"""make-sets.py: three result sets made from the plot fixtures, for the
comparisons of tests/report/check-compare-sets.sh.

    make-sets.py FIXTURES_DIR OUT_DIR

OUT_DIR/alice holds six results files (every kind of overlay among them);
bob the same with one count changed (somaxconn-clamp, point 0: connected
3 -> 4); carol with another (point 1: connected 3 -> 5) and without
backlog-never-accept. Each set is what a student's results/ would hold."""
import copy
import json
import os
import sys

FIXTURES = ["handshakes", "accept_queue", "buffer_grid", "queues", "rate-modes", "latency"]


def write(directory, name, results):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name + ".json"), "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)


def main():
    fixtures, out = sys.argv[1], sys.argv[2]
    sets = {"alice": {}, "bob": {}, "carol": {}}
    for fixture in FIXTURES:
        with open(os.path.join(fixtures, fixture + ".json")) as f:
            results = json.load(f)
        for name in sets:
            sets[name][results["name"]] = copy.deepcopy(results)
    sets["bob"]["somaxconn-clamp"]["runs"][0]["summary"]["connected"] += 1
    sets["carol"]["somaxconn-clamp"]["runs"][1]["summary"]["connected"] += 2
    del sets["carol"]["backlog-never-accept"]
    for name, scenarios in sets.items():
        for scenario, results in scenarios.items():
            write(os.path.join(out, name), scenario, results)


if __name__ == "__main__":
    main()
