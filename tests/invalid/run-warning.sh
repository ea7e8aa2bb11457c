#!/usr/bin/env bash
# run-warning.sh: one case of the warnings catalogue.
#
#   run-warning.sh HARNESS_RUN CASE.json EXPECTED
#
# A case is a valid scenario that says something which will not happen as
# written (a value that its sweep replaces in every point). EXPECTED holds
# the lines harness-run must print on stderr for it, in order (@FILE@ for
# the case's path; an empty file: nothing may be printed). The case passes
# when
#   - harness-run --check CASE exits 0, prints "CASE: ok (...)" on stdout
#     and exactly those lines on stderr;
#   - harness-run --plan CASE exits 0 and prints the same lines on stderr;
#   - harness-run CASE -o DIR/out.json, where DIR does not exist, prints
#     those lines before anything else on stderr (before it finds that it
#     cannot write its results and exits 1, so nothing runs).
set -u
shopt -u patsub_replacement 2>/dev/null # '&' in a path stays '&' in ${x//@FILE@/path}

if [ $# -ne 3 ]; then
    echo "usage: $0 HARNESS_RUN CASE.json EXPECTED" >&2
    exit 2
fi
harness=$1 case_path=$2 expected_file=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warning-case.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

template=$(<"$expected_file")
expected=${template//@FILE@/$case_path}
failed=0
fail() {
    echo "FAIL ($1): $2"
    failed=1
}

# same_lines LABEL FILE: FILE holds exactly the expected lines
same_lines() {
    if [ "$(<"$2")" != "$expected" ]; then
        fail "$1" "stderr differs from $expected_file (- expected, + actual):"
        diff -u --label expected --label actual <(printf '%s' "$expected") "$2"
    fi
}

timeout 60 "$harness" --check "$case_path" >"$tmp/check.out" 2>"$tmp/check.err"
status=$?
[ "$status" -eq 0 ] || fail check "exit status $status, expected 0 (a warning is no error)"
grep -q "^$case_path: ok (" "$tmp/check.out" || fail check "stdout has no ok line: $(<"$tmp/check.out")"
same_lines check "$tmp/check.err"

timeout 60 "$harness" --plan "$case_path" >"$tmp/plan.out" 2>"$tmp/plan.err"
status=$?
[ "$status" -eq 0 ] || fail plan "exit status $status, expected 0"
same_lines plan "$tmp/plan.err"

timeout 60 "$harness" "$case_path" -o "$tmp/no-such-dir/out.json" >"$tmp/run.out" 2>"$tmp/run.err"
status=$?
[ "$status" -eq 1 ] || fail run "exit status $status, expected 1 (the results cannot be written)"
lines=$(printf '%s' "$template" | grep -c '^' || true)
head -n "$lines" "$tmp/run.err" >"$tmp/run.head"
same_lines run "$tmp/run.head"
tail -n +"$((lines + 1))" "$tmp/run.err" | grep -q "cannot write results" ||
    fail run "the warnings are not followed by the refusal to write: $(<"$tmp/run.err")"

if [ "$failed" -ne 0 ]; then
    echo "case: $case_path"
    exit 1
fi
echo "ok: $case_path (${lines} warning line(s))"
