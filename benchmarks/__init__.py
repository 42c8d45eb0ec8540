"""Performance benchmarks of Local Coach: `python -m benchmarks` prints the figures beside their
targets, shows how sync and tools grow with the length of the history, and writes
benchmarks/results.json."""
