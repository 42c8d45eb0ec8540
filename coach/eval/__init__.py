"""`coach eval`: how well does a model coach? A suite of scenarios run on the demo athlete
through the same Coach as the page (agent, tools, prompts, the real Ollama client), each graded
deterministically. `scenarios` (what is asked, on what data, what a good answer does), `graders`
(pure: one run's events, messages and proposals into scores 0..1 and raw figures), `runner`
(runs them with a progress bar, builds, writes and compares the reports)."""
