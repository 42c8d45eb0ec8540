"""The fake Ollama server, driven by the real `ollama.Client` over HTTP."""

import time

import httpx
import ollama
import pydantic
import pytest

from coach.testing.ollama_server import FakeModel, FakeOllama, Reply, closed_port_url

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
ASK = [{"role": "user", "content": "What is the weather in Toronto?"}]
CALL = {"name": "get_weather", "arguments": {"city": "Toronto"}}


@pytest.fixture
def fake():
    with FakeOllama(
        models=[FakeModel(), FakeModel(name="gemma2:2b", capabilities=("completion",))]
    ) as server:
        yield server


@pytest.fixture
def client(fake):
    with ollama.Client(host=fake.url, timeout=5) as c:
        yield c


def test_list_show_and_version(fake, client):
    assert [m.model for m in client.list().models] == ["qwen3:8b", "gemma2:2b"]
    info = client.show("qwen3:8b")
    assert "tools" in info.capabilities
    assert info.modelinfo["qwen3.context_length"] == 40960
    assert httpx.get(f"{fake.url}/api/version").json() == {"version": "0.13.5"}
    assert client.ps().models == []
    with pytest.raises(ollama.ResponseError) as e:
        client.show("llama3.2:3b")
    assert e.value.status_code == 404


def test_streamed_content_arrives_in_chunks_then_metrics(fake, client):
    text = "Easy run today, then a long ride on Sunday to build your aerobic base."
    fake.set_script([Reply(content=text)])
    chunks = list(
        client.chat(
            "qwen3:8b", ASK, stream=True, think=False, options={"num_ctx": 8192}, keep_alive="10m"
        )
    )
    assert 3 <= len(chunks) - 1 <= 8
    assert "".join(c.message.content for c in chunks) == text
    assert [c.done for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert chunks[-1].done_reason == "stop" and chunks[-1].prompt_eval_count > 0
    request = fake.chat_requests[-1]
    assert request["options"] == {"num_ctx": 8192}
    assert (request["think"], request["keep_alive"], request["tools"]) == (False, "10m", [])


@pytest.mark.parametrize("in_final_chunk", [False, True])
def test_streamed_tool_calls(fake, client, in_final_chunk):
    fake.set_script(
        [Reply(content="Let me check.", tool_calls=[CALL], calls_in_final_chunk=in_final_chunk)]
    )
    chunks = list(client.chat("qwen3:8b", ASK, tools=[WEATHER_TOOL], stream=True, think=False))
    with_calls = [c for c in chunks if c.message.tool_calls]
    assert len(with_calls) == 1 and with_calls[0].done is in_final_chunk
    (call,) = with_calls[0].message.tool_calls
    assert call.function.name == "get_weather" and call.function.arguments == {"city": "Toronto"}


def test_thinking_streams_before_content(fake, client):
    fake.set_script([Reply(content="Rest today.", thinking="The athlete is tired.")] * 2)
    chunks = list(client.chat("qwen3:8b", ASK, stream=True, think=True))
    assert chunks[0].message.thinking and not chunks[0].message.content
    assert "".join(c.message.thinking or "" for c in chunks) == "The athlete is tired."
    no_think = client.chat("qwen3:8b", ASK, think=False)
    assert no_think.message.thinking is None and no_think.message.content == "Rest today."


def test_non_stream_aggregates(fake, client):
    fake.set_script(
        [Reply(content="Checking the forecast now.", thinking="Hmm.", tool_calls=[CALL, CALL])]
    )
    response = client.chat("qwen3:8b", ASK, tools=[WEATHER_TOOL], think=True)
    assert response.done and response.eval_count > 0
    assert (response.message.content, response.message.thinking) == (
        "Checking the forecast now.",
        "Hmm.",
    )
    assert [c.function.arguments for c in response.message.tool_calls] == [{"city": "Toronto"}] * 2
    assert fake.chat_requests[-1]["stream"] is False


def test_capability_and_model_errors(client):
    with pytest.raises(ollama.ResponseError) as missing:
        client.chat("llama3.2:3b", ASK)
    assert missing.value.status_code == 404
    assert missing.value.error == 'model "llama3.2:3b" not found, try pulling it first'
    with pytest.raises(ollama.ResponseError) as no_tools:
        next(client.chat("gemma2:2b", ASK, tools=[WEATHER_TOOL], stream=True))
    assert no_tools.value.status_code == 400 and "does not support tools" in no_tools.value.error
    with pytest.raises(ollama.ResponseError, match="does not support thinking"):
        client.chat("gemma2:2b", ASK, think=True)
    with pytest.raises(ollama.ResponseError, match="invalid role"):
        client.chat("qwen3:8b", [{"role": "robot", "content": "beep"}])


def test_mid_stream_error_raises_during_iteration(fake, client):
    fake.set_script([Reply(content="one two three four five six", error_after_chunks=2)])
    received = []
    with pytest.raises(ollama.ResponseError) as e:
        for chunk in client.chat("qwen3:8b", ASK, stream=True):
            received.append(chunk.message.content)
    assert len(received) == 2 and e.value.status_code == -1


def test_stream_can_end_without_done(fake, client):
    fake.set_script([Reply(content="cut off here", stop_without_done=True)])
    chunks = list(client.chat("qwen3:8b", ASK, stream=True))
    assert chunks and not any(c.done for c in chunks)


def test_exhausted_script_is_a_500(client):
    client.chat("qwen3:8b", ASK)  # the default script answers forever; a list runs out
    with FakeOllama([]) as empty, ollama.Client(host=empty.url) as c:
        with pytest.raises(ollama.ResponseError, match="fake script exhausted") as e:
            c.chat("qwen3:8b", ASK)
    assert e.value.status_code == 500


def test_closed_port_errors_differ_by_stream_mode():
    with ollama.Client(host=closed_port_url(), timeout=2) as c:
        stream = c.chat("qwen3:8b", ASK, stream=True)  # nothing happens until iteration
        with pytest.raises(httpx.ConnectError):
            next(stream)
        with pytest.raises(ConnectionError, match="Failed to connect to Ollama"):
            c.chat("qwen3:8b", ASK)


def test_slow_first_token_hits_the_read_timeout(fake):
    fake.set_script([Reply(content="late", delay_s=0.5)] * 2)
    with ollama.Client(host=fake.url, timeout=httpx.Timeout(2.0, read=0.1)) as c:
        with pytest.raises(httpx.ReadTimeout):
            next(c.chat("qwen3:8b", ASK, stream=True))
        with pytest.raises(httpx.ReadTimeout):
            c.chat("qwen3:8b", ASK)


def test_lines_are_delivered_as_they_are_written(fake, client):
    fake.set_script([Reply(content="one two three four five six", chunk_delay_s=0.25)])
    start = time.monotonic()
    arrivals = [time.monotonic() - start for _ in client.chat("qwen3:8b", ASK, stream=True)]
    assert arrivals[0] < arrivals[-1] - 0.5


def test_history_with_tool_results_is_accepted_and_recorded(fake, client):
    history = [
        *ASK,
        {"role": "assistant", "content": "", "tool_calls": [{"function": CALL}]},
        {"role": "tool", "tool_name": "get_weather", "content": "11 °C, overcast"},
    ]
    assert client.chat("qwen3:8b", history, tools=[WEATHER_TOOL]).message.content == "Hello!"
    sent = fake.chat_requests[-1]["messages"]
    assert sent[1]["tool_calls"] == [
        {"function": {"name": "get_weather", "arguments": {"city": "Toronto"}}}
    ]
    assert sent[2] == {"role": "tool", "tool_name": "get_weather", "content": "11 °C, overcast"}


def test_stringified_arguments_in_history_are_rejected(fake, client):
    stringified = {"name": "get_weather", "arguments": '{"city": "Toronto"}'}
    history = [
        *ASK,
        {"role": "assistant", "content": "", "tool_calls": [{"function": stringified}]},
    ]
    with pytest.raises(pydantic.ValidationError):  # the real client refuses before sending
        client.chat("qwen3:8b", history)
    response = httpx.post(f"{fake.url}/api/chat", json={"model": "qwen3:8b", "messages": history})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Value looks like object, but can't find closing '}' symbol"
    }


