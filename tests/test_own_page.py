"""Only the athlete's own page can read or act (ui/guard.py): a page on another local port, a
site rebound to 127.0.0.1, or any foreign origin opens nothing, reads nothing, presses nothing,
and refusing it sends nothing off the machine. Shown at the protocol level (Streamlit's
websocket spoken by hand) and in the browser, against `coach` started as a user would; the
same attacks against the pages without the guard show that these tests can fail."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from coach import demo
from coach.app.session import Coach
from coach.cli import main as cli
from coach.cli.egress import read_log
from coach.settings import load_settings
from coach.testing.app import RunningApp, free_port, running_app, stop_process, wait_healthy
from coach.testing.coach_script import coach as scripted_coach
from coach.testing.egress_proxy import EgressProxy
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.ollama_server import FakeOllama
from coach.testing.stream_client import stream
from coach.ui.guard import OwnAddress, refusal

ATHLETE = "Ana Ruiz"

# --- the rule itself -----------------------------------------------------------------------

OWN = OwnAddress.listening_on("127.0.0.1", 8501)


@pytest.mark.parametrize(("kind", "method", "host", "origin", "allowed"), [
    ("websocket", "GET", "127.0.0.1:8501", "http://127.0.0.1:8501", True),
    ("websocket", "GET", "localhost:8501", "http://localhost:8501", True),
    ("websocket", "GET", "LOCALHOST:8501", "http://localhost:8501", True),
    ("http", "GET", "127.0.0.1:8501", None, True),            # a navigation sends no Origin
    ("http", "POST", "127.0.0.1:8501", "http://127.0.0.1:8501", True),
    ("websocket", "GET", "127.0.0.1:8501", "http://127.0.0.1:3000", False),  # another port
    ("websocket", "GET", "127.0.0.1:8501", "http://localhost:3000", False),
    ("websocket", "GET", "127.0.0.1:8501", "https://127.0.0.1:8501", False),  # another scheme
    ("websocket", "GET", "127.0.0.1:8501", "http://evil.example:8501", False),
    ("websocket", "GET", "127.0.0.1:8501", "null", False),    # a sandboxed frame, a file
    ("websocket", "GET", "evil.example:8501", "http://evil.example:8501", False),  # rebinding
    ("http", "GET", "evil.example:8501", None, False),
    ("http", "GET", "127.0.0.1:8502", None, False),
    ("http", "GET", None, None, False),
    ("websocket", "GET", "127.0.0.1:8501", None, False),      # browsers always send it there
    ("http", "POST", "127.0.0.1:8501", None, False),
    ("http", "PUT", "127.0.0.1:8501", "http://127.0.0.1:3000", False),
    ("http", "GET", "127.0.0.1:8501", "http://127.0.0.1:3000", False),  # a cross-origin read
])
def test_only_the_apps_own_host_and_origin_pass(kind, method, host, origin, allowed):
    assert (refusal(kind, method, host, origin, OWN) is None) is allowed


def test_ipv6_loopback_is_its_own_address():
    own = OwnAddress.listening_on("::1", 8501)
    assert own.hosts == {"[::1]:8501", "localhost:8501"}
    assert refusal("websocket", "GET", "[::1]:8501", "http://[::1]:8501", own) is None
    assert refusal("websocket", "GET", "127.0.0.1:8501", "http://127.0.0.1:8501", own)


# --- against the running app ----------------------------------------------------------------

@dataclass
class Account:
    fake: FakeIntervals
    env: dict[str, str]
    conversation: int
    proxy: EgressProxy
    connections: Path
    folder: Path

    def activity_name(self) -> str:
        """The latest activity's name, at the top of the History page."""
        latest = max(self.fake.activities, key=lambda a: a["start_date_local"])
        return str(latest["name"])


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    """A synced account with a pending proposal in conversation 1, and everything the app
    would send off the machine going to a recording proxy."""
    folder = tmp_path_factory.mktemp("own-page")
    data = demo.generate(date.today())
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456", "name": ATHLETE}
    fake = FakeIntervals(athlete=athlete, wellness=data.wellness, events=data.events,
                         activities=[{**a, "icu_athlete_id": "i123456"} for a in data.activities])
    with fake.serve() as intervals, FakeOllama(script=scripted_coach) as ollama, \
            EgressProxy() as proxy:
        connections = folder / "connections.log"
        env = {"COACH_DATA_DIR": str(folder / "data"), "COACH_INTERVALS_URL": intervals.url,
               "COACH_INTERVALS_API_KEY": API_KEY, "OLLAMA_HOST": ollama.url,
               "COACH_CONNECTION_LOG": str(connections), **proxy.env()}
        conversation = _pending_proposal(env)
        yield Account(fake, env, conversation, proxy, connections, folder)


