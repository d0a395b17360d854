"""PyTorch (CPU) baseline for labbench-train: the same MLP, batch, momentum SGD and data.
Prints one JSON line: median epoch seconds, inference images/s on the test set, peak RSS.
usage: /usr/bin/python3 bench_torch.py DATA_DIR SIZES BATCH EPOCHS TORCH_THREADS"""
import json
import resource
import sys
import time

import torch

import mnist_data


def main():
    data_dir, sizes, batch, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    sizes = [int(s) for s in sizes.split(",")]
    xtr, ytr, xte, yte = (torch.from_numpy(a) for a in mnist_data.load(data_dir))
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = xtr.shape[0]
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            x, y = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        t0 = time.perf_counter()
        correct = 0
        for i in range(0, xte.shape[0], 1000):
            correct += (model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
        infer = time.perf_counter() - t0
    times.sort()
    print(json.dumps({"impl": "pytorch", "threads": threads, "epoch_s": times[len(times) // 2],
                      "accuracy": correct / xte.shape[0], "infer_images_per_s": xte.shape[0] / infer,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
