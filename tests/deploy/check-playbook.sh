#!/bin/bash
# check-playbook.sh BUILD_DIR: deploy/playbook.yml against an inventory
# whose two hosts are network namespaces of this machine joined by a veth
# pair (ansible_connection netns: deploy/connection_plugins/netns.py).
#
# - The playbook measures tests/deploy/two-hosts.json point by point, each
#   side in its own namespace, and its joined results match harness-run's
#   of the same scenario over its veth topology: the same points, the
#   kernel's min(B, somaxconn) + 1 handshakes in both, and harness-compare
#   marks nothing but elapsed_us (by hand the server outlives the client by
#   server_extra_ms: docs/two-hosts.md). Each host's sysctls and qdiscs
#   are kept.
# - deploy/shards.yml runs a shard on each namespace (harness-run --shard
#   K/N there) and joins them: harness-compare marks nothing against
#   harness-run's file.
# - An inventory without hosts, one that names the controller twice, and
#   a scenario with repeats are refused before anything runs.
# - A client that fails: the playbook fails naming the step and the host,
#   and no harness-server is left running.
# Skipped (77) without ansible-playbook, ip, root or network namespaces.
set -u
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
skip() {
    echo "skipped: $*"
    exit 77
}
command -v ansible-playbook >/dev/null ||
    skip "no ansible-playbook (Debian's ansible; tools/install-deps --tools installs it)"