def _pending_proposal(env: dict[str, str]) -> int:
    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("COACH_", "OLLAMA_"))})
    try:
        with Coach(load_settings()) as coach:
            coach.sync()
            conversation = coach.new_conversation()
            coach.ask(conversation, "Please plan a workout for me", lambda event: None)
            return conversation
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def app(account: Account) -> Iterator[RunningApp]:
    with running_app(account.folder, account.env, account.folder / "app.log") as running:
        yield running


def attacks(port: int) -> dict[str, tuple[str, str]]:
    """(Host, Origin) of each attacker."""
    return {
        "a page on another local port": (f"127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"),
        "the same, named localhost": (f"127.0.0.1:{port}", f"http://localhost:{port + 1}"),
        "a site rebound to 127.0.0.1": (f"evil.example:{port}", f"http://evil.example:{port}"),
        "a foreign origin": (f"127.0.0.1:{port}", "http://evil.example"),
        "a rebound name, own origin": (f"evil.example:{port}", f"http://127.0.0.1:{port}"),
    }


def test_no_foreign_page_reads_presses_or_makes_the_app_reach_out(app, account):
    query = f"c={account.conversation}"
    with stream(app.port, origin=app.url) as own:       # the athlete's own page, to learn
        own.render(query=query)                         # the Confirm button's id
        confirm = own.confirm_button()
    assert confirm is not None
    writes, refusals = len(account.fake.writes), app.log().count("Refused a websocket")
    for attacker, (host, origin) in attacks(app.port).items():
        for _ in range(2):  # Streamlit looked the address up again on every refusal
            with stream(app.port, host=host, origin=origin) as foreign:
                foreign.render(query=query, page="history")
                foreign.click(confirm, query=query)
            assert foreign.refused == "HTTP 403", attacker
            assert foreign.frames == [], attacker
            assert ATHLETE not in foreign.text() and account.activity_name() not in foreign.text()
    assert len(account.fake.writes) == writes == 0                   # nothing was confirmed
    assert account.proxy.requests == []                               # nothing went out
    assert "Did not auto detect external IP" not in app.log()
    assert app.log().count("Refused a websocket") - refusals == 2 * len(attacks(app.port))
    off_machine = [e for e in read_log(account.connections)
                   if e[1] not in ("127.0.0.1", "localhost", "::1")]
    assert off_machine == []


def doctor_line(port: int) -> str:
    import io

    out = io.StringIO()
    cli.main(["doctor", "--port", str(port)], out=out)
    return next(line for line in out.getvalue().splitlines() if "Page guard" in line)


def test_doctor_asks_the_running_page_as_an_attacker_would(app):
    line = doctor_line(app.port)
    assert line.startswith("[ok  ] Page guard: only http://127.0.0.1:") and \
        "refused a rebound host name and a page on another local port" in line
    assert "is not running" in doctor_line(free_port())


def test_a_foreign_host_gets_no_page_at_all(app):
    import http.client

    for host in (f"evil.example:{app.port}", f"127.0.0.1:{app.port + 1}", "127.0.0.1"):
        connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
        connection.request("GET", "/", headers={"Host": host})
        response = connection.getresponse()
        assert response.status == 403 and b"<html" not in response.read()
        connection.close()


def test_the_apps_own_page_still_reads_and_confirms(app, account):
    """Under both of its names: the same frames reach it, and its Confirm publishes."""
    query = f"c={account.conversation}"
    for name in ("127.0.0.1", "localhost"):
        with stream(app.port, host=f"{name}:{app.port}",
                    origin=f"http://{name}:{app.port}") as own:
            own.render(query=query)
            assert own.refused is None and ATHLETE in own.text()
            own.render(page="history")
            assert account.activity_name() in own.text()
    with stream(app.port, host=f"localhost:{app.port}",
                origin=f"http://localhost:{app.port}") as own:
        own.render(query=query)
        writes = len(account.fake.writes)
        own.click(own.confirm_button() or "", query=query)
    posted = account.fake.writes[writes:]
    assert len(posted) == 1 and posted[0].body["name"] == "Threshold 3x8"


