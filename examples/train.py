"""A tiny training script for trying Labbench: plain argparse, logs metrics with the
`labbench` helper when it runs under Labbench (and prints them otherwise)."""
import argparse
import math
import time

try:
    import labbench
except ImportError:  # run outside Labbench
    labbench = None

parser = argparse.ArgumentParser(description="Fit y = 3x + 1 with gradient descent")
parser.add_argument("--lr", type=float, default=0.05, help="learning rate")
parser.add_argument("--epochs", type=int, default=20, help="passes over the data")
parser.add_argument("--sleep", type=float, default=0.1, help="seconds per epoch, to watch it live")
args = parser.parse_args()

xs = [i / 50.0 for i in range(50)]
ys = [3.0 * x + 1.0 for x in xs]
w, b = 0.0, 0.0
for epoch in range(args.epochs):
    gw = sum(2 * (w * x + b - y) * x for x, y in zip(xs, ys)) / len(xs)
    gb = sum(2 * (w * x + b - y) for x, y in zip(xs, ys)) / len(xs)
    w, b = w - args.lr * gw, b - args.lr * gb
    loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
    print(f"epoch {epoch}: loss {loss:.5f} w {w:.3f} b {b:.3f}", flush=True)
    if labbench:
        labbench.log("loss", loss)
        labbench.log("w", w)
    time.sleep(args.sleep)
assert math.isfinite(loss), "diverged: lower --lr"
