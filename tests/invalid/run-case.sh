#!/usr/bin/env bash
# run-case.sh: one case of the invalid-scenario catalogue.
#
#   run-case.sh HARNESS_RUN CASE.json EXPECTED
#   run-case.sh HARNESS_RUN --generate NAME EXPECTED
#   run-case.sh --make NAME DIR
#
# The second form first makes the case in a temporary directory: inputs that
# cannot sensibly be committed (a NUL byte, bytes that are not UTF-8, 2000
# levels of nesting, a file over 1 MiB, a directory, a FIFO, a missing path,
# a character device, a symbolic link to itself).
# The third only makes the case under DIR and prints its path (for
# tests/schema/check-agreement.py, which judges the same inputs).
#
# EXPECTED holds the one line harness-run must print on stderr, with @FILE@
# standing for the case's path as passed to harness-run. The case passes when
# harness-run, run twice,
#   - with -o OUT (OUT does not exist) and with -o PRE (PRE exists),
# both times
#   - exits with status 2,
#   - prints nothing on stdout and exactly that one line on stderr,
#   - creates no file (OUT stays absent, nothing else appears) and leaves
#     PRE as it was (same checksum, same inode: not replaced by a rename).
set -u
shopt -u patsub_replacement 2>/dev/null # '&' in a path stays '&' in ${x//@FILE@/path}

if [ "${1:-}" = --make ] && [ $# -eq 3 ]; then
    make_only=1
elif [ $# -ne 3 ] && [ $# -ne 4 ]; then
    echo "usage: $0 HARNESS_RUN CASE.json EXPECTED | HARNESS_RUN --generate NAME EXPECTED" \
        "| --make NAME DIR" >&2
    exit 2
fi
harness=$1
if [ "$2" = --generate ]; then
    generate=$3
    expected_file=$4
else
    generate=
    case_path=$2
    expected_file=$3
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/invalid-case.XXXXXX") || exit 1
cleanup() {
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# Writes the case NAME under $tmp/case and sets case_path.
generate_case() {
    local dir=$tmp/case
    mkdir -p "$dir"
    case_path=$dir/$1.json
    case $1 in
    nul-byte)
        printf '{\n  "name": "nul\0byte"\n}\n' >"$case_path" ;;
    binary-garbage)
        # the start of a PNG file: 0x89 can begin no UTF-8 character
        printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10' >"$case_path" ;;
    latin1-text)
        # "café" saved as Latin-1: 0xE9 followed by ASCII is not UTF-8
        printf '{\n  "name": "latin1",\n  "description": "caf\xe9 au lait"\n}\n' >"$case_path" ;;
    utf16-text)
        # UTF-16LE with its byte order mark, as some Windows editors save
        printf '\xff\xfe{\0"\0n\0"\0:\0 \0"\0x\0"\0}\0' >"$case_path" ;;
    deep-nesting-2000)
        # jansson accepts 2048 levels; the validator must walk them too
        { printf '{\n  "name": "deep-nesting-2000",\n  "description": '
          printf '[%.0s' $(seq 2000); printf ']%.0s' $(seq 2000); printf '\n}\n'; } >"$case_path" ;;
    deep-nesting-objects-in-sweep)
        { printf '{\n  "name": "deep-nesting-objects-in-sweep",\n  "sweep": {\n'
          printf '    "client.send": [{ "bytes": 1 }, '
          printf '{"a": %.0s' $(seq 2000); printf '1'; printf '}%.0s' $(seq 2000)
          printf ']\n  }\n}\n'; } >"$case_path" ;;
    deep-nesting-5000)
        # beyond jansson's 2048 levels: a syntax error, not a crash
        { printf '{\n  "name": "deep-nesting-5000",\n  "description": '
          printf '[%.0s' $(seq 5000); printf ']%.0s' $(seq 5000); printf '\n}\n'; } >"$case_path" ;;
    huge-file)
        # 1.5 MiB: valid JSON, refused for its size before it is parsed
        { printf '{\n  "name": "huge-file",\n  "description": "'
          head -c 1572864 /dev/zero | tr '\0' 'x'; printf '"\n}\n'; } >"$case_path" ;;
    directory)
        case_path=$dir/directory.json
        mkdir "$case_path" ;;
    fifo)
        # opening a FIFO for reading blocks until a writer comes: must not hang
        mkfifo "$case_path" ;;
    missing-path)
        case_path=$dir/no-such-dir/missing.json ;;
    character-device)
        # /dev/null: opens and reads as empty; refused as not a file
        case_path=/dev/null ;;
    symlink-loop)
        case_path=$dir/loop.json
        ln -s loop.json "$case_path" ;;
    *)
        echo "run-case.sh: no generator for case \"$1\" (see generate_case)" >&2
        return 1 ;;
    esac
}

