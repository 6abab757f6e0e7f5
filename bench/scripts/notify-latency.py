#!/usr/bin/env python3
"""Cost of one `helpdesk notify` on the Nagios server: wall time, CPU time and peak memory per run.

Runs the command N times (default 300) the way Nagios does (macros in NAGIOS_* environment variables, a fresh
process each time) into a throw-away spool, and reads each child's own resource usage with wait4(2). Compares the
native program (artifacts/cli/helpdesk, published by ./build.sh test) with the JIT build beside it, alternating.
Prints a markdown table; medians of the runs, plus p90 and max.

    bench/scripts/notify-latency.py [runs]
"""
import os, statistics, sys, tempfile, time, shutil

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
native = os.path.join(root, "artifacts", "cli", "helpdesk")
jit_dll = os.path.join(root, "src", "Helpdesk.Monitoring.Cli", "bin", "Release", "net10.0", "helpdesk.dll")
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
if not os.path.exists(native):
    sys.exit("notify-latency.py: artifacts/cli/helpdesk is missing; run ./build.sh test first (it publishes the native command)")

spool = tempfile.mkdtemp(prefix="helpdesk-notify-bench-")
rss_file = os.path.join(spool, "rss")
env = dict(os.environ)
env.update({
    "NAGIOS_NOTIFICATIONTYPE": "PROBLEM", "NAGIOS_HOSTNAME": "web01", "NAGIOS_HOSTSTATE": "UP",
    "NAGIOS_SERVICEDESC": "HTTP", "NAGIOS_SERVICESTATE": "CRITICAL", "NAGIOS_SERVICESTATETYPE": "HARD",
    "NAGIOS_SERVICEOUTPUT": "CRITICAL - Socket timeout after 10 seconds", "NAGIOS__HOSTCUSTOMER": "acme",
    "NAGIOS_SERVICEPROBLEMID": "4711", "NAGIOS_NOTIFICATIONNUMBER": "1",
})
programs = {"native (AOT)": [native]}
if os.path.exists(jit_dll) and shutil.which("dotnet"):
    programs["JIT (dotnet helpdesk.dll)"] = [shutil.which("dotnet"), jit_dll]

# Each run is started through GNU time, which fork()s notify and reports that child's own peak RSS (%M): a child
# spawned straight from this Python process would report Python's memory as its peak (the high-water mark survives
# exec). wait4 on the `time` process returns its usage plus its child's: CPU is notify's and time's few hundred µs.
gnu_time = "/usr/bin/time"
if not os.path.exists(gnu_time):
    sys.exit("notify-latency.py: needs GNU time (apt-get install time)")

def once(argv):
    args = [gnu_time, "-f", "%M", "-o", rss_file] + argv + ["notify", "--instance", "bench", "--spool", spool]
    start = time.perf_counter()
    pid = os.posix_spawn(args[0], args, env)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"notify-latency.py: {' '.join(args)} exited with {os.waitstatus_to_exitcode(status)}")
    with open(rss_file) as f:
        rss_kib = int(f.read().split()[-1])
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000, rss_kib / 1024

results = {name: [] for name in programs}
for name, argv in programs.items():
    once(argv)  # warm the page cache
for i in range(runs):
    for name, argv in programs.items():  # alternate, so both see the same machine
        results[name].append(once(argv))
spooled = len(os.listdir(os.path.join(spool, "incoming")))
shutil.rmtree(spool)

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]

print(f"| program | runs | wall p50 | wall p90 | wall max | CPU p50 | peak RSS p50 | peak RSS max |")
print(f"|---|---|---|---|---|---|---|---|")
for name, rows in results.items():
    wall, cpu, rss = zip(*rows)
    print(f"| {name} | {len(rows)} | {statistics.median(wall):.1f} ms | {pct(wall, 0.9):.1f} ms | {max(wall):.1f} ms "
          f"| {statistics.median(cpu):.1f} ms | {statistics.median(rss):.1f} MiB | {max(rss):.1f} MiB |")
print(f"\n{spooled} records spooled ({runs} runs x {len(programs)} programs + warm-up).")
