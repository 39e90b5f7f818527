"""HTTP measurements against the bench server: single timed pages, and N concurrent clients.

Standard library only (no new dependency). Each load-test client is a process of its own (16
processes, `spawn`ed so that they share nothing with the parent's Django and DuckDB), looping on
`http.client`: one request at a time, the next as soon as the previous answer is read, like a
person whose page sends its autosaves one after another (`core/autosave.js` waits for each answer). The
clients run on the same 2 cores as the server: what they spend is taken from it.
"""

import http.client
import multiprocessing
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_FIELD_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION_RE = re.compile(r'name="seen_revision" value="(\d+)"')
# The autosave moves each indicator to another status, so that every request really writes.
NEXT_STATUS = {"": "realise", "realise": "en_cours", "en_cours": "non_realise", "non_realise": "realise"}


# --- CPU accounting: what the server spent, whatever else the machine was doing -----------------


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process we may read."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError, IndexError):
            continue
        out.append((int(entry), parent, command))
    return out


def worker_peaks_mb(server_pid: int) -> dict[int, float]:
    """The peak resident memory (VmHWM) of each gunicorn worker so far, in MB."""
    peaks = {}
    for pid, parent, _command in _processes():
        if parent != server_pid:
            continue
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                line = next(line for line in handle if line.startswith("VmHWM:"))
        except (OSError, StopIteration):
            continue
        peaks[pid] = int(line.split()[1]) / 1024
    return peaks


class CpuMeter:
    """CPU seconds of the gunicorn workers and of the PostgreSQL backends of the bench database.

    The machine is shared: wall-clock figures move with the neighbours' load, the CPU a request
    costs the server does not (much)."""

    def __init__(self, server_pid: int, database: str | None):
        self.server_pid = server_pid
        self.database = database

    def snapshot(self) -> dict[str, dict[int, float]]:
        server, db = {}, {}
        for pid, parent, command in _processes():
            if pid == self.server_pid or parent == self.server_pid:
                server[pid] = _cpu_seconds(pid) or 0.0
            elif self.database and command.startswith("postgres:") and f" {self.database} " in command:
                db[pid] = _cpu_seconds(pid) or 0.0
        return {"server": server, "db": db}

    @staticmethod
    def spent(before, after) -> dict[str, float]:
        return {
            part: sum(seconds - before[part].get(pid, 0.0) for pid, seconds in after[part].items())
            for part in ("server", "db")
        }


