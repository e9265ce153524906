"""paperkg's benchmarks: `python -m bench` (see bench/README.md); the per-area scripts beside it."""
