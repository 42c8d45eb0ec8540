"""The `coach` command: doctor, sync, help, and the privacy flags it passes to Streamlit."""

import io
import re
import subprocess
import sys

import pytest

from coach.cli import main as cli
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE
from coach.testing.ollama_server import FakeModel, FakeOllama, closed_port_url


def run(*argv):
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def served():
    fake = FakeIntervals(athlete=SAMPLE_ATHLETE, activities=SAMPLE_ACTIVITIES)
    with fake.serve() as s:
        yield s


def test_help_documents_every_command():
    result = subprocess.run([sys.executable, "-m", "coach.cli", "--help"], capture_output=True,
                            text=True, check=True)
    for word in ("sync", "doctor", "run", "--port", "127.0.0.1"):
        assert word in result.stdout


def test_streamlit_flags_keep_the_app_private():
    argv = cli.streamlit_argv(8502)
    assert argv[:2] == ["streamlit", "run"] and argv[2].endswith("ui/server.py")  # guarded
    pairs = [a[2:].split("=", 1) for a in argv[3:]]
    flags = dict(pairs)
    assert flags["server.address"] == "127.0.0.1" and flags["server.port"] == "8502"
    assert flags["browser.gatherUsageStats"] == "false"
    assert flags["server.headless"] == "true" and flags["server.showEmailPrompt"] == "false"
    assert flags["server.enableCORS"] == flags["server.enableXsrfProtection"] == "true"
    assert flags["client.showErrorLinks"] == flags["server.enableAgentApi"] == "false"
    assert [v for k, v in pairs if k == "server.allowedHosts"] == ["127.0.0.1", "localhost"]
    assert [v for k, v in pairs if k == "client.allowedOrigins"] == [
        "http://127.0.0.1:8502", "http://localhost:8502"]


def test_busy_port_is_explained(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, out = run("--port", str(port))
    assert code == 1 and f"Port {port} on 127.0.0.1 is busy" in out and "--port" in out


def test_doctor_all_good(monkeypatch, served, fake_ollama):
    monkeypatch.setenv("OLLAMA_HOST", fake_ollama.url)
    monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
    monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
    code, out = run("doctor")
    assert code == 0, out
    assert "[ok  ] Ollama: reachable" in out and "qwen3:8b can call tools" in out
    assert "key accepted for athlete i123456 (Ana Ruiz)" in out
    assert "All good." in out and API_KEY not in out


def test_doctor_demo_mode_is_information_not_a_failure(monkeypatch, fake_ollama):
    monkeypatch.setenv("OLLAMA_HOST", fake_ollama.url)
    code, out = run("doctor")
    assert code == 0 and "[info] Intervals.icu: no API key" in out


def test_doctor_prints_a_fix_for_each_problem(monkeypatch, served):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
    monkeypatch.setenv("COACH_INTERVALS_API_KEY", "wrong-key")
    code, out = run("doctor")
    assert code == 1
    assert "[FAIL] Ollama" in out and "fix: start it with `ollama serve`" in out
    assert "[FAIL] Intervals.icu" in out and "fix: check COACH_INTERVALS_API_KEY" in out
    assert "2 problem(s) found." in out and "wrong-key" not in out


def test_doctor_missing_model_and_no_tools(monkeypatch):
    models = [FakeModel(name="gemma:2b", capabilities=("completion",))]
    with FakeOllama(models=models) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        code, out = run("doctor")
        assert code == 1 and "fix: ollama pull qwen3:8b" in out
        monkeypatch.setenv("COACH_MODEL", "gemma:2b")
        code, out = run("doctor")
    assert code == 1 and "[FAIL] Tool calling: gemma:2b cannot call tools" in out


def test_doctor_refuses_a_remote_model_server(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "http://10.1.2.3:11434")
    code, out = run("doctor")
    assert code == 1 and "[FAIL] Model server" in out and "COACH_ALLOW_REMOTE_MODEL" in out


def test_sync_from_the_terminal(monkeypatch, served):
    monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
    monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
    code, out = run("sync")
    assert code == 0, out
    assert "Reading athlete settings" in out and "%" in out
    assert "Full sync done" in out and "4 activities" in out
    code, out = run("sync")
    assert code == 0 and "Sync done" in out and "0 activities" in out


def test_sync_demo_athlete_without_a_key():
    code, out = run("sync")
    assert code == 0 and "syncing the demo athlete" in out and "Full sync done" in out


def test_sync_failure_is_one_sentence_and_exit_1(monkeypatch, served):
    monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
    monkeypatch.setenv("COACH_INTERVALS_API_KEY", "wrong-key")
    code, out = run("sync")
    assert code == 1 and "Sync failed: Intervals.icu refused access (403)" in out
    assert "Traceback" not in out and "wrong-key" not in out


def test_bad_configuration_is_reported(monkeypatch):
    monkeypatch.setenv("COACH_NUM_CTX", "big")
    code, out = run("doctor")
    assert code == 1 and "Configuration problem" in out and "num_ctx" in out


SWEET_SPOT = ("Warmup\n- 10m ramp 50-75%\n- 5m 65%\n\nMain set 3x\n- 12m 88-92% 85-95rpm\n"
              "- 4m 55%\n\nCooldown\n- 10m ramp 65-45%")


def test_workout_check_json_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(SWEET_SPOT))
    code, out = run("workout", "check", "--json")
    result = __import__("json").loads(out)
    assert code == 0
    assert set(result) == {"ok", "duration_s", "distance_m", "load", "errors", "warnings"}
    assert result["ok"] is True and result["duration_s"] == 4380 and result["errors"] == []
    assert result["distance_m"] is None and result["load"] > 0


