"""Getting a model: the recommendation for this machine, the installed models, downloads with
progress, cancel and errors (the real `ollama` client against the fake server), the download
job, `coach doctor --fix`, and the page's Download button and Settings table."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from coach.cli import main as cli
from coach.errors import ModelError, ModelHostRefused, ModelStopped, ModelUnavailable
from coach.model import downloads as pulls
from coach.model.choice import GB, recommend, size_text, total_memory
from coach.model.client import InstalledModel, OllamaChat, PullProgress
from coach.settings import load_settings
from coach.testing.ollama_pull import PullPlan, PullRecord, progress_lines
from coach.testing.ollama_server import FakeModel, FakeOllama, closed_port_url
from tests.pages import open_page
from tests.waiting import wait_until

GIB = 1024**3
SLOW = PullPlan(chunks=400, chunk_delay_s=0.02)  # 8 s at most: long enough to cancel


@pytest.fixture(autouse=True)
def no_download_left_behind() -> Iterator[None]:
    """Downloads are kept per process, like answers: none may leak into the next test."""
    st.cache_data.clear()
    yield
    for model in ["qwen3:1.7b", "qwen3:4b", "qwen3:8b", "qwen3:14b", "nope:1b"]:
        if (pull := pulls.current(model)) is not None:
            pull.cancel()
            assert pull.done.wait(10)
            pulls.dismiss(pull)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """Ollama running with no model yet; its registry has qwen3's default tags."""
    with FakeOllama(models=[]) as server:
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        yield server


def names(fake: FakeOllama) -> list[str]:
    return [m.name for m in fake.models]


# --- the recommendation -----------------------------------------------------------------------

@pytest.mark.parametrize("memory, model", [
    (64 * GIB, "qwen3:14b"),
    (int(31.3 * GIB), "qwen3:14b"),  # a 32 GB machine, as /proc/meminfo reports it
    (32 * GB, "qwen3:14b"),
    (int(15.5 * GIB), "qwen3:8b"),   # 16 GB
    (12 * GB, "qwen3:8b"),
    (12 * GB - 1, "qwen3:4b"),
    (int(7.7 * GIB), "qwen3:4b"),    # 8 GB
    (6 * GB, "qwen3:4b"),
    (int(3.8 * GIB), "qwen3:1.7b"),  # 4 GB
])
def test_the_largest_model_this_memory_runs_comfortably(memory, model):
    advice = recommend(memory)
    assert advice.model == model
    assert advice.reason.endswith(".") and ". " not in advice.reason  # one sentence
    assert f"{memory / GB:.0f} GB of memory" in advice.reason
    assert size_text(advice.download_bytes) in advice.reason


def test_the_smallest_machine_is_told_to_expect_less():
    assert "expect plainer answers" in recommend(2 * GB).reason


def test_unknown_memory_recommends_the_default():
    advice = recommend(None)
    assert advice.model == "qwen3:8b" and "could not be read" in advice.reason


