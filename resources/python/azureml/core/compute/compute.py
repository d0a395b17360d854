"""ComputeTarget: an Azure ML compute name over a Labbench compute target. A name maps to a
target through "compute_aliases" in the workspace's config.json ({"gpu-cluster": "hpc"}), or is
a Labbench target's own name; ComputeTarget.create maps a new name to the workspace's default
target (this machine), says so in one line, and records the alias. `labbench sdk compute ...`
does the mapping and checks the VM size against what the target has."""

from azureml import _labbench
from azureml.exceptions import ComputeTargetException


class ComputeTarget:
    """ComputeTarget(workspace=ws, name=...) is the existing compute of that name, or raises
    ComputeTargetException, as Azure's does."""

    def __new__(cls, workspace, name):
        if cls is not ComputeTarget:
            return super().__new__(cls)
        from azureml.core.compute.amlcompute import AmlCompute
        binding = _labbench.call_json(["sdk", "compute", "show", name], workspace=workspace._root,
                                      error=ComputeTargetException)
        if not binding.get("found"):
            raise ComputeTargetException("ComputeTargetNotFound: Compute Target with name %s not found in "
                                         "provided workspace" % name)
        return AmlCompute._bind(workspace, binding)

    def __init__(self, workspace, name):
        # Set by _bind (ComputeTarget(ws, name) returns a bound AmlCompute).
        pass

    @staticmethod
    def create(workspace, name, provisioning_configuration):
        """Maps `name` to a Labbench target after checking provisioning_configuration's vm_size
        and max_nodes against it; raises ComputeTargetException naming what does not fit."""
        return provisioning_configuration._create(workspace, name)

    @staticmethod
    def list(workspace):
        from azureml.core.compute.amlcompute import AmlCompute
        return [AmlCompute._bind(workspace, b) for b in
                _labbench.call_json(["sdk", "compute", "list"], workspace=workspace._root)]

    def _labbench_target(self):
        """The Labbench target runs on this compute go to."""
        return self._binding["target"]

    def wait_for_completion(self, show_output=False, is_delete_operation=False):
        """Labbench targets exist as soon as they are mapped: nothing to wait for."""
        if show_output:
            print("Succeeded")

    def get_status(self):
        return _Status(self)

    def delete(self):
        raise NotImplementedError("ComputeTarget.delete: remove the alias from config.json or the target "
                                  "with 'labbench compute remove NAME'")

    def __repr__(self):
        return "%s(workspace=%r, name=%s, target=%s)" % (type(self).__name__, self.workspace, self.name,
                                                         self._binding["target"])


class _Status:
    """What compute_target.get_status() gives: serialize() for printing, as in Azure's docs."""

    def __init__(self, compute):
        self.provisioning_state = "Succeeded"
        self.allocation_state = "Steady"
        self.vm_size = getattr(compute, "vm_size", None)
        self.target = compute._binding["target"]
        self.kind = compute._binding.get("kind")

    def serialize(self):
        return {"allocationState": self.allocation_state, "provisioningState": self.provisioning_state,
                "vmSize": self.vm_size, "labbenchTarget": self.target, "labbenchKind": self.kind,
                "errors": None}