def test_workout_check_refuses_oversized_text_at_once_reading_no_more_of_it(monkeypatch):
    pasted = io.StringIO("- 10m 60%\n" * 500_000)          # 5 MB on standard input
    monkeypatch.setattr("sys.stdin", pasted)
    code, out = run("workout", "check")
    assert code == 1 and "over 20,000 characters" in out and "split it into two" in out
    assert pasted.tell() == 20_001                           # read no further than needed
    monkeypatch.setattr("sys.stdin", io.StringIO("- 1m 60%\n" * 301))   # 2.7 kB, 301 lines
    code, out = run("workout", "check", "--json")
    assert code == 1 and "301 lines" in out


def test_workout_check_file_with_errors_and_lines(tmp_path):
    path = tmp_path / "run.txt"
    path.write_text("- 10m Z1 Pace\n- 400m 95% Pace\n")
    code, out = run("workout", "check", str(path), "--sport", "Run")
    assert code == 1
    assert out.startswith("NOT OK: Run")
    assert "error   line 2: `400m` means 400 minutes; for metres write `400mtr`" in out
    code, out = run("workout", "check", str(path), "--sport", "Run", "--json")
    errors = __import__("json").loads(out)["errors"]
    assert code == 1 and errors[0]["line"] == 2


def test_workout_check_uses_the_synced_athletes_settings(tmp_path):
    assert run("sync")[0] == 0                       # the demo athlete: FTP 250
    path = tmp_path / "ride.txt"
    path.write_text("- 1h 100%\n")
    code, out = run("workout", "check", str(path))
    assert code == 0 and "OK: Ride, 1h, estimated load 100" in out


def test_workout_check_missing_file(tmp_path):
    code, out = run("workout", "check", str(tmp_path / "nope.txt"))
    assert code == 1 and "Cannot read" in out


def propose_on_demo(days_ahead=2, text="- 10m 60%\n- 40m Z2\n- 10m 50%"):
    from datetime import timedelta

    from coach.app.session import Coach
    from coach.proposals.check import check_text
    from coach.proposals.create import create_proposal
    from coach.settings import load_settings

    with Coach(load_settings()) as coach:
        if coach.needs_first_sync():
            coach.sync()
        day = coach.today() + timedelta(days=days_ahead)
        taken = {p.day for p in coach.store.proposals(athlete_id="demo")}
        while coach.store.events("demo", day, day) or day.isoformat() in taken:
            day += timedelta(days=1)    # a free day: no week-check note to print
        return create_proposal(coach.store, athlete_id="demo", conversation_id=None, day=day,
                               sport="Ride", name="Endurance", description=text,
                               check=check_text(coach.store, "demo", "Ride", text)).id


def test_proposals_listed_confirmed_and_rejected_from_the_terminal():
    first, second = propose_on_demo(2), propose_on_demo(3)
    code, out = run("proposals")
    assert code == 0 and f"{first}  pending" in out and "Endurance" in out and "1h" in out
    code, out = run("proposals", "confirm", str(first))
    assert code == 0 and out.strip() == f"Proposal {first}: published"
    code, out = run("proposals", "confirm", str(first))          # again: nothing new
    assert code == 0 and f"Proposal {first}: published" in out
    code, out = run("proposals", "reject", str(second))
    assert code == 0 and f"Proposal {second}: rejected" in out
    assert run("proposals")[1].strip() == "No proposals waiting for you."
    code, out = run("proposals", "--all")
    assert "published" in out and "rejected" in out
    code, out = run("proposals", "reject", str(first))
    assert code == 1 and "published and cannot be rejected" in out
    assert run("proposals", "confirm", "999")[1].strip() == "Proposal 999: There is no " \
        "proposal 999."


