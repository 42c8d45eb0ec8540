"""The Streamlit pages: `app.py` (settings, sidebar, navigation) runs the pages in `views/`;
the other modules render pieces (cards, charts, the conversation). They render and wire
buttons, and reach the engine through `coach.app` only."""
