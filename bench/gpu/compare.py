"""labbench-train's CUDA backend against PyTorch on the same GPU, in one run (issue 22): for each
of the three models, bench_gpu_train --json (graphs, strict FP32) and bench_torch_gpu.py (eager
and CUDA-graph-captured), rounds interleaved, each side's best round kept. Prints the table and
the ratios (ours / PyTorch; the goal is <= 0.33 against the graph-captured PyTorch).
usage: python3 bench/gpu/compare.py BENCH_GPU_TRAIN DATA_DIR [--rounds N] [--epochs N] [--python PY]"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run_json_lines(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_gpu_train")
    ap.add_argument("data_dir")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--python", default=sys.executable, help="interpreter with CUDA PyTorch")
    args = ap.parse_args()
    ours, torch = {}, {}
    for rnd in range(args.rounds):
        for r in run_json_lines([args.bench_gpu_train, "--json", "--data", args.data_dir,
                                 "--epochs", str(args.epochs)]):
            key = (r["hidden"], r["batch"])
            if key not in ours or r["epoch_s"] < ours[key]["epoch_s"]:
                ours[key] = r
        for hidden, batch in list(ours):
            sizes = "784,%s,10" % hidden
            (t,) = run_json_lines([args.python, os.path.join(HERE, "bench_torch_gpu.py"), args.data_dir,
                                   sizes, str(batch), str(args.epochs)])
            prev = torch.get((hidden, batch))
            if prev is None:
                torch[(hidden, batch)] = t
            else:
                for f in ("eager_epoch_s", "graph_epoch_s"):
                    if f in t:
                        prev[f] = min(prev[f], t[f])
        print("round %d done" % (rnd + 1), file=sys.stderr)
    first = next(iter(ours.values()))
    t0 = next(iter(torch.values()))
    print("ours: %s; PyTorch %s on %s" % (first["device"], t0["torch"], t0["device_name"]))
    print("%-18s %10s %12s %12s | %9s %9s | %8s %8s" % (
        "model (batch)", "ours ms", "torch eager", "torch graph", "/eager", "/graph", "ours acc", "torch acc"))
    for key, o in ours.items():
        t = torch[key]
        graph = t.get("graph_epoch_s")
        print("%-18s %10.2f %12.2f %12s | %9.3f %9s | %8.4f %8.4f" % (
            "784-%s-10 (%d)" % (key[0].replace(",", "-"), key[1]), o["epoch_s"] * 1e3, t["eager_epoch_s"] * 1e3,
            "%.2f" % (graph * 1e3) if graph else "-", o["epoch_s"] / t["eager_epoch_s"],
            "%.3f" % (o["epoch_s"] / graph) if graph else "-", o["accuracy"], t.get("graph_accuracy", t["eager_accuracy"])))
    if "graph" in t0:
        print("PyTorch graph: " + t0["graph"])


if __name__ == "__main__":
    main()
