#!/bin/bash
# run-browser.sh: the browser test (ctest browser.pages).
#
#   run-browser.sh SOURCE_DIR SITE_DIR SCREENSHOT_DIR
#
# First the checker must catch what it is there for: on
# fixtures/broken/index.html it must fail and say every line of
# fixtures/broken.expect. Then every page of the site build-site.sh made
# (results/index.html and the pages it links, the comparison of three sets)
# must pass check-browser.py at 1280 and 800 pixels; the screenshots go to
# SCREENSHOT_DIR. Exit 77 (skipped) when no Chromium is installed.
set -u
source=${1:?usage: run-browser.sh SOURCE_DIR SITE_DIR SCREENSHOT_DIR}
site=${2:?usage: run-browser.sh SOURCE_DIR SITE_DIR SCREENSHOT_DIR}
shots=${3:?usage: run-browser.sh SOURCE_DIR SITE_DIR SCREENSHOT_DIR}
here=$source/tests/browser
out=$(mktemp "${TMPDIR:-/tmp}/run-browser.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT

python3 "$here/check-browser.py" "$here/fixtures" "$shots/broken" broken/index.html >"$out" 2>&1
status=$?
if [ "$status" -eq 77 ]; then
    cat "$out"
    exit 77
fi
failed=0
if [ "$status" -eq 0 ]; then
    echo "FAIL: check-browser.py passed fixtures/broken/index.html"
    failed=1
fi
while IFS= read -r line; do
    grep -qF -- "$line" "$out" || { echo "FAIL: check-browser.py did not say: $line"; failed=1; }
done <"$here/fixtures/broken.expect"
[ "$failed" -eq 0 ] || { cat "$out"; exit 1; }

python3 "$here/check-browser.py" "$site" "$shots" results/index.html class/compare/index.html
