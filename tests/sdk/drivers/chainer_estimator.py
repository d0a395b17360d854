# The Azure ML "train with Chainer" notebook, in the order its documents use the calls, run as a
# user runs it: python3 in the project folder after eval "$(labbench sdk env)" (issue 24).
# Prints tagged lines (TAG payload) that tst_sdk_driver checks.
import json
import os

from azureml.core import Experiment, Model, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.exceptions import UserErrorException
from azureml.train.dnn import Chainer

# Workspace from config
ws = Workspace.from_config()
print(ws.name, ws.resource_group, ws.location, ws.subscription_id, sep="\n")

# Datastore upload
ds = ws.get_default_datastore()
ds.upload(src_dir="./data", target_path="numbers", overwrite=True, show_progress=True)

# Cluster get-or-create
cluster_name = "cpu-cluster"
try:
    compute_target = ComputeTarget(workspace=ws, name=cluster_name)
    print("Found existing compute target")
except ComputeTargetException:
    print("Creating a new compute target...")
    compute_config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=1)
    compute_target = ComputeTarget.create(ws, cluster_name, compute_config)
    compute_target.wait_for_completion(show_output=True, min_node_count=None, timeout_in_minutes=20)
print("STATUS_OF_COMPUTE", json.dumps(compute_target.get_status().serialize()))

# A Chainer estimator over an argparse script, with script_params and a datastore mount
script_params = {
    "--data-folder": ds.path("numbers").as_mount(),
    "--epochs": 2,
    "--lr": 0.5,
    "--verbose": "",
}
estimator = Chainer(source_directory="./train", compute_target=compute_target, entry_script="train.py",
                    script_params=script_params, use_gpu=False)

# Submit and wait with output
exp = Experiment(workspace=ws, name="chainer-mnist")
run = exp.submit(estimator)
print("SUBMITTED", run.id)
run.wait_for_completion(show_output=True)
print("STATUS", run.get_status())
details = run.get_details()
print("DETAILS", json.dumps({k: details[k] for k in ("runId", "status", "target")}))
print("METRICS", json.dumps(run.get_metrics(), sort_keys=True))
print("ONE_METRIC", json.dumps(run.get_metrics(name="final_w")))

# Files, download, register_model
print("FILES", json.dumps(run.get_file_names()))
os.makedirs("downloaded", exist_ok=True)
run.download_file(name="outputs/model.txt", output_file_path="downloaded/model.txt")
for bad in ("../config.json", "outputs/../../labbench.db", "/etc/passwd", "outputs/missing.txt"):
    try:
        run.download_file(name=bad, output_file_path="downloaded/stolen")
        print("DOWNLOADED", bad)
    except UserErrorException as e:
        print("REFUSED", bad, "|", str(e).splitlines()[0])
model = run.register_model(model_name="chainer-mnist", model_path="outputs/model.txt",
                           tags={"framework": "chainer"})
print("MODEL", model.name, model.version, model.id, json.dumps(model.tags))
print("LATEST", Model(ws, "chainer-mnist").id)
