"""Softmax regression on MNIST with numpy: the shape of Azure ML's first tutorial script
(`--data-folder`, `--regularization`), runnable offline. Without --data-folder it trains on the
MNIST that Labbench ships (labbench.sample_dataset("mnist")); point it at your own copy with
`--data-folder DIR` or, through a datastore, `--data-folder datastore://NAME/path`.

    labbench submit --source examples --entry mnist_softmax.py --wait -- --epochs 3
"""
import argparse
import gzip
import os

import numpy as np

try:
    import labbench
except ImportError:  # run outside Labbench
    labbench = None


def read_idx(path):
    """An IDX file (gzip or raw) as a numpy array: magic 2051 images (n, rows*cols), 2049 labels."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, count = int.from_bytes(data[0:4], "big"), int.from_bytes(data[4:8], "big")
    if magic == 2051:
        rows, cols = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
        return np.frombuffer(data, np.uint8, count * rows * cols, 16).reshape(count, rows * cols)
    if magic == 2049:
        return np.frombuffer(data, np.uint8, count, 8)
    raise ValueError("%s is not an IDX image or label file (magic %d)" % (path, magic))


def load(folder, split):
    def find(base):
        for name in (base + ".gz", base):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise FileNotFoundError("%s[.gz] is missing in %s" % (base, folder))
    images = read_idx(find("%s-images-idx3-ubyte" % split)).astype(np.float32) / 255.0
    labels = read_idx(find("%s-labels-idx1-ubyte" % split)).astype(np.int64)
    return images, labels


parser = argparse.ArgumentParser(description="Softmax regression on MNIST with numpy")
parser.add_argument("--data-folder", type=str, default=None,
                    help="folder with the four MNIST files (default: the copy Labbench ships)")
parser.add_argument("--regularization", type=float, default=1e-4, help="L2 penalty")
parser.add_argument("--lr", type=float, default=0.5, help="learning rate")
parser.add_argument("--epochs", type=int, default=3, help="passes over the training set")
parser.add_argument("--batch-size", type=int, default=100, help="images per step")
args = parser.parse_args()

folder = args.data_folder
if folder is None:
    if labbench is None:
        parser.error("--data-folder is required outside Labbench")
    folder = labbench.sample_dataset("mnist")
x_train, y_train = load(folder, "train")
x_test, y_test = load(folder, "t10k")
print("MNIST from %s: %d training and %d test images" % (folder, len(x_train), len(x_test)), flush=True)

rng = np.random.default_rng(0)
w = np.zeros((x_train.shape[1], 10), np.float32)
b = np.zeros(10, np.float32)
for epoch in range(args.epochs):
    order = rng.permutation(len(x_train))
    loss_sum = 0.0
    for start in range(0, len(order), args.batch_size):
        idx = order[start:start + args.batch_size]
        x, y = x_train[idx], y_train[idx]
        logits = x @ w + b                       # (B, 10)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        loss_sum += -np.log(p[np.arange(len(y)), y] + 1e-12).sum()
        p[np.arange(len(y)), y] -= 1.0           # dL/dlogits, (B, 10)
        w -= args.lr * (x.T @ p / len(y) + args.regularization * w)
        b -= args.lr * p.mean(axis=0)
    accuracy = float(((x_test @ w + b).argmax(axis=1) == y_test).mean())
    loss = loss_sum / len(x_train)
    print("epoch %d: loss %.4f test accuracy %.4f" % (epoch + 1, loss, accuracy), flush=True)
    if labbench:
        labbench.log("loss", loss)
        labbench.log("accuracy", accuracy)

os.makedirs("outputs", exist_ok=True)
np.savez("outputs/model.npz", w=w, b=b)
print("saved outputs/model.npz")
