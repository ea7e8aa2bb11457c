#!/bin/bash
# package.deb (make check-package): the Debian package on a fresh Debian 12.
#
#   tests/package/check-deb.sh BUILD_DIR
#
# Makes the .deb from BUILD_DIR (cpack), makes a fresh Debian 12 root
# (debootstrap, minbase, plus man-db for the man check), and inside it, as a
# user would: `apt-get install ./backlog-lab_*.deb` (its dependencies from
# the Debian mirror), then, in a directory far from any source tree (there
# is none in that root), runs a shipped scenario with harness-run, draws it
# with harness-plot and exports it with harness-export; here it checks the
# results (every run of the sweep), the PNG and SVG, the CSV, and that
# `man harness-run` shows the page.
#
# Needs root (debootstrap, chroot, mounts) and the network to the Debian
# mirror ($DEBIAN_MIRROR, default deb.debian.org); takes a minute or two.
# The base system is cached as a tarball in $CACHE_DIR (default
# /var/tmp/backlog-lab-cache), a cache only: without it, it is made again.
# /proc, /sys and /dev are mounted in the root while it is used and
# unmounted at the end, whatever happens; the root is removed only once
# nothing is mounted in it (KEEP=1 keeps it, to look around).
#
# Exit status: 0 passed, 1 failed, 77 skipped (not root).
set -euo pipefail
build=$(cd "${1:?usage: check-deb.sh BUILD_DIR}" && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache_dir=${CACHE_DIR:-/var/tmp/backlog-lab-cache}
scenario=backlog-never-accept
points=6 # its sweep: server.backlog over 0, 1, 2, 4, 8, 16

if [ "$(id -u)" != 0 ]; then
    echo "check-deb: skipped: needs root (debootstrap, chroot, mounts)"
    exit 77
fi
for tool in debootstrap cpack python3; do
    command -v "$tool" >/dev/null ||
        { echo "check-deb: $tool is missing (tools/install-deps --package)" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/backlog-lab-deb.XXXXXX)
root=$work/root
mounted=()
fail() {
    echo "check-deb: FAILED: $*" >&2
    exit 1
}
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" ||
            echo "check-deb: cannot unmount ${mounted[i]}" >&2
    done
    if findmnt -rn -o TARGET | grep -q "^$work/"; then
        echo "check-deb: something is still mounted under $work: left as it is" >&2
    elif [ "${KEEP:-0}" = 1 ]; then
        echo "check-deb: kept $work"
    else
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT
step() { echo "check-deb: $* ($SECONDS s)"; }

# ---- the package -----------------------------------------------------------
step "making the package"
(cd "$build" && cpack --config CPackConfig.cmake -B "$work/package" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work/package"/backlog-lab_*.deb)
[ -f "$deb" ] || fail "no backlog-lab_*.deb made"
echo "check-deb: $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"

# ---- a fresh Debian 12 -----------------------------------------------------
arch=$(dpkg --print-architecture)
tarball=$cache_dir/bookworm-minbase-man-db-$arch.tgz
base() {
    debootstrap --variant=minbase --include=man-db "$@" bookworm "$root" "$mirror" \
        >"$work/debootstrap.log" 2>&1
}
mkdir -p "$cache_dir"
if [ ! -s "$tarball" ]; then
    step "downloading the base system into the cache ($mirror)"
    if ! base --make-tarball="$tarball.tmp.$$"; then
        tail -20 "$work/debootstrap.log" >&2
        rm -f "$tarball.tmp.$$"
        fail "debootstrap --make-tarball"
    fi
    mv "$tarball.tmp.$$" "$tarball"
    rm -rf --one-file-system "$root"
fi
step "a fresh Debian 12 root from $tarball"
if ! base --unpack-tarball="$tarball"; then
    echo "check-deb: the cached base failed; made again from the mirror" >&2
    rm -f "$tarball"
    rm -rf --one-file-system "$root"
    base || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
fi
for fs in proc sys dev; do
    case $fs in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sysfs "$root/sys" ;;
    dev) mount --bind /dev "$root/dev" ;;
    esac
    mounted+=("$root/$fs")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# ---- installed as a user would ----------------------------------------------
step "apt-get install ./$(basename "$deb")"
mkdir -p "$root/root/download"
cp "$deb" "$root/root/download/"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update"; }
in_root sh -c "cd /root/download && apt-get install -y --no-install-recommends ./$(basename "$deb")" \
    >>"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "apt-get install"; }
for program in run server client plot compare report export; do
    [ -x "$root/usr/bin/harness-$program" ] || fail "/usr/bin/harness-$program not installed"
done

# ---- used from a directory of its own -----------------------------------------
step "harness-run, harness-plot and harness-export in /root/lab"
mkdir -p "$root/root/lab"
in_root sh -c "cd /root/lab &&
    harness-run -q /usr/share/backlog-lab/scenarios/$scenario.json -o $scenario.json &&
    harness-plot -q $scenario.json &&
    harness-export -q $scenario.json --csv csv" >"$work/run.log" 2>&1 ||
    { cat "$work/run.log" >&2; fail "running the installed programs"; }
lab=$root/root/lab
python3 - "$lab/$scenario.json" "$points" <<'EOF' || fail "the results file"
import json, sys
results = json.load(open(sys.argv[1]))
assert results["format"] == "backlog-lab results 1", results.get("format")
runs = results["runs"]
assert len(runs) == int(sys.argv[2]), f"{len(runs)} runs, expected {sys.argv[2]}"
assert all(run["summary"]["attempted"] > 0 for run in runs), "a run attempted nothing"
assert results["environment"]["private_netns"] is True, "not run in a private namespace"
EOF
for kind in handshakes latency outcomes; do
    png=$lab/$scenario/$kind.png
    svg=$lab/$scenario/$kind.svg
    [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        fail "$png is not a PNG"
    grep -q '</svg>' "$svg" || fail "$svg is not a whole SVG"
done
[ "$(($(wc -l <"$lab/csv/runs.csv") - 1))" = "$points" ] || fail "csv/runs.csv: not one row per run"
step "man harness-run"
in_root env LANG=C MANWIDTH=80 man -P cat harness-run >"$work/man.txt" 2>&1 ||
    { cat "$work/man.txt" >&2; fail "man harness-run"; }
grep -Eq "harness-run +- +run a backlog-lab scenario" "$work/man.txt" ||
    { cat "$work/man.txt" >&2; fail "man harness-run: no NAME line"; }
step "passed: $(basename "$deb") installed on a fresh Debian 12, $scenario run, plotted, exported"
