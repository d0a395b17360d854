"""MNIST from the four IDX files (gzip or raw) as float32 in [0, 1], for the Python baselines."""
import gzip
import os

import numpy as np


def _read(path):
    for candidate in (path + ".gz", path):
        if os.path.exists(candidate):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(candidate, "rb") as f:
                return f.read()
    raise FileNotFoundError(path)


def load(data_dir):
    def images(name):
        raw = _read(os.path.join(data_dir, name))
        n, rows, cols = np.frombuffer(raw[4:16], dtype=">u4")
        return np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, rows * cols).astype(np.float32) / 255.0

    def labels(name):
        return np.frombuffer(_read(os.path.join(data_dir, name))[8:], dtype=np.uint8).astype(np.int64)

    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))
