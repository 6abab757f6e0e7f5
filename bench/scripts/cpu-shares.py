#!/usr/bin/env python3
"""Where a process's CPU went, by part of the system, from a `perf record` of it.

    perf record -F 499 -g -p PID -o perf.data -- sleep 10
    bench/scripts/cpu-shares.py perf.data [--per-unit MICROSECONDS]

Each sample is counted once, by the function it was in (self time), and put in one group (a sample in the kernel
by the system call that took the process there): SQLite, the kernel's file work, its thread switches and wake-ups,
its loopback TCP, the rest of the kernel, the service's own code, the libraries it calls, the runtime (GC, JIT,
stubs), libc. Run the service with DOTNET_PerfMapEnabled=1 so that code
compiled at run time has names (bench/scripts/profile-service.sh does). With --per-unit, each share is also given
as microseconds per unit of work (the process's CPU microseconds per notification, measured apart).
"""
import argparse
import re
import subprocess
import sys
from collections import defaultdict

SQLITE = "SQLite (B-trees, pager, WAL)"
KERNEL_FILES = "kernel: file writes, reads and fsync"
KERNEL_SWITCHES = "kernel: thread wake-ups and switches"
KERNEL_TCP = "kernel: loopback TCP"
KERNEL_OTHER = "kernel: other"
HELPDESK = "managed: Helpdesk (parse, decide, pipeline, endpoints)"
SQLITE_STORE = "managed: SQLite store and Microsoft.Data.Sqlite"
JSON = "managed: System.Text.Json"
ASPNET = "managed: Kestrel and ASP.NET Core"
LIBRARIES = "managed: runtime libraries (collections, threading, Rx)"
RUNTIME = "runtime: GC, JIT, stubs"
LIBC = "libc (memcpy, malloc, locks)"
OTHER = "other"
GROUPS = [SQLITE, KERNEL_FILES, KERNEL_SWITCHES, KERNEL_TCP, KERNEL_OTHER, HELPDESK, SQLITE_STORE, JSON, ASPNET, LIBRARIES, RUNTIME, LIBC, OTHER]

# A kernel sample is put where the process entered the kernel: the system call in its call chain.
FILE_CALLS = {"pwrite64", "pread64", "write", "read", "fdatasync", "fsync", "openat", "close", "ftruncate", "fallocate",
              "lseek", "newfstatat", "fstat", "unlink", "rename", "getdents64", "statx", "fcntl", "mmap", "munmap", "madvise"}
SWITCH_CALLS = {"futex", "sched_yield", "nanosleep", "clock_nanosleep", "epoll_wait", "epoll_pwait", "poll", "ppoll",
                "select", "pselect6"}
NET_CALLS = {"sendto", "recvfrom", "sendmsg", "recvmsg", "accept4", "connect", "shutdown", "writev", "readv"}
SYSCALL = re.compile(r"__(?:x64|ia32)_sys_(\w+)")


def kernel_group(frames: list[tuple[str, str]]) -> str:
    for symbol, _ in frames:
        call = SYSCALL.search(symbol)
        if call:
            name = call.group(1)
            if name in FILE_CALLS:
                return KERNEL_FILES
            if name in SWITCH_CALLS:
                return KERNEL_SWITCHES
            if name in NET_CALLS:
                return KERNEL_TCP
            return KERNEL_OTHER
        if "schedule" in symbol or "finish_task_switch" in symbol or "ttwu" in symbol or "wake_up" in symbol:
            return KERNEL_SWITCHES
    return KERNEL_OTHER


def declaring_type(symbol: str) -> str:
    """The type a method of the runtime's perf map belongs to: 'ret [Assembly] Namespace.Type::Method(...)[Tier]'."""
    head = symbol.split("::", 1)[0]
    return head.rsplit("] ", 1)[-1]


def group_of(frames: list[tuple[str, str]]) -> str:
    symbol, dso = frames[0]
    if "e_sqlite3" in dso or "libsqlite3" in dso:
        return SQLITE
    if dso.startswith("[kernel"):
        return kernel_group(frames)
    if "libcoreclr" in dso or "libclrjit" in dso or "libSystem.Native" in dso:
        return RUNTIME
    if "/libc." in dso or dso.startswith("libc") or "libpthread" in dso or "ld-linux" in dso:
        return LIBC
    if dso.startswith("[JIT]") or dso.startswith("perf-") or dso.endswith(".map") or dso.endswith(".dll"):
        name = declaring_type(symbol)
        if name.startswith("Helpdesk.Monitoring.Sqlite") or name.startswith("Microsoft.Data.Sqlite") or name.startswith("SQLitePCL"):
            return SQLITE_STORE
        if name.startswith("Helpdesk."):
            return HELPDESK
        if name.startswith("System.Text.Json"):
            return JSON
        if "AspNetCore" in name or "Microsoft.Extensions" in name:
            return ASPNET
        if "stub" in symbol.lower()[:40]:
            return RUNTIME
        return LIBRARIES
    return OTHER


def samples(data: str):
    """Each sample's frames, leaf first, as (symbol, dso)."""
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], check=True, capture_output=True, text=True).stdout
    frame = re.compile(r"^\s*[0-9a-f]+\s+(.*)\s+\(([^)]*)\)\s*$")
    frames: list[tuple[str, str]] = []
    for text in script.splitlines():
        match = frame.match(text)
        if match:
            frames.append((match.group(1).strip(), match.group(2).strip()))
        elif not text.strip() and frames:
            yield frames
            frames = []
    if frames:
        yield frames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="the perf.data file of one process")
    parser.add_argument("--per-unit", type=float, help="the process's CPU microseconds per unit of work")
    args = parser.parse_args()
    shares = defaultdict(float)
    for frames in samples(args.data):
        shares[group_of(frames)] += 1
    total = sum(shares.values())
    if total == 0:
        print("no samples in " + args.data, file=sys.stderr)
        return 1
    header = "| where the CPU went | share |" + (" µs per unit |" if args.per_unit else "")
    print(header)
    print("|---|---:|" + ("---:|" if args.per_unit else ""))
    for name in sorted(GROUPS, key=lambda g: -shares[g]):
        if shares[name] == 0:
            continue
        share = shares[name] / total
        cells = f"| {name} | {share * 100:.1f} % |"
        if args.per_unit:
            cells += f" {share * args.per_unit:.2f} |"
        print(cells)
    return 0


if __name__ == "__main__":
    sys.exit(main())
