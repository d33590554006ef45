#!/usr/bin/env python3
"""Turns compare.sh's result lines into its Markdown tables; compare.sh runs it, it is not meant to be run alone.

Arguments: RESULTS CLK_TCK CORES LOAD_BEFORE LOAD_AFTER WRK H2LOAD WARMUP DURATION ROUNDS POUNCE_ARGS.
RESULTS has one tab-separated line per run: round, worker count, protocol (h1, h2), endpoint, side (raw, pounce),
"ok" or "failed", then for "ok" the server's CPU clock ticks over the measured run, its peak RSS in KiB and the
path of the client's output (h2load's per-request log beside it, with ".requests" added).
"""
import re
import statistics
import sys
from collections import defaultdict


def wrk_figures(text):
    """Requests per second, completed requests, p99 in ms and errors from `wrk --latency` output."""
    rps = float(re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M).group(1))
    requests = int(re.search(r"^\s*([0-9]+) requests in", text, re.M).group(1))
    p99 = None
    m = re.search(r"^\s+99(?:\.000)?%\s+([0-9.]+)(us|ms|s)\b", text, re.M)
    if m:
        p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s+([0-9]+)", text)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", text)
    if m:
        # Reads failing as wrk closes its connections at the end are not the server's fault; the rest are.
        errors += int(m.group(1)) + int(m.group(3)) + int(m.group(4))
    return rps, requests - errors, p99, errors


def h2load_figures(text, request_log):
    """Requests per second, succeeded requests, p99 in ms (from the per-request log) and errors from h2load."""
    rps = float(re.search(r"^finished in [^,]+, ([0-9.]+) req/s", text, re.M).group(1))
    m = re.search(r"^requests: .* ([0-9]+) succeeded, ([0-9]+) failed, ([0-9]+) errored, ([0-9]+) timeout", text,
                  re.M)
    succeeded = int(m.group(1))
    errors = int(m.group(2)) + int(m.group(3)) + int(m.group(4))
    m = re.search(r"^status codes: ([0-9]+) 2xx", text, re.M)
    if m:
        errors += succeeded - int(m.group(1))
    times = []
    try:
        with open(request_log) as f:
            for line in f:
                parts = line.split("\t")
                if len(parts) >= 3 and parts[2].strip().isdigit():
                    times.append(int(parts[2]))
    except OSError:
        pass
    p99 = None
    if times:
        times.sort()
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))] / 1000.0
    return rps, succeeded, p99, errors


