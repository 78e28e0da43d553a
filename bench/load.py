"""Loading one URL: ``wrk`` (``wrk -t2 -c8 -d5s --latency``) and its output parsed, or a small
keep-alive client in pure Python (8 threads, 5 s and at most 50,000 requests each); the
warm-up before each, the percentiles and one printed line per URL."""

import http.client
import re
import subprocess
import threading
import time
from dataclasses import dataclass

from server import get
from settings import CONNECTIONS, DURATION, HOST, BenchError

MAX_REQUESTS_PER_CONNECTION = 50_000


@dataclass
class Result:
    path: str  # what was loaded, as printed
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int = 0


def warm_up(port: int, path: str, count: int = 20) -> None:
    for _ in range(count):
        status, _ = get(port, path)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}")


# --- wrk -------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(port: int, path: str, headers: dict, *, label: str) -> Result:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(label, done.stdout)


def parse_wrk(path: str, output: str) -> Result:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if not match:
            raise BenchError(f"no {percent}% latency in wrk output:\n{output}")
        return float(match.group(1)) * UNITS_MS[match.group(2)]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not rate:
        raise BenchError(f"no Requests/sec in wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    error_count = int(errors.group(1)) if errors else 0
    if socket_errors:
        error_count += sum(int(n) for n in socket_errors.groups())
    return Result(
        path, float(rate.group(1)), latency("50"), latency("90"), latency("99"), error_count
    )


# --- pure-Python fallback ----------------------------------------------------------------------


def run_python(port: int, path: str, headers: dict, *, label: str) -> Result:
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    stop_at = time.monotonic() + DURATION

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if time.monotonic() >= stop_at:
                    break
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors[index] += 1
                    connection.close()
                    continue
                latencies[index].append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    errors[index] += 1
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DURATION + 10)
    elapsed = time.monotonic() - started
    samples = sorted(ms for per_thread in latencies for ms in per_thread)
    if not samples:
        raise BenchError(f"no successful request to {path}")
    return Result(
        label,
        len(samples) / elapsed,
        percentile(samples, 0.50),
        percentile(samples, 0.90),
        percentile(samples, 0.99),
        sum(errors),
    )


def percentile(sorted_samples: list[float], fraction: float) -> float:
    return sorted_samples[min(len(sorted_samples) - 1, int(fraction * len(sorted_samples)))]


def format_result(result: Result, width: int = 27) -> str:
    line = (
        f"{result.path:<{width}} {result.requests_per_second:>9.1f} req/s   "
        f"p50 {result.p50_ms:7.2f} ms   p90 {result.p90_ms:7.2f} ms   "
        f"p99 {result.p99_ms:7.2f} ms"
    )
    if result.errors:
        line += f"   ({result.errors} errors)"
    return line
