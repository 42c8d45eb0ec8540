"""Intervals.icu: the client (`client`, the only code that imports httpx for it: Basic
API_KEY auth, backoff, typed errors, the key redacted) and the sync into the store (`sync`:
required steps, and optional ones that warn and are retried at the next sync)."""
