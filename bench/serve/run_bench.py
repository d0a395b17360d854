#!/usr/bin/env python3
"""bench/serve (issue 18, Performance): a native Labbench endpoint, with dynamic batching off and on,
against a FastAPI/uvicorn + numpy peer (peer_server.py) serving the same model.npz, in one run on
this machine. wrk (post.lua) gives the highest throughput at 1, 8 and 64 connections; hey -q gives a
fixed rate (p99 at 1,000 requests/s). Bodies hold 1 or 64 MNIST test images.

    run_bench.py --bin BUILD/bin --data data/mnist --work BUILD/bench/serve --venv VENV [--quick]

Prints one table (Markdown) on stdout; progress goes to stderr."""
import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def note(*words):
    print(*words, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_images(data_dir, count):
    """The first `count` MNIST test images as lists of 784 floats in [0, 1], as a client sends them."""
    path = os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n = 784
    return [[b / 255.0 for b in raw[16 + i * n:16 + (i + 1) * n]] for i in range(count)]


def post(url, body, timeout=10):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as r:
        return json.loads(r.read())


def wait_until_up(url, body, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            return post(url, body)
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise SystemExit("%s did not answer within %d s" % (url, seconds))


class Labbench:
    """The labbench CLI on a fresh workspace under the bench's build folder."""

    def __init__(self, bin_dir, workspace):
        self.bin = os.path.join(bin_dir, "labbench")
        self.ws = workspace
        shutil.rmtree(workspace, ignore_errors=True)
        subprocess.run([self.bin, "workspace", "init", workspace], check=True, stdout=subprocess.DEVNULL)

    def __call__(self, *args, timeout=600):
        r = subprocess.run([self.bin, "--workspace", self.ws, *args], capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise SystemExit("labbench %s failed:\n%s%s" % (" ".join(args), r.stdout, r.stderr))
        return r.stdout


def train_and_register(lb, data_dir, hidden, epochs):
    empty = os.path.join(lb.ws, "..", "empty-source")
    os.makedirs(empty, exist_ok=True)
    note("training a %s MLP for %d epoch(s) with labbench-train..." % (hidden, epochs))
    run_id = lb("submit", "--source", empty, "--framework", "builtin-mnist", "--wait", "--",
                "--data", data_dir, "--epochs", str(epochs), "--hidden", hidden,
                "--threads", "2").splitlines()[0].strip()
    lb("models", "register", "--run", run_id, "--name", "mnist", "--path", "outputs/model.npz")
    return json.loads(lb("models", "show", "mnist", "--json"))


def start_peer(venv, model_npz, port, workers):
    env = dict(os.environ, MODEL_NPZ=model_npz, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return subprocess.Popen(
        [os.path.join(venv, "bin", "uvicorn"), "peer_server:app", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=HERE, env=env)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def wrk(url, body_file, connections, seconds):
    """Highest throughput: (requests/s, p50 ms, p99 ms, errors)."""
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", "%ds" % seconds,
         "--latency", "--timeout", "10s", "-s", os.path.join(HERE, "post.lua"), url],
        capture_output=True, text=True, env=dict(os.environ, BENCH_BODY=body_file), check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return rps, pct["50"], pct["99"], errors


def hey(url, body_file, rate, connections, seconds):
    """A fixed rate (hey -q is per connection): (requests/s reached, p50 ms, p99 ms, errors)."""
    out = subprocess.run(
        ["hey", "-z", "%ds" % seconds, "-c", str(connections), "-q", "%g" % (rate / connections),
         "-m", "POST", "-T", "application/json", "-D", body_file, url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: float(v) * 1e3 for p, v in re.findall(r"^\s+(50|99)%+ in ([\d.]+) secs", out, re.M)}
    codes = {int(c): int(n) for c, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", out)}
    errors = sum(n for c, n in codes.items() if c != 200)
    if "Error distribution:" in out:  # lines "  [count]\tPost ...: what went wrong"
        errors += sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]\s", out.split("Error distribution:")[1], re.M))
    return rps, pct.get("50", float("nan")), pct.get("99", float("nan")), errors


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the build's bin folder (labbench, labbench-serve, ...)")
    ap.add_argument("--data", required=True, help="MNIST IDX files (data/mnist)")
    ap.add_argument("--work", required=True, help="a folder of the build for the workspace and bodies")
    ap.add_argument("--venv", required=True, help="the venv install.sh made")
    ap.add_argument("--seconds", type=int, default=5, help="each load's length")
    ap.add_argument("--rate", type=int, default=1000, help="hey's fixed rate, requests/s")
    ap.add_argument("--batch-delay-us", type=int, default=500, help="the batched endpoint's window")
    ap.add_argument("--peer-workers", type=int, default=2, help="uvicorn worker processes (one a core)")
    ap.add_argument("--hidden", default="100,100")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="2 s loads, for trying the bench out")
    args = ap.parse_args()
    if args.quick:
        args.seconds = 2
    args.bin, args.work, args.venv = (os.path.abspath(p) for p in (args.bin, args.work, args.venv))
    os.makedirs(args.work, exist_ok=True)
    data_dir = os.path.abspath(args.data)

    bodies = {}
    images = test_images(data_dir, 64)
    for n in (1, 64):
        bodies[n] = os.path.join(args.work, "body-%d.json" % n)
        with open(bodies[n], "w") as f:
            json.dump({"data": images[:n]}, f)

    lb = Labbench(args.bin, os.path.join(os.path.abspath(args.work), "ws"))
    model = train_and_register(lb, data_dir, args.hidden, args.epochs)
    model_npz = model.get("path") or model["versions"][-1]["path"]
    if os.path.isdir(model_npz):
        model_npz = os.path.join(model_npz, "model.npz")

    urls, peer = {}, None
    try:
        for name, delay in (("native", 0), ("native+batch", args.batch_delay_us)):
            port = free_port()
            lb("endpoints", "deploy", name.replace("+", "-"), "--model", "mnist", "--port", str(port),
               "--batch-delay-us", str(delay))
            urls[name] = "http://127.0.0.1:%d/score" % port
        port = free_port()
        peer = start_peer(args.venv, model_npz, port, args.peer_workers)
        urls["peer"] = "http://127.0.0.1:%d/score" % port

        # The three must agree before they are timed.
        with open(bodies[64], "rb") as f:
            body64 = f.read()
        answers = {name: wait_until_up(url, body64)["classes"] for name, url in urls.items()}
        if len({json.dumps(a) for a in answers.values()}) != 1:
            raise SystemExit("the servers disagree: %s" % answers)

        rows = []
        for n in (1, 64):
            for c in (1, 8, 64):
                cell = {}
                for name, url in urls.items():
                    note("wrk %s: %d image(s), %d connection(s)" % (name, n, c))
                    cell[name] = wrk(url, bodies[n], c, args.seconds)
                rows.append((n, c, cell))
        fixed = []
        for n in (1, 64):
            cell = {}
            for name, url in urls.items():
                note("hey %s: %d image(s) at %d/s" % (name, n, args.rate))
                cell[name] = hey(url, bodies[n], args.rate, 8, args.seconds)
            fixed.append((n, cell))
    finally:
        if peer:
            peer.terminate()
            peer.wait(10)
        for name in urls:
            if name != "peer":
                subprocess.run([lb.bin, "--workspace", lb.ws, "endpoints", "stop", name.replace("+", "-")],
                               capture_output=True)

    load = os.getloadavg()
    print("Model: 784-%s-10 (labbench-train, %d epoch), batch window %d us, peer: uvicorn --workers %d; "
          "%d s per cell; load average %.1f %.1f %.1f at the end.\n"
          % (args.hidden.replace(",", "-"), args.epochs, args.batch_delay_us, args.peer_workers,
             args.seconds, *load))
    print("Highest throughput (wrk):\n")
    print("| images/req | conns | native req/s | p50 ms | p99 ms | batched req/s | p50 ms | p99 ms "
          "| peer req/s | p50 ms | p99 ms | native/peer | batched/native | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, c, cell in rows:
        a, b, p = cell["native"], cell["native+batch"], cell["peer"]
        print("| %d | %d | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.1f | %.2f | %d |"
              % (n, c, a[0], a[1], a[2], b[0], b[1], b[2], p[0], p[1], p[2], a[0] / p[0], b[0] / a[0],
                 a[3] + b[3] + p[3]))
    print("\nFixed rate (hey -q, %d req/s asked, 8 connections):\n" % args.rate)
    print("| images/req | server | req/s reached | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    for n, cell in fixed:
        for name, (rps, p50, p99, errors) in cell.items():
            print("| %d | %s | %.0f | %.2f | %.2f | %d |" % (n, name, rps, p50, p99, errors))


if __name__ == "__main__":
    main()