def main():
    (results, tick, cores, load_before, load_after, wrk, h2load, warmup, duration, rounds,
     pounce_args) = sys.argv[1:12]
    tick = float(tick)
    runs = defaultdict(dict)  # (count, proto, endpoint) -> {(round, side): figures}
    failures = []
    with open(results) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rnd, count, proto, endpoint, side, status = fields[:6]
            if status != "ok":
                failures.append(f"round {rnd} {side} {proto} --workers {count} /{endpoint} did not start")
                continue
            ticks, rss_kib, out = int(fields[6]), int(fields[7]), fields[8]
            text = open(out).read()
            try:
                if proto == "h1":
                    rps, requests, p99, errors = wrk_figures(text)
                else:
                    rps, requests, p99, errors = h2load_figures(text, out + ".requests")
            except (AttributeError, ValueError):
                failures.append(f"round {rnd} {side} {proto} --workers {count} /{endpoint}: no figures in {out}")
                continue
            cpu_us = ticks / tick * 1e6 / requests if requests else None
            runs[(count, proto, endpoint)][(rnd, side)] = {
                "rps": rps, "capacity": 1e6 / cpu_us if cpu_us else None, "cpu_us": cpu_us, "p99": p99,
                "rss": rss_kib / 1024.0, "errors": errors}

    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def ratio_median(cell, key):
        """The median over rounds of Pounce / raw in the same round."""
        ratios = []
        for (rnd, side), fig in cell.items():
            raw = cell.get((rnd, "raw"))
            if side == "pounce" and raw and fig[key] is not None and raw[key]:
                ratios.append(fig[key] / raw[key])
        return median(ratios)

    def fmt(v, spec, suffix=""):
        return "-" if v is None else format(v, spec) + suffix

    label = "Pounce" + (f" `{pounce_args}`" if pounce_args.strip() else ", defaults")
    print()
    print(f"Raw Netty against {label}: {wrk} (HTTP/1.1) and {h2load} (h2c), {warmup} s warm-up then {duration} s "
          f"measured per run, a fresh server per run, {rounds} interleaved rounds; {cores} cores shared by the "
          f"clients and the servers; load average {load_before} before, {load_after} after. Ratios are Pounce / raw "
          f"Netty in the same round, median over the rounds; per-core capacity = 1e6 / server CPU µs per request.")
    print()
    print("| protocol | workers | endpoint | req/s raw | req/s Pounce | req/s ratio | µs CPU/req raw | "
          "µs CPU/req Pounce | per-core capacity ratio | p99 ms raw | p99 ms Pounce | peak RSS MB raw | "
          "peak RSS MB Pounce | RSS ratio | errors raw / Pounce |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    summary = defaultdict(dict)
    for (count, proto, endpoint), cell in runs.items():
        def side_median(side, key):
            return median([fig[key] for (rnd, s), fig in cell.items() if s == side])

        def side_sum(side, key):
            return sum(fig[key] for (rnd, s), fig in cell.items() if s == side)

        workers = "1" if count == "1" else ("per core" if count == "0" else count)
        r_rps, r_cap, r_rss = (ratio_median(cell, k) for k in ("rps", "capacity", "rss"))
        summary[(proto, workers)][endpoint] = (r_rps, r_cap, side_median("pounce", "p99"), side_median("raw", "p99"),
                                               side_median("pounce", "rss"), r_rss)
        print(f"| {'HTTP/1.1' if proto == 'h1' else 'h2c'} | {workers} | /{endpoint} "
              f"| {fmt(side_median('raw', 'rps'), '.0f')} | {fmt(side_median('pounce', 'rps'), '.0f')} "
              f"| {fmt(r_rps, '.2f', 'x')} "
              f"| {fmt(side_median('raw', 'cpu_us'), '.1f')} | {fmt(side_median('pounce', 'cpu_us'), '.1f')} "
              f"| {fmt(r_cap, '.2f', 'x')} "
              f"| {fmt(side_median('raw', 'p99'), '.2f')} | {fmt(side_median('pounce', 'p99'), '.2f')} "
              f"| {fmt(side_median('raw', 'rss'), '.0f')} | {fmt(side_median('pounce', 'rss'), '.0f')} "
              f"| {fmt(r_rss, '.2f', 'x')} | {side_sum('raw', 'errors')} / {side_sum('pounce', 'errors')} |")
    print()
    print("The issue's table: req/s and capacity as ratios to raw Netty; p99 as Pounce's own, raw Netty's in brackets; "
          "peak RSS as Pounce's own, its ratio to raw Netty's in brackets.")
    print()
    print("| server | protocol | workers | plaintext req/s | json req/s | per-core capacity pt / json "
          "| p99 ms pt / json | peak RSS MB pt / json |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (proto, workers), by_endpoint in summary.items():
        pt = by_endpoint.get("plaintext", (None,) * 6)
        js = by_endpoint.get("json", (None,) * 6)
        print(f"| {label} | {'HTTP/1.1' if proto == 'h1' else 'h2c'} | {workers} "
              f"| {fmt(pt[0], '.2f')} | {fmt(js[0], '.2f')} | {fmt(pt[1], '.2f')} / {fmt(js[1], '.2f')} "
              f"| {fmt(pt[2], '.2f')} ({fmt(pt[3], '.2f')}) / {fmt(js[2], '.2f')} ({fmt(js[3], '.2f')}) "
              f"| {fmt(pt[4], '.0f')} ({fmt(pt[5], '.2f', 'x')}) / {fmt(js[4], '.0f')} ({fmt(js[5], '.2f', 'x')}) |")
    if failures:
        print()
        for failure in failures:
            print(f"- {failure}")


if __name__ == "__main__":
    main()
