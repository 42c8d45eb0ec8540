"""Local Coach, the engine, one folder per job. Pure core: `workout` (workout text), `analysis`
(training numbers), `grounding` (figures in answers against the data), `records`, `messages`,
`display`, `errors`. Boundaries, one per outside system: `intervals` (Intervals.icu), `store`
(SQLite), `model` (Ollama), `settings` (env, files, keyring). Then `scope` (this athlete, this
store, today), `jobs` (background work), `demo`, `proposals` (checked, created, planned;
`publish`, the only writer), `agent` (the loop, the tools and what they say to the model),
`review`, `checkin`; `app`, the one door of the pages (`coach.ui`) and of `cli`; `eval`. The
README's "How it is built" says what each may import."""
