"""Benchmark and load-test tooling: gunicorn + wrk against production settings (not part of the suite)."""
