#!/usr/bin/env python3
"""How fast the service takes in a spool backlog: N notification files (every one a state change of one of 10,000
identities, each with its own UUIDv7 id) are written into a fresh data directory's spool, synced, and a Release build
of the service is started on it; prints how long after it first answers /metrics its ingested counter reaches N.

    bench/scripts/spool-drain.py N [NAME=VALUE ...]     # settings for the service, e.g. Helpdesk__Pipeline__BatchSize=10000

HELPDESK_SERVICE_DLL runs another build. Results: bench/results/embedded-load.md.
"""
import os, sys, time, json, uuid, subprocess, socket, shutil, tempfile, urllib.request
if len(sys.argv) < 2 or not sys.argv[1].isdigit():
    sys.exit(__doc__)
N = int(sys.argv[1]); env_extra = dict(a.split('=', 1) for a in sys.argv[2:])
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
service = os.environ.get('HELPDESK_SERVICE_DLL') or os.path.join(repo, 'src/Helpdesk.Monitoring.Service/bin/Release/net10.0/helpdesk-service.dll')
if not os.path.exists(service):
    sys.exit(f"no service build at {service}: run dotnet build -c Release first")
data = tempfile.mkdtemp(prefix='helpdesk-spool-drain-')
inc = os.path.join(data, 'spool', 'incoming'); os.makedirs(inc)
def uuid7():
    ms = int(time.time()*1000)
    b = bytearray(ms.to_bytes(6,'big') + os.urandom(10))
    b[6] = (b[6] & 0x0f) | 0x70; b[8] = (b[8] & 0x3f) | 0x80
    return uuid.UUID(bytes=bytes(b))
now = int(time.time()); ident = 10000; state = {}
for i in range(N):
    k = i % ident; st = 'CRITICAL' if state.get(k, False) else 'WARNING'; state[k] = not state.get(k, False)
    u = uuid7()
    rec = {"v":1,"id":str(u),"instance":"nagios-a","type":"PROBLEM","timet":now + i // 5000,"host":f"h{k//5:05d}","hostState":"UP","hostStateType":"HARD",
           "hostOutput":"PING OK","service":f"svc{k%5}","serviceState":st,"serviceStateType":"HARD","serviceOutput":f"{st} - output " + "x"*150,
           "vars":{"_HOSTCUSTOMER":f"c{k%20}"}}
    with open(os.path.join(inc, f"{now + i // 5000:012d}-{u.hex}.json"), 'w') as f: json.dump(rec, f)
# The files' own writeback would otherwise compete with the drain (the first runs without this spread 10-33 s).
os.sync(); time.sleep(3)
s = socket.socket(); s.bind(('127.0.0.1',0)); port = s.getsockname()[1]; s.close()
env = dict(os.environ, Helpdesk__DataDirectory=data, HELPDESK_INGEST_KEY='k', Logging__LogLevel__Default='Warning', **env_extra)
t0 = time.time()
p = subprocess.Popen(['dotnet', service, '--urls', f'http://127.0.0.1:{port}'], env=env, cwd=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ready = None; done = None
while time.time() - t0 < 300:
    try:
        text = urllib.request.urlopen(f'http://127.0.0.1:{port}/metrics', timeout=2).read().decode()
        if ready is None: ready = time.time()
        n = sum(float(l.rsplit(' ',1)[1]) for l in text.splitlines() if l.startswith('helpdesk_notifications_ingested_total'))
        if n >= N: done = time.time(); break
    except Exception: pass
    time.sleep(0.1)
p.terminate(); p.wait()
left = len(os.listdir(inc))
shutil.rmtree(data, ignore_errors=True)
print(f"{env_extra or 'defaults'}: {N} files taken in {done - ready:.2f} s ({N / (done - ready):,.0f}/s; {left} files not yet deleted)"
      if done else f"{env_extra or 'defaults'}: not all taken in 300 s; {left} files left")
