#!/bin/bash
# build-site.sh: the pages people open, built for the browser test and the
# picture check (tests/browser/CMakeLists.txt: the fixture browser.site).
#
#   build-site.sh BUILD_DIR SOURCE_DIR SITE_DIR
#
# SITE_DIR/results: every results file of the reference set with its plots
# (every point's timelines) and index.html, as `make experiments` leaves
# results/; results/compare: that set compared with a copy of the
# scenarios that between them draw every kind of plot (COMPARED), as `make
# compare` leaves it (the others are listed as in one set only); class/compare: three sets compared (alice,
# bob, carol: tests/report/make-sets.py). SITE_DIR is emptied first. Needs
# gnuplot (exit 77 without), not root.
set -u
build=$(cd "${1:?usage: build-site.sh BUILD_DIR SOURCE_DIR SITE_DIR}" && pwd) || exit 1
source=$(cd "${2:?usage: build-site.sh BUILD_DIR SOURCE_DIR SITE_DIR}" && pwd) || exit 1
site=${3:?usage: build-site.sh BUILD_DIR SOURCE_DIR SITE_DIR}

command -v gnuplot >/dev/null || { echo "skip: no gnuplot (make deps)"; exit 77; }
reference=$(ls -d "$source"/results/reference/*/ 2>/dev/null | head -n 1)
[ -n "$reference" ] || { echo "FAIL: no reference set in $source/results/reference/"; exit 1; }

rm -rf "$site"
mkdir -p "$site/results" "$site/reference-copy" "$site/class" || exit 1
cp "$reference"/*.json "$site/results/" || exit 1
# the overlays of every kind of plot, not of every scenario: drawing them
# all took as long as the rest of the site
COMPARED="backlog-never-accept buffer-size-sweep reader-rate-sweep recv-sizes arrival-rate-sweep"
for name in $COMPARED; do
    cp "$reference/$name.json" "$site/reference-copy/" || exit 1
done
# two at a time: gnuplot is CPU-bound, and so is most of this
printf '%s\0' "$site"/results/*.json | xargs -0 -n 1 -P 2 "$build/harness-plot" -q ||
    { echo "FAIL: harness-plot of a results file of the reference set (above)"; exit 1; }
"$build/harness-compare" -q "$site/reference-copy" "$site/results" -o "$site/results/compare" \
    >/dev/null || { echo "FAIL: harness-compare of the reference set with its copy"; exit 1; }
"$build/harness-report" -q "$site/results" || { echo "FAIL: harness-report"; exit 1; }
python3 "$source/tests/report/make-sets.py" "$source/tests/plot/fixtures" "$site/class" || exit 1
(cd "$site/class" && "$build/harness-compare" -q alice bob carol -o compare >/dev/null) ||
    { echo "FAIL: harness-compare alice bob carol"; exit 1; }
echo "ok: $(find "$site" -name '*.png' | wc -l) plots and $(find "$site" -name index.html | wc -l) pages in $site"