def test_callable_script_sees_the_request(fake, client):
    def script(body):
        if body["messages"][-1]["role"] == "tool":
            return Reply(content=f"It is {body['messages'][-1]['content']}.")
        return Reply(tool_calls=[CALL])

    fake.set_script(script)
    first = client.chat("qwen3:8b", ASK, tools=[WEATHER_TOOL])
    call = first.message.tool_calls[0]
    history = [
        *ASK,
        first.message,
        {"role": "tool", "tool_name": call.function.name, "content": "11 °C"},
    ]
    assert client.chat("qwen3:8b", history, tools=[WEATHER_TOOL]).message.content == "It is 11 °C."


def test_requests_record_headers_and_the_api_key_leak(fake, monkeypatch):
    monkeypatch.setenv("OLLAMA_API_KEY", "secret")
    with ollama.Client(host=fake.url) as c:
        c.list()
    headers = fake.requests[-1]["headers"]
    assert headers["authorization"] == "Bearer secret"
    assert headers["user-agent"].startswith("ollama-python/")


def test_other_paths_and_the_empty_load_request(fake, client):
    assert httpx.get(fake.url).text == "Ollama is running"
    assert httpx.get(f"{fake.url}/api/nope").status_code == 404
    assert client.chat("qwen3:8b", []).done_reason == "load"
    assert [r["path"] for r in fake.requests][-3:] == ["/", "/api/nope", "/api/chat"]
