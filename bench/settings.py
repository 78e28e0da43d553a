"""What every part of the benchmark shares: paths, the loopback host, the options read from
the environment, the throwaway secret key and the error that stops the run."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
DURATION = max(1, min(int(os.environ.get("BENCH_DURATION", "5")), 60))
CONNECTIONS = max(1, min(int(os.environ.get("BENCH_CONNECTIONS", "8")), 64))
SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105 -- a throwaway database


class BenchError(Exception):
    pass