if [ -n "${make_only:-}" ]; then
    cleanup # the temporary directory is not needed: the case goes to DIR
    trap - EXIT
    tmp=$3
    generate_case "$2" || exit 1
    printf '%s\n' "$case_path"
    exit 0
fi
if [ -n "$generate" ]; then
    generate_case "$generate" || exit 1
fi
if [ ! -f "$expected_file" ]; then
    echo "run-case.sh: missing $expected_file: write the one stderr line expected for" \
        "$case_path there (@FILE@ for its path)" >&2
    exit 1
fi
if [ ! -x "$harness" ]; then
    echo "run-case.sh: $harness is not an executable (build harness-run first)" >&2
    exit 1
fi

template=$(<"$expected_file")
expected=${template//@FILE@/$case_path}
if [ "$(printf '%s' "$template" | wc -l)" -ne 0 ] || [ -z "$template" ]; then
    echo "run-case.sh: $expected_file must hold exactly one non-empty line" >&2
    exit 1
fi

work=$tmp/work
logs=$tmp/logs
mkdir -p "$work" "$logs"
printf 'sentinel: an earlier results file that an invalid scenario must not touch\n' >"$work/pre.json"
pre_before="$(cksum <"$work/pre.json") $(stat -c '%i %s %Y' "$work/pre.json")"

failed=0
fail() {
    echo "FAIL ($1): $2"
    failed=1
}

# run LABEL OUTPUT: harness-run CASE -o OUTPUT, from inside $work so a
# default output path could not land in the source tree either.
run() {
    local label=$1 output=$2 status
    (cd "$work" && exec timeout 60 "$harness" "$case_path" -o "$output") \
        >"$logs/$label.stdout" 2>"$logs/$label.stderr" </dev/null
    status=$?
    if [ "$status" -eq 124 ]; then
        fail "$label" "harness-run did not finish in 60 s: is the case valid after all? It would" \
            "then run the experiment"
    elif [ "$status" -ne 2 ]; then
        fail "$label" "exit status $status, expected 2 (invalid scenario)"
    fi
    local lines
    lines=$(wc -l <"$logs/$label.stderr")
    if [ "$lines" -ne 1 ] || [ "$(tail -c 1 "$logs/$label.stderr" | od -An -c | tr -d ' ')" != '\n' ]; then
        fail "$label" "stderr has $lines lines, expected exactly one line ending in a newline"
    fi
    local actual
    actual=$(<"$logs/$label.stderr")
    if [ "$actual" != "$expected" ]; then
        fail "$label" "stderr differs from $expected_file (- expected, + actual):"
        diff -u --label expected --label actual <(printf '%s\n' "$expected") \
            "$logs/$label.stderr"
    fi
    if [ -s "$logs/$label.stdout" ]; then
        fail "$label" "stdout is not empty:"
        head -c 2000 "$logs/$label.stdout"
    fi
}

run new-output "$work/out.json"
run existing-output "$work/pre.json"

if [ -e "$work/out.json" ]; then
    fail new-output "$work/out.json was created"
fi
pre_after="$(cksum <"$work/pre.json") $(stat -c '%i %s %Y' "$work/pre.json")"
if [ "$pre_before" != "$pre_after" ]; then
    fail existing-output "the existing output file was changed ($pre_before -> $pre_after)"
fi
others=$(cd "$work" && ls -A | grep -vx 'pre.json')
if [ -n "$others" ]; then
    fail files "files appeared next to the output: $others"
fi

if [ "$failed" -ne 0 ]; then
    echo "case:     $case_path"
    echo "expected: $expected"
    exit 1
fi
echo "ok: $expected"
