#!/usr/bin/python3
"""export.csv: harness-export --csv, checked against the results it reads.

    check-export.py HARNESS_EXPORT SOURCE_DIR

For every results file of tests/plot/fixtures, and for one edited here to
hold the awkward values (a string with a comma, double quotes and a line
break, an empty string, a null, a list, an empty object, a real number):

- runs.csv has one row per run and connections.csv one per connection;
- the header is point, repeat (then conn) and every other column sorted,
  the columns being exactly the dotted paths flattened here, independently;
- Python's csv module reads every cell back as the value it came from
  (missing and null: empty; true/false; a list as its compact JSON);
- the awkward string is written quoted, its quotes doubled.

With pandas (Debian's python3-pandas), the three lines of docs/export.md,
run as they are, print the medians worked out here. Bad input (not JSON, a scenario instead
of results, results of another format, a run without its point) exits 2,
names the file and what is wrong, and writes nothing; a connections.csv
that cannot be written leaves the runs.csv that was there (or none) and
exits 1; a second export replaces both files.
"""
import copy
import csv
import glob
import json
import os
import subprocess
import sys
import tempfile

DETAIL = {"connections", "blocks", "samples", "server_events"}
FORMAT = "backlog-lab results 1"
failures = 0


def fail(message):
    global failures
    failures += 1
    print("FAIL:", message)


def flatten(path, value, row):
    if isinstance(value, dict) and value:
        for key, member in value.items():
            flatten(path + "." + key, member, row)
    else:
        row[path] = value


def expected_tables(results):
    runs, connections = [], []
    for run in results["runs"]:
        row = {}
        for key, value in run.items():
            if key not in DETAIL:
                flatten(key, value, row)
        runs.append(row)
        for connection in run.get("connections", []):
            crow = {"point": run["point"], "repeat": run["repeat"]}
            for key, value in connection.items():
                flatten(key, value, crow)
            connections.append(crow)
    return runs, connections


def header(rows, leading):
    names = set(leading)
    for row in rows:
        names.update(row)
    return list(leading) + sorted(names - set(leading), key=lambda n: n.encode())


