#!/usr/bin/env python3
"""Plots a soak's record (soak.csv, one row every ten seconds) as one PNG: memory, handles and threads, commit
latency, database size and throughput, each against minutes into the run."""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    with open(source, newline="") as f:
        rows = list(csv.DictReader(f))
    minutes = [float(r["minutes"]) for r in rows]

    def col(name):
        return [float(r[name]) for r in rows]

    committed = col("committed")
    rate = [0.0] + [(committed[i] - committed[i - 1]) / ((minutes[i] - minutes[i - 1]) * 60) for i in range(1, len(rows))]
    fig, axes = plt.subplots(2, 2, figsize=(13, 8), sharex=True)
    (memory, handles), (latency, store) = axes
    memory.plot(minutes, col("rss_mib"), label="RSS (MiB)")
    memory.plot(minutes, col("gc_heap_mib"), label="GC heap (MiB)")
    memory.set_title("Memory")
    handles.plot(minutes, col("handles"), label="open handles")
    handles.plot(minutes, col("threads"), label="threads")
    handles.set_title("Handles and threads")
    latency.plot(minutes, col("commit_p50_ms"), label="commit p50 (ms)")
    latency.plot(minutes, col("commit_p99_ms"), label="commit p99 (ms)")
    latency.plot(minutes, col("post_p99_ms"), label="POST p99 (ms)", alpha=0.6)
    latency.set_title("Latency, each 10 s window")
    store.plot(minutes, col("database_mib"), label="database + WAL (MiB)")
    store.set_title("Database and throughput")
    throughput = store.twinx()
    throughput.plot(minutes, rate, color="grey", alpha=0.5, label="committed / s")
    throughput.set_ylabel("notifications / s")
    for ax in (memory, handles, latency, store):
        ax.legend(loc="upper left")
        ax.grid(alpha=0.3)
    for ax in (latency, store):
        ax.set_xlabel("minutes")
    fig.suptitle("helpdesk-service soak")
    fig.tight_layout()
    fig.savefig(target, dpi=100)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
