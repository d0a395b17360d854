#!/usr/bin/python3
"""The runs table at 10,000 runs x 20 parameters x 10 metrics (10 M points), Labbench against
MLflow's own search_runs on the same values, measured in one run (issue 17 item 6).

    bench/runs/bench_vs_mlflow.py [BUILD_DIR] [DATA_DIR]

BUILD_DIR (default build/ci) holds bench/bench_runs_table and bin/labbench. DATA_DIR (default
/tmp/labbench-runs-bench) keeps the two generated stores between runs (delete it to regenerate).
MLflow comes from PyPI into a venv (MLFLOW_VENV, default /tmp/labbench-mlflow-venv), never in CI.
Run it on a machine as quiet as you can get; it prints the table that bench/runs/README.md holds.
"""
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "build", "ci"))
DATA = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "/tmp/labbench-runs-bench")
VENV = os.environ.get("MLFLOW_VENV", "/tmp/labbench-mlflow-venv")
PY = os.path.join(VENV, "bin", "python")
TABLE = os.path.join(BUILD, "bench", "bench_runs_table")
LABBENCH = os.path.join(BUILD, "bin", "labbench")
FILTER = "metrics.accuracy > 0.9 and params.optimizer = 'adam'"
PARAMS = ["lr", "batch_size", "optimizer", "seed"] + ["p%d" % k for k in range(4, 20)]
METRICS = ["loss", "accuracy", "val_loss", "val_accuracy", "lr_now", "grad_norm", "throughput", "m7", "m8", "m9"]
# What MLflow's search prints per run, Labbench prints too: every parameter and metric.
COLUMNS = ",".join(["id", "name", "status", "start", "end"] + ["params." + p for p in PARAMS] +
                   ["metrics." + m for m in METRICS])


def run(cmd, **kw):
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def prepare():
    if not os.path.exists(PY):
        run(["/usr/bin/python3", "-m", "venv", VENV])
        run([os.path.join(VENV, "bin", "pip"), "install", "-q", "mlflow"])
    os.makedirs(DATA, exist_ok=True)
    if not os.path.exists(os.path.join(DATA, "ws", "labbench.db")):
        run([TABLE, "generate", os.path.join(DATA, "ws")])
    if not os.path.exists(os.path.join(DATA, "mlflow", "mlflow.db")):
        os.makedirs(os.path.join(DATA, "mlflow"), exist_ok=True)
        run([PY, os.path.join(HERE, "mlflow_side.py"), "generate", os.path.join(DATA, "mlflow")], cwd=DATA)


def results(cmd, env=None):
    out = run(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=DATA).stdout
    print(out, end="")
    found = {}
    for line in out.splitlines():
        m = re.match(r"CPU (\S+) ([\d.]+)", line)
        if m:
            found["cpu_" + m.group(1)] = float(m.group(2))
        m = re.match(r"RESULT (\S+) ([\d.]+) ([\d.]+) (\d+)", line)
        if m:
            found[m.group(1)] = (float(m.group(2)), float(m.group(3)), int(m.group(4)))
    return found


def time_cli(name, cmd, env=None, repeat=5):
    """Median wall time of a whole process, and how many runs its JSON holds."""
    import json
    ms, count = [], None
    for i in range(repeat + 1):
        t = time.perf_counter()
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, env=env, cwd=DATA).stdout
        if i:  # the first one warms the page cache
            ms.append((time.perf_counter() - t) * 1000)
        count = len(json.loads(out))
    print("RESULT %s %.1f %.1f %d" % (name, statistics.median(ms), min(ms), count), flush=True)
    return statistics.median(ms), min(ms), count


def main():
    prepare()
    with open("/proc/loadavg") as f:
        print("machine: %d cores, load average %s" % (os.cpu_count(), f.read().split(" ", 3)[:3]))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    lab = results([TABLE, "measure", os.path.join(DATA, "ws")], env=env)
    mlf = results([PY, os.path.join(HERE, "mlflow_side.py"), "measure", os.path.join(DATA, "mlflow")])
    ws = os.path.join(DATA, "ws")
    lab["cli"] = time_cli("cli", [LABBENCH, "--workspace", ws, "runs", "list", "--filter", FILTER, "--columns",
                                  COLUMNS, "--json"])
    lab["cli_plain"] = time_cli("cli_plain", [LABBENCH, "--workspace", ws, "runs", "list", "--filter", FILTER,
                                              "--json"])
    mlf["mlflow_cli"] = time_cli("mlflow_cli", [PY, os.path.join(HERE, "mlflow_side.py"), "cli",
                                                os.path.join(DATA, "mlflow"), FILTER], repeat=3)
    if lab["cli"][2] != mlf["mlflow_cli"][2]:
        sys.exit("the two stores disagree: %d runs match in Labbench, %d in MLflow" % (lab["cli"][2], mlf["mlflow_cli"][2]))
    print()
    print("| measure | Labbench wall | MLflow wall | ratio (wall) | Labbench CPU | MLflow CPU | ratio (CPU) | goal |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = [("open the table (first page of 200, newest first)", "open", "mlflow_open", "first paint < 300 ms"),
            ("two-term filter (`%s`)" % FILTER, "filter", "mlflow_filter", "keystroke to repaint < 50 ms"),
            ("sort by a metric (`metrics.loss`)", "sort", "mlflow_sort", ""),
            ("CLI `runs list --filter ... --json`, every match", "cli", "mlflow_cli", "")]
    for label, a, b, goal in rows:
        cpu, mcpu = lab.get("cpu_" + a), mlf.get("cpu_" + b)
        cpus = ("%.1f ms | %.1f ms | %.0fx" % (cpu, mcpu, mcpu / cpu)) if cpu and mcpu else "- | - | -"
        print("| %s | %.1f ms | %.1f ms | %.0fx | %s | >= 10x%s |" % (
            label, lab[a][0], mlf[b][0], mlf[b][0] / lab[a][0], cpus, ("; " + goal) if goal else ""))
    print("\nwall: medians; CPU: medians of the process's CPU time (every thread) per measure")
    print("matching runs: Labbench %d, MLflow %d (CLI, every match)" % (lab["cli"][2], mlf["mlflow_cli"][2]))
    print("CLI without --columns (id, name, status, times only): %.1f ms" % lab["cli_plain"][0])


if __name__ == "__main__":
    main()
