"""A small closed-loop HTTP load generator for the serving benchmark.

``connections`` threads, each with one keep-alive connection to 127.0.0.1 (nothing else is
accepted), send GET requests round the given paths until ``requests`` have been sent or
``seconds`` have passed, whichever comes first. Every response must be 200.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def run(
    port: int,
    paths: list[str],
    *,
    headers: dict[str, str] | None = None,
    connections: int = 8,
    requests: int = 400,
    seconds: float = 20.0,
    host: str = "127.0.0.1",
) -> Result:
    if not host.startswith("127."):
        raise ValueError("The load generator only talks to this machine (127.0.0.0/8).")
    lock = threading.Lock()
    sent = [0]
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        i = offset
        while True:
            with lock:
                if sent[0] >= requests or time.perf_counter() > deadline:
                    break
                sent[0] += 1
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(
        requests=len(latencies),
        seconds=time.perf_counter() - start,
        latencies_ms=latencies,
        errors=errors[0],
    )
