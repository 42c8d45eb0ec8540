"""OllamaChat: the real `ollama` client against the fake Ollama HTTP server."""

import pytest

from coach.errors import ModelError, ModelUnavailable
from coach.model.client import OllamaChat, ToolCall
from coach.testing.ollama_server import FakeModel, FakeOllama, Reply, closed_port_url

TOOLS = [{"type": "function", "function": {"name": "fitness_trend", "description": "d",
                                           "parameters": {"type": "object", "properties": {
                                               "days": {"type": "integer"}}}}}]
HELLO = [{"role": "user", "content": "hello"}]


def drain(model, messages=HELLO, tools=TOOLS):
    with model:
        return list(model.chat(messages, tools))


def status_of(host, name):
    with OllamaChat(host, name) as model:
        return model.status()


def test_streams_text_and_sets_num_ctx_think_and_timeout(fake_ollama):
    fake_ollama.set_script([Reply(content="Your form is good today.")])
    model = OllamaChat(fake_ollama.url, "qwen3:8b", num_ctx=6144)
    chunks = drain(model)
    assert "".join(c.content for c in chunks) == "Your form is good today."
    assert len([c for c in chunks if c.content]) > 1          # really streamed
    assert chunks[-1].done and chunks[-1].prompt_tokens
    sent = fake_ollama.chat_requests[0]
    assert sent["options"]["num_ctx"] == 6144 and sent["think"] is False
    assert sent["stream"] is True and sent["tools"][0]["function"]["name"] == "fitness_trend"


@pytest.mark.parametrize("final", [False, True])
def test_tool_calls_read_from_every_chunk(fake_ollama, final):
    fake_ollama.set_script([Reply(tool_calls=[{"name": "fitness_trend",
                                               "arguments": {"days": 42}}],
                                  calls_in_final_chunk=final)])
    calls = [c for chunk in drain(OllamaChat(fake_ollama.url, "qwen3:8b"))
             for c in chunk.tool_calls]
    assert calls == [ToolCall("fitness_trend", {"days": 42})]


def test_history_with_tool_results_is_accepted(fake_ollama):
    fake_ollama.set_script([Reply(content="ok")])
    history = [*HELLO, {"role": "assistant", "content": "", "tool_calls": [
        {"function": {"name": "fitness_trend", "arguments": {"days": 42}}}]},
        {"role": "tool", "tool_name": "fitness_trend", "content": "CTL 60"}]
    drain(OllamaChat(fake_ollama.url, "qwen3:8b"), history)
    assert fake_ollama.chat_requests[0]["messages"][-1]["tool_name"] == "fitness_trend"


def test_ollama_not_running_says_how_to_start_it():
    url = closed_port_url()
    with pytest.raises(ModelUnavailable, match="ollama serve"):
        drain(OllamaChat(url, "qwen3:8b"))
    status = status_of(url, "qwen3:8b")
    assert not status.reachable and "ollama serve" in status.problem


def test_missing_model_offers_the_pull_command(fake_ollama):
    with pytest.raises(ModelUnavailable, match="ollama pull llama3.1:8b"):
        drain(OllamaChat(fake_ollama.url, "llama3.1:8b"))
    status = status_of(fake_ollama.url, "llama3.1:8b")
    assert status.reachable and not status.model_present
    assert "ollama pull llama3.1:8b" in status.problem


def test_model_without_tools_is_explained():
    models = [FakeModel(name="gemma:2b", capabilities=("completion",))]
    with FakeOllama(models=models) as fake:
        with pytest.raises(ModelUnavailable, match="cannot call tools"):
            drain(OllamaChat(fake.url, "gemma:2b"))
        status = status_of(fake.url, "gemma:2b")
    assert status.model_present and "tools" not in status.capabilities
    assert "cannot call tools" in status.problem


def test_status_of_a_good_model(fake_ollama):
    status = status_of(fake_ollama.url, "qwen3:8b")
    assert status.ok and "tools" in status.capabilities and status.context_length == 40960


def test_error_in_the_middle_of_a_stream(fake_ollama):
    fake_ollama.set_script([Reply(content="one two three four five", error_after_chunks=2)])
    with pytest.raises(ModelError, match="stopped with an error"):
        drain(OllamaChat(fake_ollama.url, "qwen3:8b"))


def test_stream_that_ends_without_done(fake_ollama):
    fake_ollama.set_script([Reply(content="half an answer", stop_without_done=True)])
    with pytest.raises(ModelError, match="cut off"):
        drain(OllamaChat(fake_ollama.url, "qwen3:8b"))


def test_slow_first_token_times_out_with_a_sentence(fake_ollama):
    fake_ollama.set_script([Reply(content="late", delay_s=1.5)])
    with pytest.raises(ModelError, match="did not answer in time"):
        drain(OllamaChat(fake_ollama.url, "qwen3:8b", read_timeout_s=0.5))


def test_ollama_api_key_is_never_sent(fake_ollama, monkeypatch):
    monkeypatch.setenv("OLLAMA_API_KEY", "cloud-secret")
    fake_ollama.set_script([Reply(content="hi")])
    drain(OllamaChat(fake_ollama.url, "qwen3:8b"))
    status_of(fake_ollama.url, "qwen3:8b")
    assert fake_ollama.requests
    assert all("authorization" not in r["headers"] for r in fake_ollama.requests)
