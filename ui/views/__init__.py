"""One file per page; Streamlit runs each by path (see `ui/app.py`'s navigation)."""
