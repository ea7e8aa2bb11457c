#!/bin/bash
# check-playbook.sh BUILD_DIR: deploy/playbook.yml against an inventory
# whose two hosts are network namespaces of this machine joined by a veth
# pair (ansible_connection netns: deploy/connection_plugins/netns.py).
# Every ansible-playbook runs inside a namespace of its own, the
# controller's, where nothing else runs.
#
# - The playbook measures tests/deploy/two-hosts.json (2 points x 2
#   repeats) run by run, each side in its own namespace, and its joined
#   results match harness-run's of the same scenario over its veth
#   topology: the same runs (point and repeat) in the same order, the
#   kernel's min(B, somaxconn) + 1 handshakes in every run of both, and
#   harness-compare marks nothing but elapsed_us (by hand the server is
#   stopped after the client's end, by the playbook: docs/many-hosts.md). Each
#   host's sysctls and qdiscs are kept.
# - deploy/shards.yml runs a shard on each namespace at once (harness-run
#   --shard K/N there; both are seen running at one moment) and joins
#   them: harness-compare marks nothing against harness-run's file.
# - Refused before anything runs: an inventory without hosts, one that
#   names the controller twice, a host whose namespace does not exist
#   (the connection plugin), one whose commands do not run in its
#   namespace (ansible_connection local).
# - A server that cannot start (its port taken) and a client that fails:
#   the playbook fails naming the step and the host, and nothing of the
#   playbook's is left running in either namespace (two more namespaces,
#   measured beside the rest).
# - Nothing of all this sent a packet from the controller's own stack:
#   its namespace's Ip OutRequests, OutNoRoutes and Tcp ActiveOpens stay 0.
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
srv=$tag-s # the hosts measured
cli=$tag-c
fsrv=$tag-fs # the hosts that fail
fcli=$tag-fc
ctl=$tag-ctl # where the controller runs
ip netns add "$srv" 2>/dev/null || skip "no network namespace can be made here"
tmp=$(mktemp -d)
occupant=
cleanup() {
    [ -n "$occupant" ] && kill "$occupant" 2>/dev/null
    for ns in "$srv" "$cli" "$fsrv" "$fcli" "$ctl"; do
        ip netns del "$ns" 2>/dev/null
    done
    [ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# two hosts joined by a veth pair: 198.18.0.0/15 is for benchmarks (RFC
# 2544), nobody's
pair() { # SERVER_NS CLIENT_NS
    ip netns add "$2"
    ip link add "$2" netns "$2" type veth peer name "$1" netns "$1"
    ip -n "$1" addr add 198.18.0.1/24 dev "$1"
    ip -n "$2" addr add 198.18.0.2/24 dev "$2"
    for ns in "$1" "$2"; do
        ip -n "$ns" link set lo up
    done
    ip -n "$1" link set "$1" up
    ip -n "$2" link set "$2" up
}
pair "$srv" "$cli"
ip netns add "$fsrv"
pair "$fsrv" "$fcli"
ip netns add "$ctl" # not even lo up: whatever tried to leave it is counted

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
mkdir -p "$tmp/work" "$tmp/fwork" "$tmp/runner"
scenario=$src/tests/deploy/two-hosts.json
play() { # INVENTORY LOG [-e ...]: in the controller's namespace
    local inv=$1 log=$2
    shift 2
    ip netns exec "$ctl" ansible-playbook -i "$tmp/$inv.yml" "$src/deploy/playbook.yml" \
        -e "scenario=$scenario" -e "results=$tmp/results-$log" -e "controller_bin=$build" \
        -e "work_base=$tmp/work" "$@" >"$tmp/$log.log" 2>&1
}
# nothing of the playbook's running in the namespaces (Ansible's watcher
# of an async job polls its job every 5 s: a deadline, not a sleep)
left_in() { # NAMESPACE...
    local ns pids
    for _ in $(seq 100); do
        pids=$(for ns in "$@"; do ip netns pids "$ns"; done | grep -vx "${occupant:-none}" | tr '\n' ' ')
        [ -z "$pids" ] && return 0
        sleep 0.1
    done
    echo "$pids: $(for p in $pids; do tr '\0' ' ' </proc/"$p"/cmdline; echo; done)"
}

# refused before anything runs: played beside the measurements (each
# fails within seconds), checked after them
printf 'all:\n  hosts: {}\n' >"$tmp/empty.yml"
inventory twice "ansible_connection: local" "ansible_connection: local"
inventory gone "$netns, backlog_lab_netns: $srv, backlog_lab_address: 198.18.0.1" \
    "$netns, backlog_lab_netns: $tag-gone"
inventory outside "$netns, backlog_lab_netns: $srv, backlog_lab_address: 198.18.0.1" \
    "ansible_connection: local, backlog_lab_netns: $cli"
refusals() {
    local bin="harness_bin_dir=$build"
    play empty empty -e "$bin" && echo "an inventory without hosts ran"
    play twice twice -e "$bin" && echo "an inventory naming the controller twice ran"
    play gone gone -e "$bin" && echo "a host whose namespace does not exist ran"
    play outside outside -e "$bin" && echo "a namespace host whose commands run outside it ran"
}
refusals >"$tmp/refusals.out" 2>&1 &
refused=$!

# a server that cannot start (its port taken), then a client that fails
# once the server listens: on the second pair, beside the measurements
failing() {
    mkdir -p "$tmp/broken"
    printf '#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "broken on purpose" >&2\nexit 1\n' \
        >"$tmp/broken/harness-client"
    chmod +x "$tmp/broken/harness-client"
    local hosts="backlog_lab_address: 198.18.0.1, harness_bin_dir: $build"
    inventory broken "$netns, backlog_lab_netns: $fsrv, $hosts" \
        "$netns, backlog_lab_netns: $fcli, harness_bin_dir: $tmp/broken"
    inventory taken "$netns, backlog_lab_netns: $fsrv, $hosts" \
        "$netns, backlog_lab_netns: $fcli, harness_bin_dir: $build"
    ip netns exec "$fsrv" /usr/bin/python3 -c 'import socket, time
s = socket.socket()
s.bind(("0.0.0.0", 5000))
s.listen()
print("taken", flush=True)
time.sleep(120)' >"$tmp/occupant.out" &
    occupant=$!
    for _ in $(seq 100); do grep -q taken "$tmp/occupant.out" && break; sleep 0.1; done
    play taken taken -e "work_base=$tmp/fwork" &&
        echo "a server that cannot start went unnoticed"
    grep -q "Wait for the listening line of harness-server on ns-server, point 0, repeat 1 of 2: failed" \
        "$tmp/taken.log" || echo "the server's failure names no step and host: $(tail -30 "$tmp/taken.log")"
    grep -q "Address already in use" "$tmp/taken.log" ||
        echo "the server's failure does not say why: $(tail -30 "$tmp/taken.log")"
    local left
    left=$(left_in "$fsrv" "$fcli")
    [ -z "$left" ] || echo "left running after the server's failure: $left"
    kill "$occupant"
    wait "$occupant" 2>/dev/null
    occupant=
    play broken broken -e "work_base=$tmp/fwork" &&
        echo "a failing client went unnoticed"
    grep -q "Run harness-client on ns-client, point 0, repeat 1 of 2: failed" "$tmp/broken.log" ||
        echo "the client's failure names no step and host: $(tail -30 "$tmp/broken.log")"
    grep -q "Stop harness-server if it still runs on ns-server, point 0, repeat 1 of 2" \
        "$tmp/broken.log" || echo "the server was not stopped"
    left=$(left_in "$fsrv" "$fcli")
    [ -z "$left" ] || echo "left running after the client's failure: $left"
    [ -z "$(ls -A "$tmp/fwork")" ] || echo "working folders left: $(ls "$tmp/fwork")"
}
failing >"$tmp/failing.out" 2>&1 &
failed=$!

# harness-run's own run of the scenario beside the playbook's
"$build/harness-run" "$scenario" -o "$tmp/runner/two-hosts.json" -q 2>"$tmp/runner.log" &
runner=$!
play two playbook -e "harness_bin_dir=$build" || fail "the playbook: $(tail -30 "$tmp/playbook.log")"
wait "$runner" || fail "harness-run: $(cat "$tmp/runner.log")"
"$build/harness-compare" "$tmp/runner" "$tmp/results-playbook" -o "$tmp/compare" -q >"$tmp/compare.log" 2>&1 ||
    fail "harness-compare: $(cat "$tmp/compare.log")"
/usr/bin/python3 - "$tmp" "$(readlink /proc/self/ns/net)" <<'END' || fail "the results (above)"
import json, os, sys
tmp, host_netns = sys.argv[1], sys.argv[2]
bad = []
runner = json.load(open(f"{tmp}/runner/two-hosts.json"))
joined = json.load(open(f"{tmp}/results-playbook/two-hosts.json"))
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
hosts = f"{tmp}/results-playbook/two-hosts/hosts"
for side in ("server-ns-server", "client-ns-client"):
    if "net.core.somaxconn" not in open(f"{hosts}/{side}.sysctls").read():
        bad.append(f"{side}: no sysctls kept")
    if "dev blt" not in open(f"{hosts}/{side}.qdiscs").read():
        bad.append(f"{side}: the veth's qdisc not kept")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
END

# deploy/shards.yml: one shard on each of the two namespaces, both at
# once, joined; the same file as harness-run's, compared: nothing marked
cat >"$tmp/runners.yml" <<END
all:
  children:
    runners:
      hosts:
        ns-one: {$netns, backlog_lab_netns: $srv}
        ns-two: {$netns, backlog_lab_netns: $cli}
END
running_in() { # NAMESPACE TEXT: a process of the namespace whose command line holds TEXT
    local p
    for p in $(ip netns pids "$1"); do
        tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline
        echo
    done | grep -q -- "$2"
}
watch_shards() { # "both" once both namespaces run their shard at the same moment
    while [ ! -e "$tmp/shards.done" ]; do
        running_in "$srv" "harness-run .*--shard" && running_in "$cli" "harness-run .*--shard" &&
            echo both && return
        sleep 0.05
    done
}
watch_shards >"$tmp/shards.watch" &
watcher=$!
ip netns exec "$ctl" ansible-playbook -i "$tmp/runners.yml" "$src/deploy/shards.yml" -e "scenario=$scenario" \
    -e "results=$tmp/sharded" -e "controller_bin=$build" -e "work_base=$tmp/work" \
    -e "harness_bin_dir=$build" >"$tmp/shards.log" 2>&1 ||
    fail "deploy/shards.yml: $(tail -30 "$tmp/shards.log")"
touch "$tmp/shards.done"
wait "$watcher"
grep -q both "$tmp/shards.watch" || fail "the two shards never ran at the same time"
[ -e "$tmp/sharded/two-hosts/shards/shard-2-of-2.json" ] || fail "shard 2/2 not kept"
"$build/harness-compare" "$tmp/runner" "$tmp/sharded" -o "$tmp/compare-shards" -q \
    >"$tmp/compare-shards.log" 2>&1 || fail "harness-compare: $(cat "$tmp/compare-shards.log")"
grep -q '"marked": 0,' "$tmp/compare-shards/compare.json" ||
    fail "the joined shards differ from harness-run's: $(cat "$tmp/compare-shards.log")"

# the refusals and the failures, played beside the rest
wait "$refused"
[ -s "$tmp/refusals.out" ] && fail "$(cat "$tmp/refusals.out")"
grep -q 'needs one host in group' "$tmp/empty.log" ||
    fail "no hosts: $(tail -20 "$tmp/empty.log")"
grep -q 'names the controller twice' "$tmp/twice.log" ||
    fail "the controller twice: $(tail -20 "$tmp/twice.log")"
grep -q "network namespace $tag-gone of host ns-client does not exist" "$tmp/gone.log" ||
    fail "a namespace that does not exist: $(tail -20 "$tmp/gone.log")"
grep -q "ns-client runs in network namespace .*$ctl.*, not in $cli:" "$tmp/outside.log" ||
    fail "a host outside its namespace: $(tail -20 "$tmp/outside.log")"
wait "$failed"
[ -s "$tmp/failing.out" ] && fail "$(cat "$tmp/failing.out")"

# the controller's own stack sent nothing: no packet, no connect, no
# attempt without a route
sent=$(ip netns exec "$ctl" awk '
    /^Ip: [0-9]/ { for (i = 2; i <= NF; i++) ip[name[i]] = $i }
    /^Ip: [A-Z]/ { for (i = 2; i <= NF; i++) name[i] = $i }
    /^Tcp: [A-Z]/ { for (i = 2; i <= NF; i++) tname[i] = $i }
    /^Tcp: [0-9]/ { for (i = 2; i <= NF; i++) tcp[tname[i]] = $i }
    END { print ip["OutRequests"] + ip["OutNoRoutes"] + tcp["ActiveOpens"] }' /proc/net/snmp)
[ "$sent" = 0 ] || fail "the controller's own stack sent or tried to send $sent times"

[ "$failures" -eq 0 ] && echo "ok" || exit 1