def test_without_the_guard_the_same_attacks_succeed(account, tmp_path):
    """The pages served bare (`streamlit run ui/app.py`, every other flag the same): a page on
    another local port reads the athlete and presses Confirm, and a foreign origin makes
    Streamlit look the machine's address up on the internet. This is what the tests above
    would see without the guard."""
    port = free_port()
    argv = [a if not a.endswith("ui/server.py") else a.replace("server.py", "app.py")
            for a in cli.streamlit_argv(port)]
    log = tmp_path / "bare.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", *argv], cwd=tmp_path, stdout=out,
                                   stderr=subprocess.STDOUT, env={**clean, **account.env})
    bare = RunningApp(f"http://127.0.0.1:{port}", port, process, log)
    conversation = _pending_proposal(account.env)      # proposal 2, waiting
    writes = len(account.fake.writes)
    try:
        wait_healthy(bare)
        host, origin = attacks(port)["a page on another local port"]
        with stream(port, host=host, origin=origin) as foreign:
            foreign.render(query=f"c={conversation}")
            assert foreign.refused is None and ATHLETE in foreign.text()
            foreign.click(foreign.confirm_button() or "", query=f"c={conversation}")
        assert len(account.fake.writes) == writes + 1                # pressed Confirm
        host, origin = attacks(port)["the same, named localhost"]
        with stream(port, host=host, origin=origin) as foreign:
            foreign.render(page="history")
            assert account.activity_name() in foreign.text()
        host, origin = attacks(port)["a site rebound to 127.0.0.1"]
        with stream(port, host=host, origin=origin) as foreign:  # Streamlit's allowedHosts,
            assert foreign.refused == "HTTP 403"                  # which `coach` now sets
        host, origin = attacks(port)["a foreign origin"]
        with stream(port, host=host, origin=origin) as foreign:
            assert foreign.refused == "HTTP 403"
        assert doctor_line(port).startswith("[FAIL] Page guard: the page on port") and \
            "a page on another local port (HTTP 101)" in doctor_line(port)
    finally:
        stop_process(process)
    assert any("checkip.amazonaws.com" in r for r in account.proxy.requests)
    account.proxy.requests.clear()


# --- in the browser --------------------------------------------------------------------------

ATTACKER_PAGE = """<!doctype html><title>another local app</title>
<script>
const rerun = new Uint8Array(%(rerun)s), click = new Uint8Array(%(click)s);
window.result = {opened: false, frames: 0, sawAthlete: false, closed: null, fetched: null};
const ws = new WebSocket("ws://127.0.0.1:%(port)d/_stcore/stream", ["streamlit"]);
ws.binaryType = "arraybuffer";
ws.onopen = () => { result.opened = true; ws.send(rerun); ws.send(click); };
ws.onmessage = (e) => {
  result.frames += 1;
  if (new TextDecoder().decode(e.data).includes(%(athlete)s)) result.sawAthlete = true;
};
ws.onclose = (e) => { result.closed = e.code; };
fetch("http://127.0.0.1:%(port)d/_stcore/host-config")
  .then(r => r.text()).then(t => { result.fetched = "read " + t.length; })
  .catch(e => { result.fetched = "failed"; });
</script>
<iframe id="framed" src="http://127.0.0.1:%(port)d/"></iframe>"""


def _attacker_page(folder: Path, port: int, conversation: int, confirm: str, page_hash: str
                   ) -> str:
    import json

    from streamlit.proto.BackMsg_pb2 import BackMsg

    rerun, press = BackMsg(), BackMsg()
    rerun.rerun_script.query_string = press.rerun_script.query_string = f"c={conversation}"
    press.rerun_script.page_script_hash = page_hash
    press.rerun_script.widget_states.widgets.add(id=confirm, trigger_value=True)
    html = ATTACKER_PAGE % {"rerun": list(rerun.SerializeToString()), "port": port,
                            "click": list(press.SerializeToString()),
                            "athlete": json.dumps(ATHLETE)}
    (folder / "index.html").write_text(html)
    return "index.html"


@pytest.mark.browser
def test_in_the_browser_a_page_on_another_port_gets_nothing_and_the_own_page_works(
        app, account, tmp_path):
    import functools
    import http.server
    import threading

    from tests.browser import Traffic, browser_page, require_browser, wait_idle

    require_browser()
    conversation = _pending_proposal(account.env)
    with stream(app.port, origin=app.url) as own:
        own.render(query=f"c={conversation}")
        widget, page_hash = own.confirm_button() or "", own.page_hash
    name = _attacker_page(tmp_path, app.port, conversation, widget, page_hash)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    writes = len(account.fake.writes)
    traffic, problems = Traffic(), []
    try:
        with browser_page(traffic) as page:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{name}")
            page.wait_for_function("(result.closed !== null || result.frames > 3) "
                                   "&& result.fetched !== null", timeout=30_000)
            result = page.evaluate("result")
            framed = page.frame_locator("#framed").locator("body")
            framed_text = framed.inner_text(timeout=5_000) if framed.count() else ""
            page.on("console", lambda m: problems.append(m.text)
                    if "Content Security Policy" in m.text else None)
            for own_name in ("127.0.0.1", "localhost"):        # the app's own page still works
                page.goto(f"http://{own_name}:{app.port}/?c={conversation}")
                wait_idle(page)
                page.get_by_text(f"Athlete: {ATHLETE}").wait_for(timeout=30_000)
                page.get_by_role("button", name="Confirm").first.wait_for(timeout=30_000)
    finally:
        server.shutdown()
        server.server_close()
    assert result == {"opened": False, "frames": 0, "sawAthlete": False, "closed": 1006,
                      "fetched": "failed"}
    assert ATHLETE not in framed_text          # not framed by another page (frame-ancestors)
    assert len(account.fake.writes) == writes
    assert problems == [] and traffic.external == []