def get(port: int, path: str, cookies: dict[str, str], *, timeout: float = 120) -> tuple[int, bytes, dict, float]:
    """One GET: (status, body, Set-Cookie values by name, seconds to the last byte)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Accept-Encoding": "identity"}
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _sep, rest = value.partition("=")
            set_cookies[key.strip()] = rest.split(";", 1)[0]
    return response.status, body, set_cookies, elapsed


def time_page(
    port: int, path: str, cookies: dict[str, str], *, warmup: int, runs: int, meter: CpuMeter | None = None
) -> dict:
    """Median time of the whole HTTP response of one page, after a warm-up (one per worker at least)."""
    statuses = []
    for _ in range(warmup):
        statuses.append(get(port, path, cookies)[0])
    before = meter.snapshot() if meter else None
    times = []
    size = 0
    for _ in range(runs):
        status, body, _cookies, elapsed = get(port, path, cookies)
        statuses.append(status)
        times.append(elapsed)
        size = len(body)
    spent = meter.spent(before, meter.snapshot()) if meter else {"server": 0.0, "db": 0.0}
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "max_ms": max(times) * 1000,
        "bytes": size,
        "statuses": sorted(set(statuses)),
        "server_cpu_ms": spent["server"] * 1000 / runs,
        "db_cpu_ms": spent["db"] * 1000 / runs,
    }


def csrf_for(port: int, page: str, cookies: dict[str, str]) -> tuple[str, str]:
    """(csrftoken cookie, form token) from a page with a form, as a browser gets them."""
    status, body, set_cookies, _elapsed = get(port, page, cookies)
    match = CSRF_FIELD_RE.search(body.decode("utf-8", "replace"))
    if status != 200 or match is None or "csrftoken" not in set_cookies:
        raise RuntimeError(f"no CSRF token on {page} (HTTP {status})")
    return set_cookies["csrftoken"], match.group(1)


@dataclass
class Client:
    """What one load-test client needs: its cookies, its token, and its requests."""

    session: str
    csrf_cookie: str
    csrf_token: str
    kind: str  # "autosave" or "bare"
    paths: list[str]  # autosave: one per indicator; bare: the bare view
    state: dict[str, list] = field(default_factory=dict)  # autosave: path → [status, revision]
    offset: int = 0  # where in the indicators this client starts


def _client_loop(port, client: Client, ready, go, duration, results):
    headers = {
        "Cookie": f"sessionid={client.session}; csrftoken={client.csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
        "Accept-Encoding": "identity",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    samples, errors = [], []
    index = client.offset
    ready.release()
    go.wait()
    cpu_start = time.process_time()
    start = time.perf_counter()
    end = start + duration
    while True:
        now = time.perf_counter()
        if now >= end:
            break
        path = client.paths[index % len(client.paths)]
        if client.kind == "autosave":
            status, revision = client.state[path]
            new_status = NEXT_STATUS[status]
            body = {"csrfmiddlewaretoken": client.csrf_token, "status": new_status, "comment": ""}
            body["seen_revision"] = str(revision)
        else:
            new_status = ""
            body = {"csrfmiddlewaretoken": client.csrf_token, "slot": str(index), "value": f"v{index}"}
        index += 1
        try:
            conn.request("POST", path, urlencode(body), headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - now
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        samples.append((now - start, elapsed, response.status))
        if response.status != 200:
            errors.append(f"HTTP {response.status} on {path}")
        elif client.kind == "autosave":
            match = REVISION_RE.search(payload.decode("utf-8", "replace"))
            client.state[path] = [new_status, int(match.group(1)) if match else revision + 1]
    results.put(
        {
            "samples": samples,
            "errors": errors,
            "elapsed": time.perf_counter() - start,
            "cpu": time.process_time() - cpu_start,
        }
    )


def run_clients(port: int, clients: list[Client], duration: float, meter: CpuMeter | None = None) -> dict:
    """Runs every client at once for `duration` seconds; requests/s, p50, p99, errors, CPU."""
    ctx = multiprocessing.get_context("spawn")
    ready, go, results = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    processes = [ctx.Process(target=_client_loop, args=(port, c, ready, go, duration, results)) for c in clients]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    before = meter.snapshot() if meter else None
    load_before = os.getloadavg()[0]
    go.set()
    outcomes = [results.get(timeout=duration + 180) for _ in processes]
    spent = meter.spent(before, meter.snapshot()) if meter else {"server": 0.0, "db": 0.0}
    for process in processes:
        process.join()
    latencies = sorted(elapsed for o in outcomes for _start, elapsed, status in o["samples"] if status == 200)
    errors = [e for o in outcomes for e in o["errors"]]
    elapsed = max(o["elapsed"] for o in outcomes)
    per_request = 1000 / len(latencies) if latencies else 0.0
    return {
        "clients": len(clients),
        "seconds": elapsed,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(latencies, 50) * 1000,
        "p99_ms": _percentile(latencies, 99) * 1000,
        "max_ms": (latencies[-1] if latencies else 0.0) * 1000,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        # CPU milliseconds per successful request: gunicorn, PostgreSQL backends, load clients.
        "server_cpu_ms": spent["server"] * per_request,
        "db_cpu_ms": spent["db"] * per_request,
        "client_cpu_ms": sum(o["cpu"] for o in outcomes) * per_request,
        "load_average": [load_before, os.getloadavg()[0]],
    }


def _percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile (no interpolation: a p99 is a latency some request really had)."""
    if not sorted_values:
        return 0.0
    rank = max(int(-(-percent * len(sorted_values) // 100)), 1)  # ceil
    return sorted_values[rank - 1]
