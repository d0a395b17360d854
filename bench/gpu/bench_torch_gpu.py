"""PyTorch on the GPU, the peer of bench_gpu_train (issue 22): the same MLP, batch and optimizer
(momentum SGD, lr 0.01, momentum 0.9, as labbench-train's defaults), the training set resident on
the GPU, each epoch a fresh permutation gathered on the GPU. Two ways, in one run:
  eager  every step issued op by op;
  graph  one full step (gather, forward, loss, backward, optimizer) captured in a CUDA graph and
         replayed per batch; the last, partial batch of an epoch runs eagerly (another shape).
Prints one JSON line: median epoch seconds of each (after one warm-up epoch) and test accuracy.
Without CUDA it runs eager on the CPU and says why there is no graph (to check the script).
usage: python3 bench_torch_gpu.py DATA_DIR SIZES BATCH EPOCHS      (SIZES like 784,1000,1000,10)"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
import mnist_data  # noqa: E402


def make_model(sizes, device):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers).to(device)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def accuracy(model, xte, yte):
    with torch.no_grad():
        correct = 0
        for i in range(0, xte.shape[0], 1000):
            correct += (model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
    return correct / xte.shape[0]


def train(sizes, batch, epochs, data, device, use_graph):
    """Median seconds per epoch (after a warm-up epoch) and the test accuracy reached."""
    xtr, ytr, xte, yte = data
    torch.manual_seed(0)
    model = make_model(sizes, device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = xtr.shape[0]
    full = n // batch * batch

    def step(idx):
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        return loss

    graph = None
    static_idx = torch.zeros(batch, dtype=torch.long, device=device)
    if use_graph:
        # The documented whole-network capture: warm up on a side stream (so the optimizer's
        # state exists), then capture one step reading its batch from static_idx.
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                step(static_idx)
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            step(static_idx)

    times = []
    for _ in range(epochs + 1):  # the first epoch warms up
        sync(device)
        t0 = time.perf_counter()
        perm = torch.randperm(n, device=device)
        for i in range(0, full, batch):
            if graph is not None:
                static_idx.copy_(perm[i:i + batch])
                graph.replay()
            else:
                step(perm[i:i + batch])
        if full < n:
            step(perm[full:])
        sync(device)
        times.append(time.perf_counter() - t0)
    times = sorted(times[1:])
    return times[len(times) // 2], accuracy(model, xte, yte)


def main():
    data_dir, sizes, batch, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sizes = [int(s) for s in sizes.split(",")]
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    data = tuple(torch.from_numpy(a).to(device) for a in mnist_data.load(data_dir))
    eager_s, eager_acc = train(sizes, batch, epochs, data, device, use_graph=False)
    result = {"impl": "pytorch", "torch": torch.__version__, "device": str(device),
              "device_name": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
              "sizes": sizes, "batch": batch, "eager_epoch_s": eager_s, "eager_accuracy": eager_acc}
    if device.type == "cuda":
        graph_s, graph_acc = train(sizes, batch, epochs, data, device, use_graph=True)
        result.update({"graph_epoch_s": graph_s, "graph_accuracy": graph_acc})
    else:
        result["graph"] = "no CUDA device: CUDA graphs need one"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
