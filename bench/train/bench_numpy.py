"""numpy baseline for labbench-train: the same MLP, batch, momentum SGD and data, written the
obvious way (np.dot through OpenBLAS, vectorised element-wise steps).
usage: /usr/bin/python3 bench_numpy.py DATA_DIR SIZES BATCH EPOCHS"""
import json
import resource
import sys
import time

import numpy as np

import mnist_data


def main():
    data_dir, sizes, batch, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sizes = [int(s) for s in sizes.split(",")]
    xtr, ytr, xte, yte = mnist_data.load(data_dir)
    rng = np.random.default_rng(0)
    W = [(rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(2.0 / sizes[i])).astype(np.float32)
         for i in range(len(sizes) - 1)]
    b = [np.zeros(s, np.float32) for s in sizes[1:]]
    vW = [np.zeros_like(w) for w in W]
    vb = [np.zeros_like(x) for x in b]
    lr, mom = np.float32(0.01), np.float32(0.9)
    L = len(W)
    n = xtr.shape[0]

    def forward(x):
        acts = [x]
        for l in range(L):
            z = acts[-1] @ W[l] + b[l]
            acts.append(np.maximum(z, 0) if l < L - 1 else z)
        return acts

    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = rng.permutation(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            x, y = xtr[idx], ytr[idx]
            acts = forward(x)
            z = acts[-1]
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(y)), y] -= 1
            delta = p / np.float32(len(y))
            for l in range(L - 1, -1, -1):
                gW = acts[l].T @ delta
                gb = delta.sum(axis=0)
                if l > 0:
                    delta = (delta @ W[l].T) * (acts[l] > 0)
                vW[l] *= mom
                vW[l] += gW
                W[l] -= lr * vW[l]
                vb[l] *= mom
                vb[l] += gb
                b[l] -= lr * vb[l]
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    correct = sum(int((forward(xte[i:i + 1000])[-1].argmax(1) == yte[i:i + 1000]).sum())
                  for i in range(0, xte.shape[0], 1000))
    infer = time.perf_counter() - t0
    times.sort()
    print(json.dumps({"impl": "numpy", "epoch_s": times[len(times) // 2],
                      "accuracy": correct / xte.shape[0], "infer_images_per_s": xte.shape[0] / infer,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
