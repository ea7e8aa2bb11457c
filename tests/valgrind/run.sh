#!/usr/bin/env bash
# run.sh: valgrind memcheck on representative runs; ctest's valgrind.*.
#
#   run.sh BUILD_DIR SOURCE_DIR
#
# Runs under valgrind --leak-check=full, with the server and the client
# traced too (--trace-children: each child gets its own log), and fails
# on any memcheck error or any leak (definite, indirect or possible):
#   - harness-run on scenarios that cover a sweep with a full accept queue
#     and SYN retransmits (tests/e2e: backlog-handshakes, two points at a
#     time: the workers of --jobs and their results), a bulk transfer
#     (fast-reader), a listener closed with connections queued
#     (listener-closed) and blocked sends (here: blocked-sends);
#   - harness-run on an invalid scenario (the error path);
#   - harness-plot on results files of the plot tests (gnuplot itself is
#     not traced);
#   - harness-compare and harness-report on the results made here: one
#     scenario in both sets, one in each set only, overlays drawn.
# Exit 0 all clean, 1 an error or a leak, 77 (skip) without valgrind or
# network namespaces.
set -u
build=$1
source=$2
if ! command -v valgrind >/dev/null; then
    echo "SKIP: valgrind is not installed (apt-get install valgrind)"
    exit 77
fi
if ! unshare -n true 2>/dev/null; then
    echo "SKIP: cannot make a network namespace here (needs root)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/valgrind.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp

valgrind_run() {
    local label=$1
    shift
    valgrind --trace-children=yes --trace-children-skip='*gnuplot*' --leak-check=full \
        --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
        --log-file="$tmp/$label.%p.vg" "$@" >"$tmp/$label.out" 2>&1
}

failed=0
processes=0
check() {
    local label=$1 status=$2 expected=$3
    if [ "$status" -ne "$expected" ]; then
        echo "FAIL $label: exit status $status, expected $expected"
        cat "$tmp/$label.out"
        failed=1
    fi
    for log in "$tmp/$label".*.vg; do
        # a fork that went on to exec a program not traced (gnuplot)
        # leaves a log with the header alone
        if ! grep -q "ERROR SUMMARY" "$log" &&
            ! grep -qvE 'Memcheck, a memory|Copyright|Using Valgrind|Command:|Parent PID:|^==[0-9]+== $' \
                "$log"; then
            continue
        fi
        processes=$((processes + 1))
        if ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
            echo "FAIL $label: $(grep -m1 'Command:' "$log")"
            cat "$log"
            failed=1
        fi
    done
}

# one after another, each point after the other (-j 1), but for the sweep:
# two of its points at a time, so that the workers of --jobs are traced too
# (under valgrind a run is twenty times slower; more at once would outlast
# the runner's 5 s for a child to stop)
for scenario in e2e/scenarios/backlog-handshakes e2e/scenarios/fast-reader \
    e2e/scenarios/listener-closed valgrind/blocked-sends; do
    name=$(basename "$scenario")
    jobs=1
    [ "$name" = backlog-handshakes ] && jobs=2
    valgrind_run "$name" "$build/harness-run" "$source/tests/$scenario.json" -o "$tmp/$name.json" \
        -q -j "$jobs"
    check "$name" $? 0
done

printf '{"server": {"backlog": "4"}}\n' >"$tmp/invalid-input.json"
valgrind_run invalid "$build/harness-run" "$tmp/invalid-input.json" -o "$tmp/invalid.json"
check invalid $? 2

if command -v gnuplot >/dev/null; then
    for fixture in transfer-points buffers; do
        valgrind_run "plot-$fixture" "$build/harness-plot" \
            "$source/tests/plot/fixtures/$fixture.json" -d "$tmp/plots-$fixture" -q
        check "plot-$fixture" $? 0
    done
fi

if command -v gnuplot >/dev/null; then
    mkdir -p "$tmp/set-a" "$tmp/set-b"
    cp "$tmp/blocked-sends.json" "$tmp/listener-closed.json" "$tmp/set-a/"
    cp "$tmp/blocked-sends.json" "$tmp/fast-reader.json" "$tmp/set-b/"
    valgrind_run compare "$build/harness-compare" "$tmp/set-a" "$tmp/set-b" \
        -o "$tmp/set-a/compare" -q
    check compare $? 0
    valgrind_run report "$build/harness-report" "$tmp/set-a" -q
    check report $? 0
fi

if [ "$failed" -ne 0 ]; then
    echo "valgrind: errors or leaks (above)"
    exit 1
fi
echo "valgrind: $processes processes checked (runner, servers, clients, plot, compare, report):" \
    "0 errors, 0 leaks"
