"""Local Coach, the engine. Pure core: `workout` (workout text), `analysis` (training numbers),
`records` (the typed records), `grounding` (figures in answers against the data). Boundaries,
one per outside system: `intervals` (HTTP), `store` (SQLite), `llm` (Ollama), `settings` (env,
files, keyring). Orchestration: `sync`, `tools` and `reports` (what the model reads), `agent`
and `turns` (the answer loop), `proposals` (pending, sends nothing), `publishing` (the only
writer), `session` (what pages and commands use), `demo`, `doctor`, `cli`."""