def test_memory_is_read_from_proc_meminfo(tmp_path: Path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16303272 kB\nMemFree:         1000 kB\n")
    assert total_memory(meminfo) == 16303272 * 1024
    fallback = total_memory(tmp_path / "missing")  # sysconf, where the platform has it
    assert fallback is None or fallback > 0


def test_sizes_for_people():
    assert (size_text(5_200_000_000), size_text(523_000_000)) == ("5.2 GB", "523 MB")


# --- installed models -------------------------------------------------------------------------

def test_installed_models_with_tools_size_parameters_and_context():
    gemma = FakeModel(name="gemma:2b", capabilities=("completion",), size=1_700_000_000,
                      parameter_size="2.5B", family="gemma", context_length=8192)
    models = [FakeModel(), gemma, FakeModel(name="gpt-oss:120b-cloud", size=384)]
    with FakeOllama(models=models) as fake, OllamaChat(fake.url, "qwen3:8b") as model:
        assert model.installed_models() == [
            InstalledModel("qwen3:8b", 5_200_000_000, "8.2B", True, 40960),
            InstalledModel("gemma:2b", 1_700_000_000, "2.5B", False, 8192)]
        assert model.describe_installed()["gemma:2b"] == "gemma:2b · 2.5B · 1.7 GB · no tools"
        assert "/api/show" in [r["path"] for r in fake.requests]


def test_installed_models_when_ollama_is_not_running():
    with OllamaChat(closed_port_url(), "qwen3:8b") as model:
        with pytest.raises(ModelUnavailable, match="ollama serve"):
            model.installed_models()
        assert model.describe_installed() == {}


# --- pull: the real client against the fake ---------------------------------------------------

def test_the_fake_streams_ollamas_pull_format():
    lines = list(progress_lines("qwen3:4b", 2_500_000_000, PullPlan(chunks=2)))
    assert lines[0] == {"status": "pulling manifest"}
    assert [line["status"] for line in lines[-3:]] == [
        "verifying sha256 digest", "writing manifest", "success"]
    first = lines[1]
    assert "completed" not in first and first["status"] == f"pulling {first['digest'][7:19]}"
    assert sum(line["total"] for line in lines if "digest" in line and
               line.get("completed") == line["total"]) == 2_500_000_000


def test_pull_reports_progress_and_installs_the_model(fake: FakeOllama):
    seen: list[PullProgress] = []
    with OllamaChat(fake.url, "qwen3:4b") as model:
        model.pull(seen.append, threading.Event())
        assert model.status().model_present
    assert seen[0].status == "pulling manifest" and seen[-1].status == "success"
    weights = [p for p in seen if p.digest == seen[1].digest]
    assert [p.completed or 0 for p in weights] == sorted(p.completed or 0 for p in weights)
    assert weights[-1].completed == weights[-1].total
    assert fake.pulls.wait_for(1) == [PullRecord("qwen3:4b", "success")]
    assert fake.requests[-3]["body"] == {"model": "qwen3:4b", "insecure": False, "stream": True}


def test_cancel_closes_the_stream_and_nothing_is_installed(fake: FakeOllama):
    fake.pulls.plan = SLOW
    stop = threading.Event()

    def cancel_once_bytes_arrive(progress):
        if progress.completed:
            stop.set()

    with OllamaChat(fake.url, "qwen3:14b") as model:
        with pytest.raises(ModelStopped, match="Download cancelled; nothing was changed."):
            model.pull(cancel_once_bytes_arrive, stop)
    assert fake.pulls.wait_for(1) == [PullRecord("qwen3:14b", "cancelled")]  # it saw the hang-up
    assert names(fake) == []


def test_an_error_mid_way_is_a_sentence_and_installs_nothing(fake: FakeOllama):
    fake.pulls.plan = PullPlan(fail_after_chunks=2)
    with OllamaChat(fake.url, "qwen3:4b") as model:
        with pytest.raises(ModelError, match="download of qwen3:4b failed: max retries") as e:
            model.pull(lambda p: None, threading.Event())
    assert "internet connection" in str(e.value) and names(fake) == []


def test_a_name_the_library_does_not_have(fake: FakeOllama):
    with OllamaChat(fake.url, "nope:1b") as model:
        with pytest.raises(ModelUnavailable, match="no model called nope:1b"):
            model.pull(lambda p: None, threading.Event())
    assert fake.pulls.wait_for(1)[0].outcome == "failed"


def test_a_cloud_model_is_never_pulled(fake: FakeOllama):
    with OllamaChat(fake.url, "gpt-oss:120b-cloud") as model:
        with pytest.raises(ModelUnavailable, match="runs on ollama.com"):
            model.pull(lambda p: None, threading.Event())
    assert fake.requests == []


def test_pull_when_ollama_is_not_running():
    with OllamaChat(closed_port_url(), "qwen3:4b") as model:
        with pytest.raises(ModelUnavailable, match="ollama serve"):
            model.pull(lambda p: None, threading.Event())


# --- the download job -------------------------------------------------------------------------

def test_the_job_reports_bytes_over_every_layer_and_ends_installed(fake: FakeOllama):
    pull = pulls.start(load_settings(), "qwen3:1.7b")
    assert pull.done.wait(10)
    ended = pull.snapshot()
    assert ended.succeeded and ended.fraction == 1.0
    assert ended.completed == ended.total == 1_400_000_000
    assert ended.text == "qwen3:1.7b is downloaded and ready."
    assert names(fake) == ["qwen3:1.7b"]


def test_the_job_can_be_cancelled(fake: FakeOllama):
    fake.pulls.plan = SLOW
    pull = pulls.start(load_settings(), "qwen3:8b")
    wait_until(lambda: pull.snapshot().completed > 0)
    running = pull.snapshot()
    assert 0 < running.fraction < 1 and running.text.startswith("Downloading qwen3:8b: ")
    assert pulls.start(load_settings(), "qwen3:8b") is pull  # one download per model
    pull.cancel()
    assert pull.done.wait(10)
    ended = pull.snapshot()
    assert ended.cancelled and not ended.succeeded
    assert ended.outcome == "Download cancelled; nothing was changed."
    assert fake.pulls.wait_for(1)[0].outcome == "cancelled" and names(fake) == []


def test_the_job_says_when_it_failed(fake: FakeOllama):
    fake.pulls.plan = PullPlan(fail_after_chunks=1)
    pull = pulls.start(load_settings(), "qwen3:4b")
    assert pull.done.wait(10)
    assert pull.snapshot().error and "failed: max retries" in pull.snapshot().outcome


def test_the_job_refuses_cloud_models_and_remote_servers(fake, monkeypatch):
    with pytest.raises(ModelHostRefused, match="runs on ollama.com"):
        pulls.start(load_settings(), "gpt-oss:20b-cloud")
    monkeypatch.setenv("OLLAMA_HOST", "http://10.1.2.3:11434")
    with pytest.raises(ModelHostRefused, match="not on this machine"):
        pulls.start(load_settings(), "qwen3:4b")
    assert fake.requests == []


# --- coach doctor --fix -----------------------------------------------------------------------

def doctor(monkeypatch: pytest.MonkeyPatch, answer: str, *argv: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    out = io.StringIO()
    return cli.main(["doctor", *argv], out=out), out.getvalue()


def test_doctor_lists_models_and_the_recommendation(monkeypatch):
    models = [FakeModel(), FakeModel(name="gemma:2b", capabilities=("completion",))]
    with FakeOllama(models=models) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        code, out = doctor(monkeypatch, "")
    assert code == 0 and "Installed models:" in out
    assert "qwen3:8b" in out and "5.2 GB  tools: yes  context 40,960" in out
    assert "gemma:2b" in out and "tools: no" in out
    assert f"Recommended for this machine: {recommend(total_memory()).model}." in out


def test_doctor_fix_downloads_when_answered_yes_then_checks_again(fake, monkeypatch):
    code, out = doctor(monkeypatch, "y\n", "--fix")
    assert "Download qwen3:8b now (about 5.2 GB)? [y/N]" in out
    assert "[FAIL] Model: qwen3:8b is not installed" in out
    assert "qwen3:8b is downloaded and ready." in out
    after = out.split("Checking again:")[1]
    assert "[ok  ] Model: qwen3:8b is installed" in after and "[ok  ] Tool calling" in after
    assert code == 0 and after.rstrip().endswith("All good.")


def test_doctor_fix_answered_no_downloads_nothing(fake, monkeypatch):
    for answer in ("n\n", "\n", ""):  # no, just Enter, end of input
        code, out = doctor(monkeypatch, answer, "--fix")
        assert code == 1 and "Nothing was downloaded." in out and "Checking again" not in out
    assert "/api/pull" not in [r["path"] for r in fake.requests]


def test_doctor_fix_yes_asks_nothing(fake, monkeypatch):
    code, out = doctor(monkeypatch, "", "--fix", "--yes")
    assert code == 0 and "[y/N]" not in out and "Downloading qwen3:8b (about 5.2 GB)" in out


def test_doctor_without_fix_says_how_to_fix(fake, monkeypatch):
    code, out = doctor(monkeypatch, "y\n")
    assert code == 1 and "`coach doctor --fix`" in out and "[y/N]" not in out


def test_doctor_fix_cancelled_with_ctrl_c(fake, data_dir):
    """A real terminal session: `coach doctor --fix`, yes, then Ctrl+C (SIGINT) mid-download."""
    fake.pulls.plan = SLOW
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))},
           "OLLAMA_HOST": fake.url, "COACH_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    answer = data_dir.parent / "answer.txt"
    answer.write_text("y\n")
    # A terminal delivers Ctrl+C; a test run started in the background may have SIGINT ignored,
    # and the child would inherit that: give it the default disposition, as a terminal does.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with answer.open() as stdin:
            process = subprocess.Popen([sys.executable, "-m", "coach.cli", "doctor", "--fix"],
                                       env=env, stdin=stdin, stdout=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        seen = []
        while not any("Downloading qwen3:8b:" in line and " of " in line for line in seen):
            line = process.stdout.readline()
            assert line, "".join(seen)
            seen.append(line)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    out = "".join(seen) + rest
    assert "Download cancelled; nothing was changed." in out and "Traceback" not in out
    assert "[FAIL] Model: qwen3:8b is not installed" in out.split("Checking again:")[1]
    assert process.returncode == 1
    assert fake.pulls.wait_for(1) == [PullRecord("qwen3:8b", "cancelled")] and names(fake) == []


# --- the page ---------------------------------------------------------------------------------

def download_button(at: AppTest, model: str):
    return [b for b in at.button if b.label.startswith(f"Download {model}")]


def redraw_when_done(at: AppTest, model: str) -> AppTest:
    """Wait for the download to end, then redraw as the timed refresh would; unless the click's
    own run already saw the end (and announced it)."""
    pull = pulls.current(model)
    if pull is not None:
        assert pull.done.wait(10)
        at.run()
    return at


def test_the_banner_downloads_the_missing_model(fake, monkeypatch):
    monkeypatch.setenv("COACH_MODEL", "qwen3:4b")
    at = open_page()
    assert "ollama pull qwen3:4b" in at.error[0].value and at.chat_input[0].disabled
    [button] = download_button(at, "qwen3:4b")
    assert button.label == "Download qwen3:4b (~2.5 GB)"
    redraw_when_done(button.click().run(), "qwen3:4b")
    assert not at.exception and not at.error
    assert "qwen3:4b is downloaded and ready." in [s.value for s in at.success]
    assert not download_button(at, "qwen3:4b") and not at.chat_input[0].disabled
    assert names(fake) == ["qwen3:4b"]


def test_the_banner_shows_progress_and_cancel(fake, monkeypatch):
    monkeypatch.setenv("COACH_MODEL", "qwen3:8b")
    fake.pulls.plan = SLOW
    at = open_page()
    download_button(at, "qwen3:8b")[0].click().run()
    pull = pulls.current("qwen3:8b")
    assert pull is not None
    wait_until(lambda: pull.snapshot().completed > 0)
    at.run()
    [bar] = at.get("progress")
    text = bar.text.replace("\\", "")  # the bar's text is Markdown, escaped
    assert text.startswith("Downloading qwen3:8b: ") and " of " in text
    [cancel] = [b for b in at.button if b.label == "Cancel download"]
    cancel.click().run()
    assert pull.done.wait(10)
    at.run()
    assert "Download cancelled; nothing was changed." in [i.value for i in at.info]
    assert download_button(at, "qwen3:8b") and not at.get("progress")
    assert names(fake) == []


def test_settings_lists_models_and_recommends_one_for_this_machine(monkeypatch):
    models = [FakeModel(name="gemma:2b", capabilities=("completion",), size=1_700_000_000,
                        parameter_size="2.5B", context_length=8192), FakeModel(name="llama3.2:3b",
                        size=2_019_393_189, parameter_size="3.2B", context_length=131072)]
    advice = recommend(total_memory())
    with FakeOllama(models=models) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        monkeypatch.setenv("COACH_MODEL", "llama3.2:3b")
        at = open_page().switch_page("views/settings.py").run()
        assert not at.exception
        table = at.table[0].value
        assert table.to_dict("records") == [
            {"Model": "gemma:2b", "Tools": "✗", "Size": "1.7 GB", "Parameters": "2.5B",
             "Context": "8,192"},
            {"Model": "llama3.2:3b", "Tools": "✓", "Size": "2.0 GB", "Parameters": "3.2B",
             "Context": "131,072"}]
        [said] = [i.value for i in at.info if "Recommended for this machine" in i.value]
        assert f"Recommended for this machine: {advice.model}.**" in said
        redraw_when_done(download_button(at, advice.model)[0].click().run(), advice.model)
        assert f"{advice.model} is downloaded and ready." in [s.value for s in at.success]
        assert advice.model in list(at.table[0].value["Model"])
        assert f"{advice.model} is installed" in " ".join(c.value for c in at.caption)