def cell(value):
    """A value as it must read back from the CSV."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    if isinstance(value, str):
        return value
    return value  # a number: compared as a number


def same(text, value):
    want = cell(value)
    if isinstance(want, (int, float)):
        try:
            return float(text) == float(want) and (isinstance(want, float) or text == str(want))
        except ValueError:
            return False
    return text == want


def export(program, results_file, outdir):
    return subprocess.run([program, results_file, "--csv", outdir, "-q"], capture_output=True,
                          text=True)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def check_table(name, path, rows, leading):
    table = read_csv(path)
    want_header = header(rows, leading)
    if not table or table[0] != want_header:
        fail(f"{name}: header {table[0] if table else None}\n  expected {want_header}")
        return
    if len(table) - 1 != len(rows):
        fail(f"{name}: {len(table) - 1} rows, expected {len(rows)}")
        return
    for index, (line, row) in enumerate(zip(table[1:], rows)):
        if len(line) != len(want_header):
            fail(f"{name} row {index}: {len(line)} cells, header has {len(want_header)}")
            continue
        for column, text in zip(want_header, line):
            if not same(text, row.get(column)):
                fail(f"{name} row {index} {column}: read {text!r}, expected {row.get(column)!r}")


def check_fixture(program, results_file, work):
    results = json.load(open(results_file))
    outdir = os.path.join(work, os.path.basename(results_file) + ".csv")
    done = export(program, results_file, outdir)
    if done.returncode != 0:
        fail(f"{results_file}: exit {done.returncode}: {done.stderr}")
        return None
    runs, connections = expected_tables(results)
    check_table(f"{results_file} runs.csv", os.path.join(outdir, "runs.csv"), runs,
                ["point", "repeat"])
    check_table(f"{results_file} connections.csv", os.path.join(outdir, "connections.csv"),
                connections, ["point", "repeat", "conn"])
    return outdir, runs


AWKWARD = 'hello, "world"\nbye'


def awkward_results(source):
    results = json.load(open(os.path.join(source, "tests/plot/fixtures/handshakes.json")))
    run = results["runs"][0]
    run["params"]["server"]["reply"] = AWKWARD
    run["params"]["client"]["note"] = ""
    run["summary"]["bytes_before_first_block"] = None
    run["effective"]["link"] = {"qdiscs": {"client_to_server": ["tbf rate 1 Mbit/s", "x"],
                                           "server_to_client": []}, "extra": {}}
    run["summary"]["ratio"] = 0.25
    return results


def raw_cells(text):
    """Rows of (cell, quoted) as the file spells them (RFC 4180)."""
    rows, row, cell_text, quoted, i = [], [], "", False, 0
    while i < len(text):
        c = text[i]
        if c == '"' and not cell_text and not quoted:
            end = i + 1
            while True:
                end = text.index('"', end)
                if text[end + 1:end + 2] == '"':
                    end += 2
                    continue
                break
            cell_text, quoted, i = text[i + 1:end].replace('""', '"'), True, end + 1
            continue
        if c in ",\n":
            row.append((cell_text, quoted))
            cell_text, quoted = "", False
            if c == "\n":
                rows.append(row)
                row = []
        else:
            cell_text += c
        i += 1
    return rows


def check_awkward(program, source, work):
    path = os.path.join(work, "awkward.json")
    json.dump(awkward_results(source), open(path, "w"))
    exported = check_fixture(program, path, work)
    if not exported:
        return
    raw = open(os.path.join(exported[0], "runs.csv"), encoding="utf-8", newline="").read()
    if '"hello, ""world""\nbye"' not in raw:
        fail("the string with a comma, quotes and a line break is not quoted as RFC 4180 says")
    rows = raw_cells(raw)
    names = [name for name, _ in rows[0]]
    first, second = dict(zip(names, rows[1])), dict(zip(names, rows[2]))
    expect = [(first, "params.client.note", ("", True), "an empty string: quoted"),
              (second, "params.client.note", ("", False), "a missing value: empty, unquoted"),
              (first, "summary.bytes_before_first_block", ("", False), "null: empty, unquoted"),
              (first, "params.client.connections", ("12", False), "a number: as it is")]
    for row, column, want, what in expect:
        if row.get(column) != want:
            fail(f"{column}: written {row.get(column)}, expected {want} ({what})")


def docs_example(source):
    """The python block of docs/export.md."""
    text = open(os.path.join(source, "docs/export.md"), encoding="utf-8").read()
    start = text.index("```python\n") + len("```python\n")
    return text[start:text.index("```", start)]


def check_pandas(program, source, work):
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas not installed (python3-pandas): the docs' example is not run")
        return
    fixture = os.path.join(source, "tests/plot/fixtures/handshakes.json")
    lab = os.path.join(work, "pandas")
    export(program, fixture, os.path.join(lab, "csv"))
    runs, _ = expected_tables(json.load(open(fixture)))
    example = docs_example(source)
    if len(example.strip().split("\n")) != 3:
        fail("docs/export.md: the pandas example is not three lines")
    done = subprocess.run([sys.executable, "-c", example], cwd=lab, capture_output=True,
                          text=True)
    if done.returncode != 0:
        fail(f"docs/export.md's example: {done.stderr}")
        return
    printed = {}
    for line in done.stdout.split("\n"):
        parts = line.split()
        if len(parts) == 2 and all(p.lstrip("-").replace(".", "", 1).isdigit() for p in parts):
            printed[int(parts[0])] = float(parts[1])
    expected = {}
    for row in runs:
        expected.setdefault(row["params.server.backlog"], []).append(row["summary.connected"])
    for backlog, values in expected.items():
        values.sort()
        middle = len(values) // 2
        median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        if printed.get(backlog) != median:
            fail(f"docs/export.md's example: backlog {backlog} printed {printed.get(backlog)}, "
                 f"expected the median {median}\n{done.stdout}")


def check_bad_input(program, source, work):
    fixture = json.load(open(os.path.join(source, "tests/plot/fixtures/handshakes.json")))
    newer = copy.deepcopy(fixture)
    newer["format"] = "backlog-lab results 2"
    pointless = copy.deepcopy(fixture)
    pointless["runs"][1]["point"] = "one"
    cases = {
        "not-json.json": ("{\"format\": ", "not valid JSON"),
        "scenario.json": (open(os.path.join(source, "scenarios/no-listener.json")).read(),
                          "not a results file"),
        "newer.json": (json.dumps(newer), "\"backlog-lab results 2\" is not the format"),
        "pointless.json": (json.dumps(pointless), "runs[1].point: expected an integer"),
    }
    for name, (text, message) in cases.items():
        path = os.path.join(work, name)
        open(path, "w").write(text)
        outdir = os.path.join(work, "bad-" + name)
        done = export(program, path, outdir)
        if done.returncode != 2:
            fail(f"{name}: exit {done.returncode}, expected 2")
        if not done.stderr.startswith(path + ": ") or message not in done.stderr:
            fail(f"{name}: message {done.stderr!r}, expected {path}: ... {message} ...")
        if os.path.exists(outdir):
            fail(f"{name}: {outdir} was made, though nothing may be written")


def check_both_or_neither(program, source, work):
    fixtures = os.path.join(source, "tests/plot/fixtures")
    first, second = os.path.join(fixtures, "outcomes.json"), os.path.join(fixtures, "latency.json")
    outdir = os.path.join(work, "pair")
    if export(program, first, outdir).returncode != 0:
        fail("pair: the first export failed")
        return
    before = open(os.path.join(outdir, "runs.csv")).read()
    # connections.csv cannot be replaced: a directory holding a file is in its way
    os.remove(os.path.join(outdir, "connections.csv"))
    os.makedirs(os.path.join(outdir, "connections.csv"))
    open(os.path.join(outdir, "connections.csv", "in-the-way"), "w").close()
    done = export(program, second, outdir)
    if done.returncode != 1 or "connections.csv" not in done.stderr:
        fail(f"pair: exit {done.returncode} ({done.stderr!r}), expected 1 naming connections.csv")
    if open(os.path.join(outdir, "runs.csv")).read() != before:
        fail("pair: runs.csv changed though connections.csv could not be written")
    if sorted(os.listdir(outdir)) != ["connections.csv", "runs.csv"]:
        fail(f"pair: files left behind: {sorted(os.listdir(outdir))}")
    # with no runs.csv before, none after
    os.remove(os.path.join(outdir, "runs.csv"))
    done = export(program, second, outdir)
    if done.returncode != 1 or os.path.exists(os.path.join(outdir, "runs.csv")):
        fail("pair: a runs.csv was left without its connections.csv")
    # once the way is clear, a second export replaces both
    os.remove(os.path.join(outdir, "connections.csv", "in-the-way"))
    os.rmdir(os.path.join(outdir, "connections.csv"))
    export(program, first, outdir)
    if export(program, second, outdir).returncode != 0:
        fail("pair: exporting over an earlier export failed")
    runs, connections = expected_tables(json.load(open(second)))
    if len(read_csv(os.path.join(outdir, "runs.csv"))) - 1 != len(runs) or \
            len(read_csv(os.path.join(outdir, "connections.csv"))) - 1 != len(connections):
        fail("pair: the second export did not replace both files")


def main():
    if len(sys.argv) != 3:
        print("usage: check-export.py HARNESS_EXPORT SOURCE_DIR", file=sys.stderr)
        return 2
    program, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as work:
        exported, count = None, 0
        fixtures = sorted(glob.glob(os.path.join(source, "tests/plot/fixtures/*.json")))
        for fixture in fixtures:
            results = json.load(open(fixture))
            if results.get("format") != FORMAT or not isinstance(results.get("runs"), list) or \
                    any("point" not in run for run in results["runs"]):
                continue
            done = check_fixture(program, fixture, work)
            count += 1
            if fixture.endswith("/handshakes.json"):
                exported = done
        if not exported:
            fail("handshakes.json was not exported")
        check_awkward(program, source, work)
        check_pandas(program, source, work)
        check_bad_input(program, source, work)
        check_both_or_neither(program, source, work)
    print(f"export.csv: {count} results files exported and read back, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
