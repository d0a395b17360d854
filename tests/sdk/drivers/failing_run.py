# A run whose script fails: wait_for_completion raises ActivityFailedException as Azure's does,
# and with raise_on_error=False returns the details with the error (issue 24).
import json

from azureml.core import Experiment, Workspace
from azureml.exceptions import ActivityFailedException
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
est = Estimator(source_directory="./train", entry_script="fail.py", compute_target="local")
run = Experiment(ws, "failing").submit(est)
try:
    run.wait_for_completion(show_output=True)
    print("NOT RAISED")
except ActivityFailedException as e:
    print("RAISED", json.dumps(str(e)))
details = run.wait_for_completion(raise_on_error=False)
print("STATUS", details["status"], json.dumps(details["error"]))
