"""Test and benchmark support, installable: fakes at the network edge (Intervals.icu, Ollama),
scripted models, synthetic athletes and app start/stop helpers. Used by tests/ and benchmarks/;
never imported by the product."""
