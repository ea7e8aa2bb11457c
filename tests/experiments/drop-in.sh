#!/bin/bash
# drop-in.sh: a scenario file dropped into scenarios/ is run by `make
# experiments` with no other edit, and `make experiments SCENARIOS=...`
# runs just the ones named.
#
#   drop-in.sh SOURCE_DIR
#
# Works on a copy of the source tree in a temporary directory (never in
# SOURCE_DIR: its scenarios/ and results/ are left alone), as a student
# would on a fresh clone: `make new-scenario NAME=...` starts two scenarios
# (one from TEMPLATE.json, one FROM a shipped scenario), then the front door
# builds the copy and runs them.
# The copy's scenarios/ holds only schema.json and TEMPLATE.json besides
# them, so the default set is exactly what was dropped in (and shows that
# schema.json and TEMPLATE.json are left out). Each scenario lasts a fraction
# of a second; the build of the copy takes most of the time, so it is built
# unoptimised (CMAKE_FLAGS, the front door's own option: a third of the
# compiler's time, and nothing here depends on how fast the code is). Needs no root
# (without a network namespace the harness runs on the host's stack); skips
# (77) when the Debian packages are missing, which it must not install.
set -u
source_dir=$(cd "${1:?usage: drop-in.sh SOURCE_DIR}" && pwd) || exit 1
# not the jobserver of a make that runs ctest
unset MAKEFLAGS MFLAGS MAKELEVEL

if ! "$source_dir/tools/install-deps" --check >/dev/null 2>&1; then
    echo "skip: Debian packages missing (make deps)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/drop-in.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
mkdir -p "$repo/scenarios"
# everything the build reads: the whole tree but its outputs and scenarios
for path in "$source_dir"/*; do
    case ${path##*/} in
    build* | results | scenarios) continue ;;
    esac
    cp -r "$path" "$repo/" || exit 1
done
cp "$source_dir/scenarios/schema.json" "$source_dir/scenarios/TEMPLATE.json" "$repo/scenarios/"

failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

# 1. two new scenarios: one from the template, made short (three clients),
#    one from a shipped scenario (no-listener: 8 connects refused at once)
make -s -C "$repo" new-scenario NAME=drop-in-one >"$tmp/new.log" 2>&1 ||
    { cat "$tmp/new.log"; fail "make new-scenario NAME=drop-in-one"; }
sed -i -e 's/"connections": 1,/"connections": 3,/' -e 's/"duration_ms": 10000,/"duration_ms": 500,/' \
    "$repo/scenarios/drop-in-one.json"
grep -q '"connections": 3,' "$repo/scenarios/drop-in-one.json" ||
    fail "the template has no line '\"connections\": 1,' to change"
make -s -C "$repo" new-scenario NAME=drop-in-two FROM="$source_dir/scenarios/no-listener.json" \
    >"$tmp/new.log" 2>&1 || { cat "$tmp/new.log"; fail "make new-scenario FROM=..."; }
grep -q '"name": "drop-in-two",' "$repo/scenarios/drop-in-two.json" ||
    fail "new-scenario FROM=... did not set the copy's name"
before=$(cksum <"$repo/scenarios/drop-in-one.json")
if make -s -C "$repo" new-scenario NAME=drop-in-one >"$tmp/again.log" 2>&1; then
    fail "make new-scenario overwrote an existing scenario"
fi
[ "$before" = "$(cksum <"$repo/scenarios/drop-in-one.json")" ] || fail "drop-in-one.json changed"
grep -q "already exists" "$tmp/again.log" || fail "no 'already exists' message: $(cat "$tmp/again.log")"

# 2. the default set: both new files, nothing else
flags=CMAKE_FLAGS=-DCMAKE_BUILD_TYPE=Debug
if ! make -C "$repo" experiments "$flags" >"$tmp/all.log" 2>&1; then
    tail -n 30 "$tmp/all.log"
    fail "make experiments failed"
fi
grep -q "experiments: 2 scenario(s) up to date" "$tmp/all.log" ||
    fail "make experiments did not run exactly the 2 new scenarios: $(tail -n 5 "$tmp/all.log")"
for name in drop-in-one drop-in-two; do
    results=$repo/results/$name.json
    [ -s "$results" ] || { fail "no $results"; continue; }
    grep -q '"format": "backlog-lab results 1"' "$results" || fail "$results: no results format"
    grep -q "\"name\": \"$name\"" "$results" || fail "$results: not named $name"
    ls "$repo/results/$name/"*.png >/dev/null 2>&1 || fail "no plots in results/$name/"
done
grep -q '"connected": 3' "$repo/results/drop-in-one.json" || fail "drop-in-one: not 3 connected"
grep -q '"refused": 8' "$repo/results/drop-in-two.json" || fail "drop-in-two: not 8 refused"
for name in schema TEMPLATE; do
    [ ! -e "$repo/results/$name.json" ] || fail "make experiments ran scenarios/$name.json"
done

# 3. SCENARIOS= runs the one named (changed, so it is out of date) and no other
touch -d '1 minute ago' "$repo/results/drop-in-one.json"
stamp=$(stat -c %Y "$repo/results/drop-in-one.json")
sed -i 's/"connections": 8 /"connections": 2 /' "$repo/scenarios/drop-in-two.json"
grep -q '"connections": 2 ' "$repo/scenarios/drop-in-two.json" ||
    fail "could not change client.connections in the copy of scenarios/no-listener.json"
touch "$repo/scenarios/drop-in-one.json" # out of date too: must still be left alone
if ! make -C "$repo" experiments "$flags" SCENARIOS=scenarios/drop-in-two.json >"$tmp/one.log" 2>&1; then
    tail -n 30 "$tmp/one.log"
    fail "make experiments SCENARIOS=scenarios/drop-in-two.json failed"
fi
grep -q "experiments: 1 scenario(s) up to date" "$tmp/one.log" || fail "not 1 scenario"
grep -q '"refused": 2' "$repo/results/drop-in-two.json" || fail "drop-in-two was not rerun"
[ "$(stat -c %Y "$repo/results/drop-in-one.json")" = "$stamp" ] ||
    fail "drop-in-one was rerun though SCENARIOS did not name it"

if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "ok: two scenarios dropped into scenarios/ ran with make experiments; SCENARIOS= ran one"
