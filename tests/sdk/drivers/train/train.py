# A Chainer-style training script as Azure ML's samples write them: argparse arguments, data from
# a datastore mount, metrics through Run.get_context(), the model into ./outputs. Tiny on purpose:
# it fits one weight to the mean of the numbers in values.txt, 2 epochs, in a blink.
import argparse
import os

from azureml.core.run import Run

parser = argparse.ArgumentParser()
parser.add_argument("--data-folder", type=str, dest="data_folder", required=True)
parser.add_argument("--epochs", type=int, default=1)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--verbose", action="store_true")
args = parser.parse_args()

run = Run.get_context()
with open(os.path.join(args.data_folder, "values.txt")) as f:
    numbers = [float(x) for x in f.read().split()]
print("data folder holds %d numbers (verbose=%s)" % (len(numbers), args.verbose), flush=True)

target = sum(numbers) / len(numbers)
w = 0.0
for epoch in range(1, args.epochs + 1):
    for x in numbers:
        w += args.lr * (x - w) / len(numbers)
    loss = (w - target) ** 2
    run.log("loss", loss)
    run.log_row("epochs", epoch=epoch, loss=loss)
    print("epoch %d loss %.6f" % (epoch, loss), flush=True)

run.log("final_w", w)
run.log("note", "trained on %d numbers" % len(numbers))
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.txt", "w") as f:
    f.write(repr(w))