def test_forget_asks_first_then_says_what_it_deleted(monkeypatch, data_dir):
    from coach.settings import save_api_key, save_settings

    assert run("sync")[0] == 0
    save_settings(data_dir, {"model": "qwen3:14b"})
    save_api_key(data_dir, "secret-key")
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    code, out = run("forget")
    assert code == 1 and "Nothing was deleted." in out and (data_dir / "coach.db").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("forget\n"))
    code, out = run("forget")
    assert code == 0
    assert "Deleted: the database" in out and "saved settings" in out
    assert "the stored Intervals.icu API key" in out
    assert not (data_dir / "coach.db").exists() and not (data_dir / "settings.json").exists()
    assert run("forget", "--yes")[1].strip() == "There was nothing to delete."


def test_connection_log_records_every_connection_of_the_process(tmp_path, served):
    log = tmp_path / "connections.log"
    env = {k: v for k, v in __import__("os").environ.items()} | {
        "COACH_CONNECTION_LOG": str(log), "COACH_INTERVALS_URL": served.url,
        "COACH_INTERVALS_API_KEY": API_KEY}
    result = subprocess.run([sys.executable, "-m", "coach.cli", "sync"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    from coach.cli.egress import read_log

    port = served.url.rsplit(":", 1)[1]
    entries = read_log(log)
    assert ("connect", "127.0.0.1", port) in entries
    assert {host for kind, host, _ in entries} <= {"127.0.0.1", "localhost"}


def test_doctor_reports_version_context_and_effective_streamlit_privacy(
        monkeypatch, fake_ollama, tmp_path):
    # A hostile global Streamlit config: `coach`'s own flags must still win.
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "config.toml").write_text(
        '[browser]\ngatherUsageStats = true\n[server]\naddress = "0.0.0.0"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("OLLAMA_HOST", fake_ollama.url)
    code, out = run("doctor")
    assert "version 0.13.5" in out
    assert "[ok  ] Context length: num_ctx 8192 tokens (the model supports 40960)" in out
    assert "[ok  ] Streamlit privacy: listens on 127.0.0.1 only, answers only the host names" in out
    monkeypatch.setenv("COACH_NUM_CTX", "65536")
    code, out = run("doctor")
    assert code == 1 and "[FAIL] Context length: num_ctx 65536 is more than the 40960" in out


def test_chat_in_the_terminal_shares_the_database_with_the_page(monkeypatch):
    from coach.testing.coach_script import coach as coach_script

    with FakeOllama(script=coach_script) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        monkeypatch.setattr("sys.stdin", io.StringIO("Please plan a workout\n\n"))
        code, out = run("chat")
    assert code == 0
    assert "[tool fitness_trend(days=42)]" in out and "[tool propose_workout(" in out
    proposal = re.search(r"Proposal (\d+): Ride 'Threshold 3x8' on \S+ — confirm with "
                         r"`coach proposals confirm (\d+)`", out)
    assert proposal and proposal.group(1) == proposal.group(2)
    assert "I proposed Threshold 3x8 for you." in out           # terminal text, not Markdown
    code, out = run("proposals")
    assert f"{proposal.group(1)}  pending" in out
    code, out = run("proposals", "confirm", proposal.group(1))
    assert "published" in out


def test_chat_says_what_to_do_when_the_model_is_missing(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    code, out = run("chat")
    assert code == 1 and "ollama serve" in out


def test_forget_says_what_it_could_not_delete_and_fails(data_dir, refusing_keyring):
    from coach.settings import save_api_key

    save_api_key(data_dir, "secret-key")
    out = io.StringIO()
    code = cli.main(["forget", "--yes"], out=out)
    text = out.getvalue()
    assert code == 1
    assert "Not deleted: The Intervals.icu API key could not be removed from the OS keyring" \
        in text and "python -m keyring del" in text
    assert "API key in the OS keyring" not in text.split("Not deleted")[0]


def test_a_database_that_cannot_be_opened_is_a_sentence_not_a_traceback(data_dir):
    (data_dir / "coach.db").mkdir(parents=True)  # where the database file should be
    out = io.StringIO()
    code = cli.main(["sync"], out=out)
    assert code == 1
    assert out.getvalue().startswith("Local Coach cannot open its database")
    assert "Traceback" not in out.getvalue()
