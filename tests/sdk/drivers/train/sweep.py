# A HyperDrive child: "accuracy" peaks at lr = 0.5; reported once a second for 3 epochs, so that
# the Bandit policy sees a poor child's first report long before it could finish.
import argparse
import time

from azureml.core.run import Run

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
args = parser.parse_args()
run = Run.get_context()
for epoch in range(3):
    run.log("accuracy", 1.0 - abs(args.lr - 0.5))
    print("epoch", epoch, "lr", args.lr, flush=True)
    time.sleep(1)
