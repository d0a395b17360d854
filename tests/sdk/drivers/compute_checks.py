# What the compute mapping refuses, each on one line (issue 24): sizes the local target cannot
# give, an unknown size, more nodes than it has, unsupported arguments, and an alias to nothing.
from azureml.core import Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.train.dnn import Chainer, TensorFlow
from azureml.train.estimator import Estimator


def attempt(tag, make):
    try:
        make()
        print(tag, "ACCEPTED")
    except ComputeTargetException as e:
        print(tag, "ComputeTargetException", str(e))
    except NotImplementedError as e:
        print(tag, "NotImplementedError", str(e))


ws = Workspace.from_config()
create = ComputeTarget.create
config = AmlCompute.provisioning_configuration
attempt("NC6", lambda: create(ws, "gpu-cluster", config(vm_size="STANDARD_NC6", max_nodes=1)))
attempt("BOGUS", lambda: create(ws, "gpu-cluster", config(vm_size="STANDARD_BOGUS_V9", max_nodes=1)))
attempt("NODES", lambda: create(ws, "gpu-cluster", config(vm_size="STANDARD_D2_V2", max_nodes=4)))
attempt("DEFAULT_NODES", lambda: create(ws, "gpu-cluster", config(vm_size="STANDARD_D2_V2")))
attempt("VNET", lambda: config(vm_size="STANDARD_D2_V2", vnet_name="corp"))
attempt("SHM", lambda: Chainer(source_directory="./train", entry_script="train.py", shm_size="2g"))
attempt("INPUTS", lambda: Estimator(source_directory="./train", entry_script="train.py", inputs=[1]))
attempt("VM_ON_EST", lambda: TensorFlow(source_directory="./train", entry_script="train.py",
                                        vm_size="STANDARD_NC6"))
attempt("MISSING", lambda: ComputeTarget(workspace=ws, name="gpu-cluster"))
attempt("DANGLING", lambda: ComputeTarget(workspace=ws, name="dangling"))
attempt("FITS", lambda: create(ws, "small-cluster", config(vm_size="Standard_D1_v2", max_nodes=1)))
