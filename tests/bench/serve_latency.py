#!/usr/bin/env python3
"""Save-to-reload latency of `mieruka serve`: edits one initiative file
several times and measures, for each save, the time until the reload event
reaches a connected page (the event the injected script reloads on).

    python3 tests/bench/serve_latency.py BINARY SITE_ROOT FILE [EDITS] [body|title]

`body` (default) appends a line to the narrative, which only the page itself
shows; `title` changes the title, which the plan, section, status and
department pages show too.
"""
import re, statistics, subprocess, sys, threading, time, urllib.request

binary, root, target = sys.argv[1], sys.argv[2], sys.argv[3]
edits = int(sys.argv[4]) if len(sys.argv) > 4 else 7
what = sys.argv[5] if len(sys.argv) > 5 else "body"
proc = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
url = None
for line in proc.stdout:
    m = re.search(r"at (http://\S+)", line)
    if m:
        url = m.group(1)
        break
origin = re.match(r"http://[^/]+", url).group(0)
reloads = []
lock = threading.Condition()

def listen():
    with urllib.request.urlopen(origin + "/__mieruka/events") as r:
        for raw in r:
            if raw.decode().strip() == "event: reload":
                with lock:
                    reloads.append(time.perf_counter())
                    lock.notify_all()

threading.Thread(target=listen, daemon=True).start()
threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
time.sleep(1.0)
original = open(target, encoding="utf-8").read()
times = []
try:
    for i in range(edits):
        with lock:
            before = len(reloads)
        t0 = time.perf_counter()
        with open(target, "w", encoding="utf-8") as f:
            if what == "title":
                f.write(re.sub(r'^title = "', f'title = "{i}', original, count=1, flags=re.M))
            else:
                f.write(original + f"\n編集 {i}\n")
        with lock:
            lock.wait_for(lambda: len(reloads) > before, timeout=30)
            if len(reloads) > before:
                times.append((reloads[before] - t0) * 1000)
        time.sleep(0.5)
finally:
    open(target, "w", encoding="utf-8").write(original)
    proc.terminate()
print(f"  {what} edit, save-to-reload over {len(times)} edits: median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f})")