command -v ip >/dev/null || skip "no ip (Debian's iproute2)"
[ "$(id -u)" = 0 ] || skip "not root: named network namespaces need root"
tag=blt$$
srv=$tag-s
cli=$tag-c
ip netns add "$srv" 2>/dev/null || skip "no network namespace can be made here"
tmp=$(mktemp -d)
cleanup() {
    ip netns del "$srv" 2>/dev/null
    ip netns del "$cli" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# the two hosts: 198.18.0.0/15 is for benchmarks (RFC 2544), nobody's
ip netns add "$cli"
ip link add "$tag-c" netns "$cli" type veth peer name "$tag-s" netns "$srv"
ip -n "$srv" addr add 198.18.0.1/24 dev "$tag-s"
ip -n "$cli" addr add 198.18.0.2/24 dev "$tag-c"
for ns in "$srv" "$cli"; do
    ip -n "$ns" link set lo up
done
ip -n "$srv" link set "$tag-s" up
ip -n "$cli" link set "$tag-c" up

inventory() { # NAME SERVER_VARS CLIENT_VARS
    cat >"$tmp/$1.yml" <<END
all:
  children:
    server:
      hosts:
        ns-server: {$2}
    client:
      hosts:
        ns-client: {$3}
END
}
netns="ansible_connection: netns, ansible_python_interpreter: /usr/bin/python3"
inventory two "$netns, backlog_lab_netns: $srv, backlog_lab_address: 198.18.0.1" \
    "$netns, backlog_lab_netns: $cli"
export ANSIBLE_NOCOLOR=1 ANSIBLE_PIPELINING=1 ANSIBLE_LOCAL_TEMP=$tmp/ansible-local \
    ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote ANSIBLE_RETRY_FILES_ENABLED=0
mkdir -p "$tmp/work" "$tmp/runner"
scenario=$src/tests/deploy/two-hosts.json
play() { # INVENTORY LOG [-e ...]
    local inv=$1 log=$2
    shift 2
    ansible-playbook -i "$tmp/$inv.yml" "$src/deploy/playbook.yml" -e "scenario=$scenario" \
        -e "results=$tmp/results" -e "controller_bin=$build" -e "work_base=$tmp/work" "$@" \
        >"$tmp/$log.log" 2>&1
}

# harness-run's own run of the scenario beside the playbook's
"$build/harness-run" "$scenario" -o "$tmp/runner/two-hosts.json" -q 2>"$tmp/runner.log" &
runner=$!
play two playbook -e "harness_bin_dir=$build" || fail "the playbook: $(tail -30 "$tmp/playbook.log")"
wait "$runner" || fail "harness-run: $(cat "$tmp/runner.log")"
"$build/harness-compare" "$tmp/runner" "$tmp/results" -o "$tmp/compare" -q >"$tmp/compare.log" 2>&1 ||
    fail "harness-compare: $(cat "$tmp/compare.log")"
/usr/bin/python3 - "$tmp" "$(readlink /proc/self/ns/net)" <<'END' || fail "the results (above)"
import json, os, sys
tmp, host_netns = sys.argv[1], sys.argv[2]
bad = []
runner = json.load(open(f"{tmp}/runner/two-hosts.json"))
joined = json.load(open(f"{tmp}/results/two-hosts.json"))
a, b = runner["runs"], joined["runs"]
if [(r["point"], r["repeat"]) for r in a] != [(r["point"], r["repeat"]) for r in b]:
    bad.append("not the same runs")
for x, y in zip(a, b):
    backlog = x["params"]["server"]["backlog"]
    for run, who in ((x, "harness-run"), (y, "the playbook")):
        if run["summary"]["connected"] != backlog + 1:
            bad.append(f"{who}, backlog {backlog}: {run['summary']['connected']} connected")
        if run["summary"]["attempted"] != 8:
            bad.append(f"{who}: {run['summary']['attempted']} attempted")
    if y["summary"]["kernel"]["ListenOverflows"] < 1:
        bad.append("the playbook's drops not counted")
for shard in joined["environment"]["shards"]:
    server, client = shard["by_hand"]["server"], shard["by_hand"]["client"]
    if server["netns"] == client["netns"] or f"net:[{server['netns']}]" == host_netns:
        bad.append("the halves did not run in two namespaces of their own")
compare = json.load(open(f"{tmp}/compare/compare.json"))
for scenario in compare["scenarios"]:
    for point in scenario["points"]:
        for field, f in point["fields"].items():
            if f["marked"] and field != "elapsed_us":
                bad.append(f"harness-compare marks {field} at point {point['a_point']}")
hosts = f"{tmp}/results/two-hosts/hosts"
for side in ("server-ns-server", "client-ns-client"):
    if "net.core.somaxconn" not in open(f"{hosts}/{side}.sysctls").read():
        bad.append(f"{side}: no sysctls kept")
    if "dev blt" not in open(f"{hosts}/{side}.qdiscs").read():
        bad.append(f"{side}: the veth's qdisc not kept")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
END

# deploy/shards.yml: one shard on each of the two namespaces, joined; the
# same file as harness-run's, compared: nothing marked
cat >"$tmp/runners.yml" <<END
all:
  children:
    runners:
      hosts:
        ns-one: {$netns, backlog_lab_netns: $srv}
        ns-two: {$netns, backlog_lab_netns: $cli}
END
ansible-playbook -i "$tmp/runners.yml" "$src/deploy/shards.yml" -e "scenario=$scenario" \
    -e "results=$tmp/sharded" -e "controller_bin=$build" -e "work_base=$tmp/work" \
    -e "harness_bin_dir=$build" >"$tmp/shards.log" 2>&1 ||
    fail "deploy/shards.yml: $(tail -30 "$tmp/shards.log")"
[ -e "$tmp/sharded/two-hosts/shards/shard-2-of-2.json" ] || fail "shard 2/2 not kept"
"$build/harness-compare" "$tmp/runner" "$tmp/sharded" -o "$tmp/compare-shards" -q \
    >"$tmp/compare-shards.log" 2>&1 || fail "harness-compare: $(cat "$tmp/compare-shards.log")"
grep -q '"marked": 0,' "$tmp/compare-shards/compare.json" ||
    fail "the joined shards differ from harness-run's: $(cat "$tmp/compare-shards.log")"

# inventories refused before anything runs
printf 'all:\n  hosts: {}\n' >"$tmp/empty.yml"
play empty empty -e "harness_bin_dir=$build" && fail "an inventory without hosts ran"
grep -q 'needs one host in group' "$tmp/empty.log" ||
    fail "no hosts: $(tail -20 "$tmp/empty.log")"
inventory twice "ansible_connection: local" "ansible_connection: local"
play twice twice -e "harness_bin_dir=$build" && fail "an inventory naming the controller twice ran"
grep -q 'names the controller twice' "$tmp/twice.log" ||
    fail "the controller twice: $(tail -20 "$tmp/twice.log")"

# a scenario with repeats: refused, since each point is measured once
sed 's/"sweep"/"repeat": 2, "sweep"/' "$scenario" >"$tmp/repeats.json"
play two repeats -e "harness_bin_dir=$build" -e "scenario=$tmp/repeats.json" &&
    fail "a scenario with repeats ran"
grep -q 'asks for 2 repeats of each point' "$tmp/repeats.log" ||
    fail "repeats: $(tail -20 "$tmp/repeats.log")"

# a client that fails once the server listens
mkdir -p "$tmp/broken"
printf '#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "broken on purpose" >&2\nexit 1\n' \
    >"$tmp/broken/harness-client"
chmod +x "$tmp/broken/harness-client"
inventory broken "$netns, backlog_lab_netns: $srv, backlog_lab_address: 198.18.0.1, harness_bin_dir: $build" \
    "$netns, backlog_lab_netns: $cli, harness_bin_dir: $tmp/broken"
rm -rf "$tmp/results"
play broken broken && fail "a failing client went unnoticed"
grep -q "Run harness-client on ns-client, point 0: failed" "$tmp/broken.log" ||
    fail "the failure names no step and host: $(tail -30 "$tmp/broken.log")"
grep -q "Stop harness-server if it still runs on ns-server, point 0" "$tmp/broken.log" ||
    fail "the server was not stopped"
left=$(pgrep -f -- "$tmp/work" | tr '\n' ' ')
[ -z "$left" ] || fail "left running after the failure: $left"
[ -z "$(ls -A "$tmp/work")" ] || fail "working folders left: $(ls "$tmp/work")"

[ "$failures" -eq 0 ] && echo "ok" || exit 1
