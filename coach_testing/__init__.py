"""Test and benchmark support, installed as `coach.testing` (see pyproject.toml): fakes at the
network edge (Intervals.icu, Ollama), scripted models, synthetic athletes, the real small model,
the raw values a page must not show, and app start/stop helpers. Used by tests/ and
benchmarks/; never imported by the product. Its modules import each other relatively."""
