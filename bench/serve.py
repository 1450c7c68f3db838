#!/usr/bin/env python3
"""Figures for `vanban serve` (a script, not a timed test).

    cargo build --release --examples
    python3 bench/serve.py [target/release/vanban]

1. save → new page pictures served: the sample workbook saved 20 times (a
   temp file renamed over it, as editors do); from the rename to the last
   page picture of the new version received, doing what the page does on
   the event: the state, the preview, every page picture. Median and worst.
2. warm render alone: a preview of a report for a date not asked before.
3. the server's memory (VmRSS, peak VmHWM) before and after 25, 50 and
   100 uploads of the sample, each previewed (16 uploads are kept).
4. a 200-unit ZIP (plans), from a workbook made by make_big_workbook, and
   `vanban batch` of the same workbook in the same minute.
"""
import http.client, json, os, shutil, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/vanban")
MAKE_BIG = os.path.join(os.path.dirname(BIN), "examples", "make_big_workbook")


def start(cwd, *args):
    p = subprocess.Popen([BIN, "serve", "--port", "0", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = p.stdout.readline().strip()
    host, port = url.split("//")[1].split("/")[0].split(":")
    return p, host, int(port)


def get(host, port, path, method="GET", body=None):
    c = http.client.HTTPConnection(host, port, timeout=300)
    c.request(method, path, body=body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def main():
    d = tempfile.mkdtemp(prefix="vanban-bench-serve-")
    wb = os.path.join(d, "ke-hoach.xlsx")
    subprocess.run([BIN, "init", wb], check=True, stdout=subprocess.DEVNULL)
    sample = open(wb, "rb").read()
    p, host, port = start(d, "ke-hoach.xlsx")
    try:
        # Warm up: the first render loads fonts and templates.
        st = json.loads(get(host, port, "/api/doc/tep")[1])
        get(host, port, "/api/doc/tep/preview?loai=ke-hoach")
        ev = http.client.HTTPConnection(host, port, timeout=30)
        ev.request("GET", "/api/events")
        evr = ev.getresponse()
        times = []
        for i in range(20):
            tmp = wb + ".tmp~"
            open(tmp, "wb").write(sample)
            t0 = time.perf_counter()
            os.replace(tmp, wb)
            while True:
                line = evr.fp.readline().decode()
                if line.startswith("data:") and '"tep"' in line:
                    break
            # What the page does on the event: the state, the preview, the pictures.
            get(host, port, "/api/doc/tep")
            s, body = get(host, port, "/api/doc/tep/preview?loai=ke-hoach")
            n = json.loads(body)["so_trang"]
            v = json.loads(body)["phien_ban"]
            for k in range(1, n + 1):
                get(host, port, f"/api/doc/tep/page/{k}?loai=ke-hoach&v={v}")
            times.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.3)
        print(f"save → new page pictures ({n} pages), 20 saves: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms")
        warm = []
        for day in range(1, 11):
            t0 = time.perf_counter()
            get(host, port, f"/api/doc/tep/preview?loai=bao-cao&quy=3&ngay={day:02}/09/2024")
            warm.append((time.perf_counter() - t0) * 1000)
        print(f"warm render alone (report preview, new date): median {statistics.median(warm):.0f} ms, worst {max(warm):.0f} ms")
        def mem():
            lines = [l for l in open(f"/proc/{p.pid}/status") if l.startswith(("VmHWM", "VmRSS"))]
            return ", ".join(l.split(":")[0] + " " + l.split(":")[1].strip() for l in lines)
        print("before the uploads: " + mem())
        # Each upload as the page does it: the workbook, then its preview.
        for i in range(100):
            s, body = get(host, port, "/api/upload?name=mau.xlsx", "POST", sample)
            up = json.loads(body)["id"]
            get(host, port, f"/api/doc/{up}/preview?loai=ke-hoach")
            if i + 1 in (25, 50, 100):
                print(f"after {i + 1} uploads (each previewed): " + mem())
        if os.path.exists(MAKE_BIG):
            big = os.path.join(d, "big.xlsx")
            subprocess.run([MAKE_BIG, big, "--tasks", "300", "--units", "200", "--from", wb], check=True, stdout=subprocess.DEVNULL)
            s, body = get(host, port, "/api/upload?name=big.xlsx", "POST", open(big, "rb").read())
            doc = json.loads(body)
            for k in range(2):
                t0 = time.perf_counter()
                s, z = get(host, port, f"/api/doc/{doc['id']}/zip?loai=ke-hoach")
                print(f"200-unit ZIP (run {k + 1}): {(time.perf_counter() - t0):.2f} s, HTTP {s}, {len(z) / 1e6:.1f} MB")
            # The same 200 documents by the CLI, in the same minute (the
            # machine is shared: the ratio means more than the seconds).
            t0 = time.perf_counter()
            subprocess.run([BIN, "batch", big, "--out-dir", os.path.join(d, "batch"), "-q"], check=True, cwd=d)
            print(f"vanban batch of the same 200 units: {(time.perf_counter() - t0):.2f} s")
        else:
            print(f"(no {MAKE_BIG}: cargo build --release --examples for the 200-unit ZIP)")
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(d, ignore_errors=True)


main()
