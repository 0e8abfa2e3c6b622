"""Benchmarks of govdata's aggregation (not tests): ``python -m benchmarks.ingest --help``."""
