#!/usr/bin/env python3
"""check-browser.py: the pages as people see them, in a real browser.

    check-browser.py SITE_DIR SCREENSHOT_DIR PAGE...

Each PAGE (relative to SITE_DIR), and every page of the site it links,
is opened in Debian's Chromium, headless, driven over the DevTools
protocol through a pipe (--remote-debugging-pipe: nothing listens on the
network), at a desktop width (1280 pixels) and a narrow one (800). On
each it checks:

  - the page loads, and no error reaches the console (a script error, an
    image or a style that failed to load);
  - every <img> was decoded: naturalWidth > 0;
  - every link resolves: a file it names exists, an #anchor names an
    element of the page, and nothing points outside the site's files;
  - nothing overflows the page: the document is no wider than the window
    (documentElement.scrollWidth <= clientWidth). A table wider than the
    window is allowed inside a scroll container (<div class="wide">,
    which scrolls sideways on its own); nothing else may stick out.

It writes a screenshot of the first screen of each page at each width to
SCREENSHOT_DIR (never into the source tree). Exit 0 when every check
passed, 1 when one failed (each said on a line of its own), 77 when no
Chromium is installed (tools/install-deps --tools installs it).

The browser runs with a fresh profile in a temporary folder and without
its background services (no network, no updates, no sync); Python's
standard library only."""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

WIDTHS = (1280, 800)
HEIGHT = 900
TIMEOUT_S = 60

PROBE = r"""
(async () => {
  // the pages load their plots lazily: every one is to be checked now
  for (const i of document.images) i.loading = 'eager';
  await Promise.all([...document.images].map(i => i.complete ? 0 :
      new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  const root = document.documentElement, over = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > root.clientWidth + 0.5 && !e.closest('.wide') && over.length < 8)
      over.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                ' reaches ' + Math.round(r.right) + ' px');
  }
  return JSON.stringify({
    ready: document.readyState, title: document.title,
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    images: [...document.images].map(i => ({src: i.src, width: i.naturalWidth})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    over: over,
  });
})()
"""


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4
    (replies and events out), one message per NUL-terminated JSON text."""

    def __init__(self, chromium, profile, log):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # well above 4, so that the child's dup2 onto 3 and 4 cannot
        # clobber one of them
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser_r, from_browser_w)]
        os.close(to_browser_r)
        os.close(from_browser_w)

        def pipes_on_3_and_4():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
             "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=pipes_on_3_and_4,
            close_fds=False)
        for fd in high:
            os.close(fd)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("the browser did not answer within %d s" % TIMEOUT_S)
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed its pipe (exit %s)" % self.proc.poll())
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def send(self, method, params=None, session=None, timeout=TIMEOUT_S):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method, session, timeout=TIMEOUT_S):
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event["method"] == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            reply = self._read_message(deadline)
            if reply.get("method") == method and reply.get("sessionId") == session:
                return reply
            if "method" in reply:
                self.events.append(reply)


def console_errors(events):
    """What reached the console as an error, from the events seen."""
    errors = []
    for event in events:
        params = event.get("params", {})
        if event["method"] == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append("exception: %s" % details.get("text", "?"))
        elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") == "error":
            errors.append("console.error: %s" % " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif event["method"] == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                errors.append("%s: %s" % (entry.get("source", "log"), entry.get("text", "?")))
    return errors


def link_problems(page_path, probe):
    """Links that do not resolve, and the local pages linked."""
    problems, pages = [], []
    for href in probe["links"]:
        url = urllib.parse.urlparse(href)
        if url.scheme != "file":
            problems.append("links outside the site's files: %s" % href)
            continue
        path = urllib.parse.unquote(url.path)
        if url.fragment and os.path.realpath(path) == os.path.realpath(page_path):
            if urllib.parse.unquote(url.fragment) not in probe["ids"]:
                problems.append("#%s names no element of the page" % url.fragment)
            continue
        if not os.path.exists(path):
            problems.append("links a file that does not exist: %s" % path)
        elif path.endswith(".html"):
            pages.append(os.path.realpath(path))
    for image in probe["images"]:
        if image["width"] <= 0:
            problems.append("image not shown (naturalWidth 0): %s" %
                            urllib.parse.unquote(urllib.parse.urlparse(image["src"]).path))
    return problems, pages


def check_page(browser, session, site, path, width, shots):
    """Opens path at width; returns (problems, pages it links)."""
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
                 session)
    browser.events = []
    browser.send("Page.navigate", {"url": "file://" + urllib.parse.quote(path)}, session)
    browser.wait_for("Page.loadEventFired", session)
    result = browser.send("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True,
                                               "returnByValue": True}, session)
    if "exceptionDetails" in result:
        return ["the probe failed: %s" % result["exceptionDetails"].get("text")], []
    probe = json.loads(result["result"]["value"])
    problems = console_errors(browser.events)
    if not probe["title"]:
        problems.append("no title: did the page load?")
    more, pages = link_problems(path, probe)
    problems += more
    if probe["scrollWidth"] > probe["clientWidth"]:
        problems.append("the page is %d px wide in a %d px window: %s" % (
            probe["scrollWidth"], probe["clientWidth"], "; ".join(probe["over"]) or "?"))
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
    name = os.path.relpath(path, site).replace(os.sep, "-")[:-len(".html")]
    with open(os.path.join(shots, "%s-%d.png" % (name, width)), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return problems, pages


def main():
    if len(sys.argv) < 4:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    site, shots, starts = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    chromium = find_chromium()
    if not chromium:
        print("skip: no chromium on the PATH (tools/install-deps --tools installs Debian's)")
        return 77
    os.makedirs(shots, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="check-browser.")
    log = open(os.path.join(shots, "chromium.log"), "w")
    browser = Browser(chromium, profile, log)
    failed, checked = 0, 0
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.send(domain + ".enable", {}, session)
        queue = [os.path.join(site, p) for p in starts]
        seen = set()
        while queue:
            path = os.path.realpath(queue.pop(0))
            if path in seen:
                continue
            seen.add(path)
            for width in WIDTHS:
                problems, pages = check_page(browser, session, site, path, width, shots)
                checked += 1
                for problem in problems:
                    print("FAIL: %s at %d px: %s" % (os.path.relpath(path, site), width, problem))
                failed += len(problems)
                queue += [p for p in pages if p.startswith(site + os.sep) and p not in seen]
    except (OSError, RuntimeError, KeyError, ValueError) as e:
        print("FAIL: driving the browser: %s (its log: %s)" % (e, log.name))
        failed += 1
    finally:
        browser.close()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)
    print("%d pages at %s px: %d problems; screenshots in %s" % (
        checked // len(WIDTHS), " and ".join(map(str, WIDTHS)), failed, shots))
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
