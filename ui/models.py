"""Getting a model from the page: the installed models that can call tools (best first), a
Download button with a progress bar and Cancel, the installed models with what each can do,
and the model recommended for this machine."""

from __future__ import annotations

import streamlit as st

from coach.app import Coach, ModelStatus, Settings, setup
from coach.app.setup import ENV_VARS, InstalledModel, download_size, size_text
from coach.errors import CoachError, SettingsError

from . import browser_session
from .cards import flash
from .text import plain, safe_markdown

MODEL_VARIABLE = ENV_VARS["model"]
OFFERED = 3  # installed models offered at most, best first


def model_offers(coach: Coach, status: ModelStatus) -> None:
    """Ollama runs, but the model set cannot be used: the installed models that can call
    tools first, best first, then the download of the one missing."""
    s = coach.settings
    try:
        usable = [m for m in tool_models(s.ollama_host, s.allow_remote_model, s)
                  if m.name != s.model][:OFFERED]
    except CoachError:
        usable = []  # the error above already says what is wrong with Ollama
    if model_from_environment(s):
        _how_to_switch(s, usable)
    else:
        _use_buttons(coach, usable)
    missing = s.model if not status.model_present else setup.recommendation().model
    if missing not in status.installed:
        download_offer(coach, missing)


def _use_buttons(coach: Coach, usable: list[InstalledModel]) -> None:
    for model in usable:
        if st.button(f"Use {model.name} (installed, {_about(model)})", key=f"use-{model.name}",
                     type="primary" if model is usable[0] else "secondary",
                     help="Already in your Ollama and able to call tools; it becomes your "
                     "model in Settings"):
            use_model(coach, model.name)


def _how_to_switch(settings: Settings, usable: list[InstalledModel]) -> None:
    """The model comes from the environment, which the page cannot change: say how to."""
    if not usable:
        return
    best = usable[0].name
    st.caption(safe_markdown(
        f"{best} is installed and can call tools. The model is set by the environment "
        f"variable {MODEL_VARIABLE} ({settings.model}): start Local Coach with "
        f"`{MODEL_VARIABLE}={best}` to use it."))


def _about(model: InstalledModel) -> str:
    """"3.2B, 2.0 GB": what the athlete weighs a model by."""
    return ", ".join(p for p in (model.parameter_size, size_text(model.size)) if p)


def model_from_environment(settings: Settings) -> bool:
    return settings.sources.get("model") == "env"


def use_model(coach: Coach, model: str) -> None:
    """Save an installed model as the one to use, and redraw with its status."""
    try:
        coach.save_settings({"model": model})
    except SettingsError as e:
        flash(str(e))
    else:
        flash(f"The coach now uses {model}.", "success")
    browser_session.settings_changed()
    st.cache_data.clear()  # the cached model status is of the model before
    st.rerun()


def download_offer(coach: Coach, model: str) -> None:
    """A Download button for a model Ollama does not have; its progress bar while it runs."""
    pull = setup.current(model)
    if pull is not None:  # running, or ended and not yet announced
        download_progress(pull)
        return
    size = download_size(model)
    label = f"Download {model}" + (f" (~{size_text(size)})" if size else "")
    if st.button(label, key=f"download-{model}", help="Ollama downloads it from its library "
                 "(registry.ollama.ai); none of your data is sent"):
        try:
            setup.start_download(coach.settings, model)
        except CoachError as e:
            st.error(safe_markdown(str(e)))
            return
        st.rerun()


@st.fragment(run_every=0.5)
def download_progress(pull: setup.RunningPull) -> None:
    """Redraw the bar twice a second until the download ends."""
    if pull.done.is_set():
        _finished(pull)
    now = pull.snapshot()
    st.progress(now.fraction, text=plain(now.text))
    if st.button("Cancel download", key=f"cancel-download-{pull.model}"):
        pull.cancel()


def _finished(pull: setup.RunningPull) -> None:
    """Say how the download ended (at the top of the page), and redraw the whole page, with
    the model's status read again."""
    ended = pull.snapshot()
    setup.dismiss(pull)
    st.cache_data.clear()  # the cached model status and list of models are out of date
    flash(ended.outcome, "success" if ended.succeeded else "info" if ended.cancelled
          else "error")
    st.rerun()


@st.cache_data(ttl=10, show_spinner=False)
def installed_models(host: str, allow_remote: bool, _settings: Settings) -> list[dict[str, str]]:
    """The installed models as table rows, asked of Ollama at most every 10 s."""
    return [{"Model": m.name, "Tools": "✓" if m.tools else "✗", "Size": size_text(m.size),
             "Parameters": m.parameter_size or "?",
             "Context": f"{m.context_length:,}" if m.context_length else "?"}
            for m in setup.installed_models(_settings)]


@st.cache_data(ttl=10, show_spinner=False)
def tool_models(host: str, allow_remote: bool, _settings: Settings) -> list[InstalledModel]:
    """The installed models that can call tools, best first, asked of Ollama at most every
    10 s."""
    return setup.tool_models(_settings)


def models_section(coach: Coach) -> None:
    """Settings: what is installed in Ollama, and the model recommended for this machine."""
    st.subheader("Models")
    s = coach.settings
    try:
        rows: list[dict[str, str]] | None = installed_models(s.ollama_host,
                                                             s.allow_remote_model, s)
    except CoachError as e:
        st.caption(safe_markdown(f"The installed models cannot be listed: {e}"))
        rows = None
    if rows:
        st.table(rows, hide_index=True)
    elif rows is not None:
        st.caption("No models are installed in Ollama yet.")
    advice = setup.recommendation()
    st.info(safe_markdown(f"**Recommended for this machine: {advice.model}.** {advice.reason}"))
    if rows is None:
        return  # Ollama cannot be asked, so it cannot download either
    if any(r["Model"] == advice.model for r in rows):
        st.caption(installed_advice(s, advice.model))
    else:
        download_offer(coach, advice.model)


def installed_advice(settings: Settings, model: str) -> str:
    """What to do with the recommended model once it is installed."""
    if settings.model == model:
        return f"{model} is installed, and it is the model the coach uses."
    if model_from_environment(settings):
        return (f"{model} is installed. The model above is set by the environment variable "
                f"{MODEL_VARIABLE} ({plain(settings.model)}), so it cannot be picked here: "
                f"start Local Coach with `{MODEL_VARIABLE}={model}` to use it.")
    return f"{model} is installed: pick it as the model above."
