# Azure ML's distributed TensorFlow document, parameter-server flavour, on a cluster that
# config.json maps to Labbench's Slurm target: "compute_aliases": {"gpu-cluster": "hpc"}
# (issue 24). The size is checked against Slurm's nodes before anything runs.
import json

from azureml.core import Experiment, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.core.runconfig import TensorflowConfiguration
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()

for size, nodes in (("STANDARD_NC6", 2), ("STANDARD_D2_V2", 3)):
    try:
        ComputeTarget.create(ws, "gpu-cluster", AmlCompute.provisioning_configuration(vm_size=size, max_nodes=nodes))
        print("TOO_BIG_ACCEPTED", size, nodes)
    except ComputeTargetException as e:
        print("REFUSED", size, nodes, "|", e)
compute_target = ComputeTarget.create(ws, "gpu-cluster",
                                      AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=2))
compute_target.wait_for_completion(show_output=True)
print("FOUND", ComputeTarget(workspace=ws, name="gpu-cluster").name)

distributed_training = TensorflowConfiguration()
distributed_training.worker_count = 2
estimator = TensorFlow(source_directory="./tf", compute_target=compute_target, entry_script="tf_ps.py",
                       node_count=2, distributed_training=distributed_training)
run = Experiment(workspace=ws, name="tf-distr-ps").submit(estimator)
print("SUBMITTED", run.id)
run.wait_for_completion(show_output=True)
print("STATUS", run.get_status())
print("DETAILS", json.dumps({k: run.get_details()[k] for k in ("status", "target")}))
