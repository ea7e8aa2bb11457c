#!/bin/bash
# check-compare-sets.sh: a class's results side by side.
#
#   check-compare-sets.sh BUILD_DIR SOURCE_DIR
#
# make-sets.py makes three sets from the plot fixtures: alice, bob (one
# count changed: somaxconn-clamp point 0, connected 3 -> 4) and carol
# (another: point 1, connected 3 -> 5; and without backlog-never-accept).
#
# Two sets (alice, bob) must give, byte for byte, the compare.json that
# harness-compare wrote before it took more than two
# (fixtures/compare-two-sets.json). Three must give: compare.json format 2
# with each set against the baseline alice (bob marked at point 0 only,
# carol at point 1 only: what carol measured is not compared with bob's);
# every overlay table drawn per sweep or per point holding as many series
# of each set that has the scenario; a buffer_grid per set; a page whose
# side-by-side tables have one column per set and whose two marked cells
# are bob's and carol's. Needs gnuplot (the captions of the overlays are in
# compare.json), not root.
set -u
build=$(cd "${1:?usage: check-compare-sets.sh BUILD_DIR SOURCE_DIR}" && pwd) || exit 1
source=$(cd "${2:?usage: check-compare-sets.sh BUILD_DIR SOURCE_DIR}" && pwd) || exit 1
check=$build/tests/report/markup_check

command -v gnuplot >/dev/null || { echo "skip: no gnuplot (make deps)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-compare-sets.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

python3 "$source/tests/report/make-sets.py" "$source/tests/plot/fixtures" "$tmp" || exit 1
cd "$tmp" || exit 1

# two sets: compare.json as it always was (relative directories: the same
# paths in it wherever the test runs)
"$build/harness-compare" -q alice bob -o two >two.out 2>&1 || { cat two.out; fail "harness-compare alice bob"; }
cmp -s two/compare.json "$source/tests/report/fixtures/compare-two-sets.json" ||
    fail "two sets: compare.json differs from fixtures/compare-two-sets.json:
$(diff two/compare.json "$source/tests/report/fixtures/compare-two-sets.json" | head -20)"
"$check" --html two/index.html || fail "two/index.html"

# three sets
"$build/harness-compare" -q alice bob carol -o three >three.out 2>&1 ||
    { cat three.out; fail "harness-compare alice bob carol"; }
"$check" --html three/index.html || fail "three/index.html"
python3 - "$tmp/three" <<'EOF' || failed=1
import glob, json, os, re, sys

out = sys.argv[1]
failed = False

def fail(message):
    global failed
    print("FAIL:", message)
    failed = True

with open(os.path.join(out, "compare.json")) as f:
    c = json.load(f)
if c["format"] != "backlog-lab compare 2":
    fail("format %r" % c["format"])
if [s["name"] for s in c["sets"]] != ["alice", "bob", "carol"]:
    fail("sets %r" % [s["name"] for s in c["sets"]])
# each set against the baseline: bob marked at point 0, carol at point 1
marks = []
for s in c["scenarios"]:
    for pair in s["against_baseline"]:
        for p in pair["points"]:
            for field in p["marked"]:
                marks.append((s["name"], pair["set"], p["a_point"], field))
expected = [("somaxconn-clamp", "B", 0, "connected"), ("somaxconn-clamp", "C", 1, "connected")]
if marks != expected:
    fail("marked %r, expected %r" % (marks, expected))
if c["marked"] != 2:
    fail("marked in all: %r" % c["marked"])
never = [s for s in c["scenarios"] if s["name"] == "backlog-never-accept"]
if not never or [p["set"] for p in never[0]["against_baseline"]] != ["B"]:
    fail("backlog-never-accept: compared with B only (carol lacks it)")
if c["sets"][2]["only_in_baseline"] != ["backlog-never-accept"]:
    fail("carol's only_in_baseline: %r" % c["sets"][2]["only_in_baseline"])

# one series per set in every overlay table: as many of each set that has
# the scenario, none of another
names = ["alice", "bob", "carol"]
tables = 0
for dat in sorted(glob.glob(os.path.join(out, "*", "*.dat"))):
    scenario, plot = dat.split(os.sep)[-2], os.path.basename(dat)
    if plot.startswith("buffer_grid-"):
        continue
    tables += 1
    having = [n for n in names if not (n == "carol" and scenario == "backlog-never-accept")]
    with open(dat) as f:
        titles = [line for line in f if line.startswith('"')]
    counts = {n: sum(1 for t in titles if t.startswith('"%s: ' % n)) for n in names}
    if any(counts[n] == 0 for n in having) or len({counts[n] for n in having}) != 1:
        fail("%s/%s: series per set %r" % (scenario, plot, counts))
    if any(counts[n] for n in names if n not in having):
        fail("%s/%s: a series of a set without the scenario" % (scenario, plot))
if tables < 5:
    fail("only %d overlay tables" % tables)
for letter in "ABC":
    if not os.path.exists(os.path.join(out, "buffer-size-sweep", "buffer_grid-%s.png" % letter)):
        fail("no buffer_grid-%s.png" % letter)

# the page: one column per set under each field, two marked cells
with open(os.path.join(out, "index.html")) as f:
    page = f.read()
fields = len(re.findall(r'<th colspan="3">', page))
for n in names:
    if page.count("<th>%s</th>" % n) < fields:
        fail("the page heads fewer than %d columns %s" % (fields, n))
if fields == 0:
    fail("no side-by-side table with three columns per field")
if page.count('class="n marked"') != 2:
    fail("%d marked cells, expected 2" % page.count('class="n marked"'))
sys.exit(1 if failed else 0)
EOF

# --label names the sets instead of their folders, once per set
"$build/harness-compare" -q --no-plots -l 2024 -l 2025 -l 2026 alice bob carol -o labelled \
    >/dev/null 2>&1 || fail "harness-compare with --label"
grep -q '"name": "2026"' labelled/compare.json || fail "--label: no set named 2026"
if "$build/harness-compare" -q -l one alice bob -o bad >bad.out 2>&1; then
    fail "one --label for two sets was accepted"
fi
grep -q "give one per set" bad.out || fail "one --label for two sets: $(cat bad.out)"
[ -e bad ] && fail "a refused command line wrote bad/"

if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "ok: two sets give the compare.json of old; three, a column and a series per set, each against the baseline"
