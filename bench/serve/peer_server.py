"""The peer of bench/serve: the same model.npz served by FastAPI on uvicorn with numpy, as a Python
user would write it. Same contract as a native endpoint: {"data": [[784 floats in 0..1], ...]} in,
{"classes": [...], "probabilities": [[...], ...]} out. MODEL_NPZ names the model file."""
import json
import os

import numpy as np
from fastapi import FastAPI, Request, Response

model = np.load(os.environ["MODEL_NPZ"])
layers = len(model["layers"]) - 1  # "layers" holds the widths, inputs first
weights = [(model["W%d" % l], model["b%d" % l]) for l in range(1, layers + 1)]
scale, offset = (float(v) for v in model["normalization"])
app = FastAPI()


@app.post("/score")
async def score(request: Request):
    x = np.asarray(json.loads(await request.body())["data"], dtype=np.float32)
    x = x.reshape(-1, weights[0][0].shape[0]) * (255.0 * scale) + offset  # (rows, 784)
    for l, (w, b) in enumerate(weights):
        x = x @ w + b
        if l < layers - 1:
            x = np.maximum(x, 0)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)  # (rows, 10)
    answer = {"classes": p.argmax(axis=1).tolist(), "probabilities": p.tolist()}
    return Response(json.dumps(answer), media_type="application/json")
