"""History: the activities, filtered and sortable, with a detail view and "Discuss with coach"."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from coach import display
from coach.app import Coach, Scope, answers
from coach.app.rows import STRAVA_SPORT, HistoryFilter, activity_detail, history_rows

from .. import browser_session
from ..shared import current_model_status
from ..text import plain

# Numbers stay numbers (the table sorts them as such); these formats only write them.
COLUMNS = {
    "id": None,
    "date": st.column_config.Column("date", width=115),      # fits `Wed 25 Nov 2025`
    "sport": st.column_config.TextColumn("sport", width=115),   # and `OpenWaterSwim`
    "name": st.column_config.TextColumn("name", width="medium"),
    "duration": st.column_config.Column("time", width="small"),
    "km": st.column_config.NumberColumn("distance", format="%.1f km", width="small"),
    "load": st.column_config.NumberColumn("load", format="%.0f", width="small"),
    "intensity": st.column_config.NumberColumn("intensity", format="%.0f%%", width="small"),
    "avg HR": st.column_config.NumberColumn("avg HR", format="%.0f bpm", width="small"),
    "NP": st.column_config.NumberColumn("NP", format="%.0f W", width="small",
                                        help="normalized power"),
}


def page() -> None:
    coach = browser_session.coach()
    st.header("History")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to see your activities.")
        return
    scope = coach.scope()
    sport_col, from_col, to_col, text_col = st.columns([1, 1, 1, 2])
    sport = sport_col.selectbox("Sport", ["All", "Ride", "Run", "Swim"], key="history-sport")
    start = from_col.date_input("From", scope.today - timedelta(days=90), key="history-from")
    end = to_col.date_input("To", scope.today, key="history-to")
    text = text_col.text_input("Name or notes contain", key="history-text")
    rows = history_rows(scope, HistoryFilter(
        None if sport == "All" else sport, start, end, text))
    st.caption(f"{len(rows)} {'activity' if len(rows) == 1 else 'activities'}")
    if not rows:
        st.info("No activities match these filters.")
        return
    # The table's key changes with the filters: a selection never outlives the rows it was on.
    picked = st.dataframe(table(rows, scope.today), hide_index=True, width="stretch",
                          on_select="rerun", selection_mode="single-row",
                          column_config=COLUMNS, placeholder=display.MISSING,
                          key=f"history-table-{sport}-{start}-{end}-{text}")
    selected = [i for i in (picked.selection.rows if picked and picked.selection else [])
                if i < len(rows)]
    detail(coach, scope, rows[selected[0]]["id"] if selected else rows[0]["id"])


def table(rows: list[dict[str, Any]], today: date) -> Any:
    """The rows as a table whose dates and times read `Tue 1 Dec`, `1h38m` and still sort as
    dates and seconds (a Styler writes them; the data underneath stays raw)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.style.format({"date": lambda d: display.day(d, today),
                               "duration": display.duration}, na_rep=display.MISSING)


def detail(coach: Coach, scope: Scope, activity_id: str) -> None:
    found = activity_detail(scope, activity_id)
    if found is None:
        return
    activity = found["activity"]
    with st.container(border=True, key="activity-detail"):
        sport = activity.type or (STRAVA_SPORT if activity.unavailable else "")
        st.markdown(" · ".join(part for part in (f"**{plain(activity.name or 'Activity')}**",
                                                 sport, found["day"]) if part))
        if activity.unavailable:
            st.caption("Imported from Strava: its data is not available through the "
                       "Intervals.icu API.")
        # Each figure as wide as its text, wrapping onto the next row: a fixed grid of
        # columns cut "1:56 /100m" to "1:56 /1…".
        with st.container(horizontal=True, gap="medium", key="activity-metrics"):
            for label, value in found["metrics"].items():
                st.metric(label, value, width="content")
        if found["intervals"]:
            st.caption("Intervals: " + " · ".join(plain(i) for i in found["intervals"]))
        discuss_button(coach, activity.id, found)


def discuss_button(coach: Coach, activity_id: str, found: dict[str, Any]) -> None:
    """A conversation of its own, titled with the activity's name and day, whose first message
    holds the activity's day and figures (never its id); the coach answers it at once."""
    model_ok = current_model_status(coach).ok
    why = None if model_ok else "The coach needs its model to answer: see the Coach page."
    if st.button("Discuss with coach", key=f"discuss-{activity_id}", type="primary",
                 disabled=not model_ok, help=why):
        conversation_id = coach.new_conversation(found["title"])
        if coach.add_user_message(conversation_id, f"Let's discuss my activity on "
                                                   f"{found['line']}"):
            answers.start(coach.spawn, conversation_id)
        st.session_state.conversation_id = conversation_id
        st.switch_page("views/coach.py")
    if why:
        st.caption(why)


page()
