"""Benchmarks behind `make bench`: each returns a dict of figures with their conditions."""
