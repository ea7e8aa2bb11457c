#!/bin/bash
# install.tree: `cmake --install` into a fresh prefix, and the installed
# programs used from a directory with no source tree around.
#
#   tests/install/check-install.sh BUILD_DIR SOURCE_DIR MAN_PAGES(0|1)
#
# Checks the tree: the seven programs in bin/, each answering --version;
# every plot/*.gp in share/backlog-lab/plot, every scenarios/*.json (the
# schema and the template with them) in share/backlog-lab/scenarios; with
# MAN_PAGES 1 (help2man was found), share/man/man1/<program>.1 for each,
# rendered by `man -l` with its NAME line, and naming neither the source
# nor the build directory. Then, in an empty directory and with
# HARNESS_PLOT_DIR unset, the installed harness-plot draws a fixture and
# harness-export exports it; with one installed script removed, the plot
# fails naming that script under the prefix (so it was the installed
# scripts that drew, not the source tree's); and the prefix moved
# elsewhere still draws (the lookup is relative to the program).
set -uo pipefail
build=$(cd "${1:?usage: check-install.sh BUILD_DIR SOURCE_DIR MAN_PAGES}" && pwd) || exit 1
source=$(cd "${2:?usage: check-install.sh BUILD_DIR SOURCE_DIR MAN_PAGES}" && pwd) || exit 1
man_pages=${3:?usage: check-install.sh BUILD_DIR SOURCE_DIR MAN_PAGES}
programs=(harness-run harness-server harness-client harness-plot harness-compare harness-report
    harness-export)
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }

# ---- the tree ---------------------------------------------------------------
version=$(sed -n 's/^project(backlog-lab VERSION \([0-9.]*\).*/\1/p' "$source/CMakeLists.txt")
for program in "${programs[@]}"; do
    if [ ! -x "$prefix/bin/$program" ]; then
        fail "bin/$program not installed"
    elif [ "$("$prefix/bin/$program" --version)" != "$program $version" ]; then
        fail "bin/$program --version: $("$prefix/bin/$program" --version)"
    fi
done
extra=$(ls "$prefix/bin" | grep -vxF -f <(printf '%s\n' "${programs[@]}"))
[ -z "$extra" ] || fail "bin/ holds more than the programs: $extra"
share=$prefix/share/backlog-lab
for file in "$source"/plot/*.gp; do
    cmp -s "$file" "$share/plot/$(basename "$file")" || fail "share/backlog-lab/plot/$(basename "$file")"
done
for file in "$source"/scenarios/*.json; do
    cmp -s "$file" "$share/scenarios/$(basename "$file")" ||
        fail "share/backlog-lab/scenarios/$(basename "$file")"
done
for file in schema.json TEMPLATE.json; do
    [ -f "$share/scenarios/$file" ] || fail "share/backlog-lab/scenarios/$file missing"
done
if [ "$man_pages" = 1 ]; then
    for program in "${programs[@]}"; do
        page=$prefix/share/man/man1/$program.1
        if [ ! -f "$page" ]; then
            fail "share/man/man1/$program.1 not installed"
            continue
        fi
        # (groff may warn that a long JSON example cannot be justified)
        text=$(LANG=C MANWIDTH=80 man -l "$page" 2>/dev/null) || fail "man -l $program.1"
        grep -Eq "^ +$program +- +[a-z]" <<<"$text" || fail "$program.1: no NAME line"
        grep -q "^SYNOPSIS" <<<"$text" || fail "$program.1: no SYNOPSIS (Usage: line)"
        grep -Fq -e "$source" -e "$build" "$page" && fail "$program.1 names the source or build tree"
    done
else
    echo "help2man was not found at configure time: no man pages to check"
fi

# ---- used from elsewhere -------------------------------------------------------
if ! command -v gnuplot >/dev/null; then
    echo "gnuplot missing: the installed harness-plot is not tried"
    [ "$failures" -eq 0 ] && echo "install.tree: passed" && exit 0
    exit 1
fi
unset HARNESS_PLOT_DIR GNUPLOT_LIB
lab=$tmp/lab
mkdir -p "$lab"
cp "$source/tests/plot/fixtures/outcomes.json" "$lab/"
cd "$lab" || exit 1
draw() { # draw PREFIX OUTDIR: the installed harness-plot on the fixture
    "$1/bin/harness-plot" -q outcomes.json -d "$2" >"$tmp/plot.log" 2>&1
}
if ! draw "$prefix" out; then
    fail "the installed harness-plot: $(cat "$tmp/plot.log")"
else
    [ "$(head -c 8 out/outcomes.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        fail "out/outcomes.png is not a PNG"
    grep -q '</svg>' out/outcomes.svg || fail "out/outcomes.svg is not a whole SVG"
fi
"$prefix/bin/harness-export" -q outcomes.json --csv csv >"$tmp/export.log" 2>&1 ||
    fail "the installed harness-export: $(cat "$tmp/export.log")"
[ -s csv/runs.csv ] && [ -s csv/connections.csv ] || fail "harness-export wrote no CSV"

mv "$share/plot/outcomes.gp" "$tmp/"
draw "$prefix" gone && fail "harness-plot drew without the installed outcomes.gp"
grep -Fq "$prefix/bin/../share/backlog-lab/plot/outcomes.gp" "$tmp/plot.log" ||
    fail "without the installed outcomes.gp the message names another: $(cat "$tmp/plot.log")"
mv "$tmp/outcomes.gp" "$share/plot/"

mv "$prefix" "$tmp/moved"
draw "$tmp/moved" moved || fail "harness-plot of a moved prefix: $(cat "$tmp/plot.log")"
[ -s moved/outcomes.png ] || fail "harness-plot of a moved prefix drew no PNG"

if [ "$failures" -ne 0 ]; then
    echo "install.tree: $failures failure(s)"
    exit 1
fi
echo "install.tree: passed"
