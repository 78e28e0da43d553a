"""What every part of the benchmark shares: paths, the loopback host, the options read from
the environment, the throwaway secret key, the error that stops the run, and the app's own
``flask`` commands run against a benchmark database."""

import os
import subprocess
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


def app_env(database_url: str, **settings: str) -> dict:
    """The environment the app runs in against ``database_url`` (plus ``settings``)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, **settings}
    # A developer's own database setting would win over DATABASE_URL.
    env.pop("FLASK_SQLALCHEMY_DATABASE_URI", None)
    return env


def run_flask(env: dict, *args: str, timeout: float = 300) -> None:
    """``flask --app app ARGS`` from the repository root in ``env``; BenchError if it fails."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
