#!/bin/bash
# check-install.sh BUILD_DIR: deploy/playbook.yml's harness_install source
# on this machine, without installing anything on it. The server "host"
# is a network namespace (ansible_connection netns, as in
# check-playbook.sh) whose harness_source_dir is a temporary folder: the
# playbook packs the tree as git's HEAD holds it, unpacks it there, runs
# its tools/install-deps (which installs nothing: the test is skipped
# unless tools/install-deps --check finds every package there) and builds
# harness-server, -client and -run there; the client "host" uses the
# build of this tree (harness_install none). The point measured must show
# the kernel's min(B, somaxconn) + 1 handshakes, the server's half made
# by the program built in harness_source_dir.
# Skipped (77) without ansible-playbook, ip, root, network namespaces,
# git's tree (a copy without .git has no HEAD to pack) or a package the
# build needs.
set -u
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
skip() {
    echo "skipped: $*"
    exit 77
}
command -v ansible-playbook >/dev/null || skip "no ansible-playbook (Debian's ansible)"
command -v ip >/dev/null || skip "no ip (Debian's iproute2)"
[ "$(id -u)" = 0 ] || skip "not root: named network namespaces need root"
git -C "$src" rev-parse --verify -q HEAD >/dev/null || skip "no git HEAD to pack in $src"
"$src/tools/install-deps" --check >/dev/null 2>&1 ||
    skip "a package the build needs is missing, and this test installs nothing (make deps)"
tag=bli$$
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
ip netns add "$cli"
ip link add "$cli" netns "$cli" type veth peer name "$srv" netns "$srv"
ip -n "$srv" addr add 198.18.0.1/24 dev "$srv"
ip -n "$cli" addr add 198.18.0.2/24 dev "$cli"
for ns in "$srv" "$cli"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$ns" up
done
netns="ansible_connection: netns, ansible_python_interpreter: /usr/bin/python3"
cat >"$tmp/hosts.yml" <<END
all:
  children:
    server:
      hosts:
        ns-server: {$netns, backlog_lab_netns: $srv, backlog_lab_address: 198.18.0.1,
                    harness_install: source, harness_source_dir: $tmp/source,
                    harness_build_jobs: 2, ansible_become: false}
    client:
      hosts:
        ns-client: {$netns, backlog_lab_netns: $cli, harness_bin_dir: $build}
END
# one point of tests/deploy/two-hosts.json, measured once
sed -e 's/"repeat": 2,//' -e 's/\[0, 4\]/[4]/' "$src/tests/deploy/two-hosts.json" \
    >"$tmp/two-hosts.json"
export ANSIBLE_NOCOLOR=1 ANSIBLE_PIPELINING=1 ANSIBLE_LOCAL_TEMP=$tmp/ansible-local \
    ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote ANSIBLE_RETRY_FILES_ENABLED=0
mkdir -p "$tmp/work"
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
ansible-playbook -i "$tmp/hosts.yml" "$src/deploy/playbook.yml" -e "scenario=$tmp/two-hosts.json" \
    -e "results=$tmp/results" -e "controller_bin=$build" -e "work_base=$tmp/work" \
    -e report=false -v >"$tmp/playbook.log" 2>&1 || fail "the playbook: $(tail -40 "$tmp/playbook.log")"
for program in harness-server harness-client harness-run; do
    [ -x "$tmp/source/build/$program" ] || fail "$program not built in harness_source_dir"
done
[ -e "$tmp/source/build/harness-plot" ] && fail "harness-plot built: a host needs only the three"
grep -q "TASK \[Build harness-server, -client and -run\]" "$tmp/playbook.log" ||
    fail "no build step: $(tail -20 "$tmp/playbook.log")"
grep -q "changed: \[ns-server\]" "$tmp/playbook.log" || fail "nothing changed on ns-server"
/usr/bin/python3 - "$tmp" <<'END' || fail "the results (above)"
import json, sys
tmp = sys.argv[1]
bad = []
r = json.load(open(f"{tmp}/results/two-hosts.json"))
runs = r["runs"]
if len(runs) != 1 or runs[0]["summary"]["connected"] != 5:
    bad.append(f"not one run with B + 1 = 5 handshakes: {[x['summary']['connected'] for x in runs]}")
log = open(f"{tmp}/playbook.log").read()
if f"{tmp}/source/build/harness-server --scenario" not in log:
    bad.append("the server was not the program built in harness_source_dir")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
END
[ "$failures" -eq 0 ] && echo "ok" || exit 1
