"""Getting a model from the page: a Download button with a progress bar and Cancel, the
installed models with what each can do, and the model recommended for this machine."""

from __future__ import annotations

import streamlit as st

from coach.app import Coach, Settings, setup
from coach.app.setup import download_size, size_text
from coach.errors import CoachError

from .cards import flash
from .text import plain, safe_markdown


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
        st.caption(f"{advice.model} is installed: pick it as the model above.")
    else:
        download_offer(coach, advice.model)
