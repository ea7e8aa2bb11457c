#!/bin/bash
# check-pages.sh: the pages a person opens, built from the reference set.
#
#   check-pages.sh BUILD_DIR SOURCE_DIR
#
# In a temporary copy of five scenarios of results/reference/<kernel>/
# (every kind of plot among them): harness-plot draws their plots (each
# PNG with an SVG beside it; the timelines of point 0), harness-report writes index.html, and
# harness-compare compares the set with itself: nothing may be marked, and
# every overlay is drawn. Each page must pass markup_check --html (valid
# HTML, every relative link and image it names exists) and show every
# plot there is; the results page links the comparison once there is one.
# Plots of earlier results (a kind no longer listed, a point gone) are
# removed by harness-plot and, left there, not shown by harness-report.
# Needs gnuplot, not root.
set -u
build=$(cd "${1:?usage: check-pages.sh BUILD_DIR SOURCE_DIR}" && pwd) || exit 1
source=$(cd "${2:?usage: check-pages.sh BUILD_DIR SOURCE_DIR}" && pwd) || exit 1
check=$build/tests/report/markup_check

command -v gnuplot >/dev/null || { echo "skip: no gnuplot (make deps)"; exit 77; }
reference=$(ls -d "$source"/results/reference/*/ 2>/dev/null | head -n 1)
[ -n "$reference" ] || { echo "FAIL: no reference set in $source/results/reference/"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-pages.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
results=$tmp/results
mkdir -p "$results"
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

scenarios="backlog-slow-acceptor somaxconn-clamp slow-reader-small-buffers blocking-vs-nonblocking
buffer-size-sweep"
# plots of earlier results, which harness-plot must remove: a kind the
# results do not list and a point they do not have; and a file it must leave
mkdir -p "$results/somaxconn-clamp"
for stale in rate.png rate.svg rate.dat accept_queue-p99.png notes.txt; do
    echo "left by an earlier run" >"$results/somaxconn-clamp/$stale"
done
for name in $scenarios; do
    cp "$reference/$name.json" "$results/" || fail "no $name.json in $reference"
    # the timelines of the first point only (-p 0): the overlays below draw them all
    "$build/harness-plot" -q -p 0 "$results/$name.json" || fail "harness-plot $name.json"
done
for stale in rate.png rate.svg rate.dat accept_queue-p99.png; do
    [ -e "$results/somaxconn-clamp/$stale" ] && fail "harness-plot left the stale $stale"
done
[ -e "$results/somaxconn-clamp/notes.txt" ] || fail "harness-plot removed notes.txt, no plot output"
# every PNG has its SVG, well-formed
for png in "$results"/*/*.png; do
    [ -s "${png%.png}.svg" ] || fail "no SVG beside $png"
done
"$check" --svg "$results"/*/*.svg >/dev/null || fail "an SVG is not well-formed"

# a plot of earlier results (somaxconn-clamp lists no rate plot; -p 0 above
# removed one planted before it) is not shown
cp "$results/somaxconn-clamp/handshakes.png" "$results/somaxconn-clamp/rate.png"

# the results page: valid, and it shows every plot and links every results file
"$build/harness-report" -q "$results" || fail "harness-report"
"$check" --html "$results/index.html" || fail "results/index.html"
grep -q 'src="somaxconn-clamp/rate.png"' "$results/index.html" &&
    fail "index.html shows somaxconn-clamp/rate.png, a kind its results do not list"
for png in "$results"/*/*.png; do
    relative=${png#"$results"/}
    [ "$relative" = somaxconn-clamp/rate.png ] && continue
    grep -q "src=\"$relative\"" "$results/index.html" || fail "index.html does not show $relative"
done
for name in $scenarios; do
    grep -q "href=\"$name.json\"" "$results/index.html" || fail "index.html does not link $name.json"
done

# a set compared with itself: nothing marked, every overlay drawn, a valid page
if ! "$build/harness-compare" -q "$results" "$results" -o "$results/compare" >"$tmp/printed" 2>&1; then
    cat "$tmp/printed"
    fail "harness-compare"
fi
[ "$(grep -c "no difference beyond the runs' spread" "$tmp/printed")" -eq 5 ] ||
    fail "not every scenario compared without a marked difference: $(cat "$tmp/printed")"
grep -q '"marked": 0,' "$results/compare/compare.json" || fail "compare.json: marked is not 0"
grep -q '"marked": true' "$results/compare/compare.json" && fail "compare.json marks a field"
"$check" --html "$results/compare/index.html" || fail "compare/index.html"
for png in "$results"/compare/*/*.png; do
    relative=${png#"$results"/compare/}
    grep -q "src=\"$relative\"" "$results/compare/index.html" ||
        fail "compare/index.html does not show $relative"
    [ -s "${png%.png}.svg" ] || fail "no SVG beside $png"
done
# one overlay of each kind the five draw
for plot in somaxconn-clamp/handshakes backlog-slow-acceptor/latency somaxconn-clamp/accept_queue-p8 \
    slow-reader-small-buffers/transfer slow-reader-small-buffers/queues blocking-vs-nonblocking/rate \
    blocking-vs-nonblocking/outcomes buffer-size-sweep/buffers buffer-size-sweep/buffer_grid-A \
    buffer-size-sweep/buffer_grid-B; do
    [ -s "$results/compare/$plot.png" ] || fail "no overlay $plot.png"
done

# the results page again: now it links the comparison
"$build/harness-report" -q "$results" || fail "harness-report (again)"
grep -q 'href="compare/index.html"' "$results/index.html" || fail "index.html does not link the comparison"
"$check" --html "$results/index.html" || fail "results/index.html (again)"
leftovers=$(find "$results" -name '*.tmp' -o -name '.*.tmp.*')
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"

# the checker itself catches what it is there for
if "$check" --html "$source/tests/report/fixtures/broken.html" >"$tmp/broken" 2>&1; then
    fail "markup_check passed fixtures/broken.html"
fi
while IFS= read -r line; do
    grep -qF -- "$line" "$tmp/broken" || fail "markup_check did not say: $line"
done <"$source/tests/report/fixtures/broken.expect"

if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "ok: plots with SVGs, results/index.html and a self-comparison with nothing marked, all valid"
