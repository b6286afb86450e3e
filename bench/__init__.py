"""Benchmarks (DESIGN §3, §9): data generators and measured runs; never part of the test run."""
