#!/usr/bin/env python3
"""check-agreement.py: scenarios/schema.json and harness-run agree.

    check-agreement.py --source REPO --harness-run BUILD/harness-run

Two validators judge every scenario file the project has:

  - harness-run --check FILE (the validator, harness/scenario/: the keys
    in keys.c, their checks in params_*.c, sweep.c and scenario.c), and
  - scenarios/schema.json, through jsonschema's Draft202012Validator (what an
    editor uses to complete and check a file).

The files:

  - every shipped scenario (scenarios/*.json but schema.json, TEMPLATE.json
    included), every end-to-end scenario (tests/e2e/scenarios/*.json) and
    every valid edge case kept for this test (tests/schema/valid/*.json:
    files near a rule between keys, which the validator accepts), every
    exercise (scenarios/exercises/*.json) and every case of the warnings
    catalogue (tests/invalid/warnings/*.json: valid, with a warning) must be
    valid under both;
  - every case of the invalid catalogue (tests/invalid/cases/*.json, and
    the files tests/invalid/run-case.sh generates for tests/invalid/
    generated/*.expected) must be rejected by both, or be listed in
    tests/schema/exceptions.txt with the reason JSON Schema cannot reject it.
    A file that is not JSON at all counts as rejected by the schema side
    too: no schema tool gets past its parser.

An exception that the schema does reject after all is reported as stale, so
the list stays exact. Each disagreement is printed with the file, both
verdicts and what to change; the exit status is 0 when there is none.

The key lists and limits themselves are compared precisely, key by key, by
tests/unit/test_schema.c; this test catches what those lists cannot show
(patterns, required keys, rules between keys).
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError:
    print(
        "check-agreement: the Python module jsonschema (draft 2020-12) is missing: "
        "run `make deps` (Debian package python3-jsonschema)",
        file=sys.stderr,
    )
    sys.exit(1)

# tests/invalid/generated has cases nested 5000 levels deep
sys.setrecursionlimit(100000)


def short(text, limit=240):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def schema_verdict(validator, path):
    """("unreadable" | "not-json" | "rejected" | "valid", detail)."""
    try:
        st = os.stat(path)
    except OSError as e:
        return "unreadable", e.strerror
    if not stat.S_ISREG(st.st_mode):
        return "unreadable", "not a regular file"
    with open(path, "rb") as f:
        data = f.read()
    try:
        # harness-run skips a UTF-8 byte order mark, as RFC 8259 allows
        text = data.decode("utf-8-sig")
        document = json.loads(text, parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        return "not-json", short(e)
    error = best_match(validator.iter_errors(document))
    if error is None:
        return "valid", ""
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    return "rejected", short(f"at {where}: {error.message}")


def harness_check(harness_run, path):
    """(accepted, message) from harness-run --check PATH."""
    result = subprocess.run(
        [harness_run, "--check", path],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
    )
    if result.returncode == 0:
        return True, short(result.stdout)
    if result.returncode != 2:
        raise SystemExit(
            f"check-agreement: harness-run --check {path} exited {result.returncode}, "
            f"expected 0 or 2: {short(result.stderr)}"
        )
    return False, short(result.stderr)


def read_exceptions(path):
    """{case: reason} from lines "case: reason" (# starts a comment)."""
    exceptions = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            case, sep, reason = line.partition(":")
            if not sep or not case.strip() or not reason.strip():
                raise SystemExit(f"{path}:{number}: expected \"case: reason\", got {line!r}")
            exceptions[case.strip()] = reason.strip()
    return exceptions


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", required=True, help="the repository's root")
    parser.add_argument("--harness-run", required=True, help="build/harness-run")
    args = parser.parse_args()
    source = args.source
    schema_path = os.path.join(source, "scenarios", "schema.json")
    exceptions_path = os.path.join(source, "tests", "schema", "exceptions.txt")
    run_case = os.path.join(source, "tests", "invalid", "run-case.sh")

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as e:  # SchemaError
        print(f"FAIL {schema_path} is not a valid draft 2020-12 schema: {short(e, 600)}")
        return 1
    validator = Draft202012Validator(schema)
    exceptions = read_exceptions(exceptions_path)
    failures = []
    counts = {"valid": 0, "rejected": 0, "excepted": 0}

    def fail(message):
        failures.append(message)
        print("FAIL " + message)

    # 1. files both must accept
    valid_files = []
    for folder in (
        "scenarios",
        os.path.join("tests", "e2e", "scenarios"),
        os.path.join("tests", "schema", "valid"),
        os.path.join("scenarios", "exercises"),
        os.path.join("tests", "invalid", "warnings"),
    ):
        directory = os.path.join(source, folder)
        for name in sorted(os.listdir(directory)):
            if name.endswith(".json") and not (folder == "scenarios" and name == "schema.json"):
                valid_files.append(os.path.join(directory, name))
    for path in valid_files:
        relative = os.path.relpath(path, source)
        verdict, detail = schema_verdict(validator, path)
        accepted, message = harness_check(args.harness_run, path)
        if verdict == "valid" and accepted:
            counts["valid"] += 1
            print(f"ok   {relative}: valid under both")
            continue
        if not accepted:
            fail(f"{relative}: harness-run rejects it: {message}")
        if verdict != "valid":
            fail(
                f"{relative}: harness-run accepts it but scenarios/schema.json does not "
                f"({verdict}: {detail}); update scenarios/schema.json to match the validator "
                f"(a key or a value added to harness/scenario/, keys.c or params_*.c?)"
            )

    # 2. files both must reject
    cases = []
    cases_dir = os.path.join(source, "tests", "invalid", "cases")
    for name in sorted(os.listdir(cases_dir)):
        if name.endswith(".json"):
            cases.append((name[:-5], os.path.join(cases_dir, name)))
    generated_dir = os.path.join(source, "tests", "invalid", "generated")
    work = tempfile.mkdtemp(prefix="schema-agreement.")
    try:
        for name in sorted(os.listdir(generated_dir)):
            if not name.endswith(".expected"):
                continue
            case = name[: -len(".expected")]
            made = subprocess.run(
                ["bash", run_case, "--make", case, os.path.join(work, case)],
                capture_output=True,
                text=True,
            )
            if made.returncode != 0:
                fail(f"generated case {case}: run-case.sh --make failed: {short(made.stderr)}")
                continue
            cases.append((case, made.stdout.strip()))

        seen = set()
        for case, path in cases:
            seen.add(case)
            verdict, detail = schema_verdict(validator, path)
            accepted, message = harness_check(args.harness_run, path)
            if accepted:
                fail(f"invalid case {case}: harness-run --check accepts it ({message})")
                continue
            schema_rejects = verdict in ("rejected", "not-json")
            if case in exceptions:
                if schema_rejects:
                    fail(
                        f"invalid case {case}: listed in tests/schema/exceptions.txt, but "
                        f"scenarios/schema.json rejects it now ({verdict}: {detail}); "
                        f"remove the stale exception"
                    )
                else:
                    counts["excepted"] += 1
                    print(f"ok   {case}: exception ({exceptions[case]})")
                continue
            if schema_rejects:
                counts["rejected"] += 1
                print(f"ok   {case}: rejected by both (schema, {verdict}: {detail})")
                continue
            what = "cannot read it as a file" if verdict == "unreadable" else "accepts it"
            fail(
                f"invalid case {case}: harness-run rejects it ({message}) but "
                f"scenarios/schema.json {what}; make the schema reject it, or add "
                f"\"{case}: <why JSON Schema cannot>\" to tests/schema/exceptions.txt"
            )
        for case in sorted(set(exceptions) - seen):
            fail(f"tests/schema/exceptions.txt names {case}, which is no invalid case")
    finally:
        subprocess.run(["rm", "-rf", work])

    print(
        f"schema agreement: {counts['valid']} files valid under both, "
        f"{counts['rejected']} invalid cases rejected by both, "
        f"{counts['excepted']} documented exceptions, {len(failures)} disagreements"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
