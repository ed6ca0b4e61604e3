"""Benchmarks that print figures (python -m bench). Never timed unit tests."""
