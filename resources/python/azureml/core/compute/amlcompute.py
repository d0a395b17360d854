"""AmlCompute: Azure's managed cluster, here a name over a Labbench compute target (compute.py).
provisioning_configuration's vm_size must be a size Labbench knows (`labbench sdk vm-sizes`) that
the target can give max_nodes times; otherwise ComputeTarget.create raises."""

from azureml import _labbench
from azureml.core.compute.compute import ComputeTarget
from azureml.exceptions import ComputeTargetException


class AmlCompute(ComputeTarget):
    """A compute cluster name mapped to a Labbench target."""

    @classmethod
    def _bind(cls, workspace, binding, created=None):
        compute = object.__new__(cls)
        compute.workspace = workspace
        compute.name = binding["name"]
        compute.type = "AmlCompute"
        compute._binding = binding
        compute.provisioning_state = "Succeeded"
        size = (created or {}).get("vm_size") or {}
        compute.vm_size = size.get("name")
        compute.max_nodes = (created or {}).get("max_nodes")
        compute.min_nodes = (created or {}).get("min_nodes")
        return compute

    @staticmethod
    def provisioning_configuration(vm_size='', vm_priority="dedicated", min_nodes=0, max_nodes=None,
                                   idle_seconds_before_scaledown=1800, admin_username=None,
                                   admin_user_password=None, admin_user_ssh_key=None,
                                   vnet_resourcegroup_name=None, vnet_name=None, subnet_name=None,
                                   tags=None, description=None, remote_login_port_public_access='NotSpecified',
                                   identity_type=None, identity_id=None, location=None,
                                   enable_node_public_ip=True):
        """vm_size (Azure's default Standard_NC6) and max_nodes (Azure's default 4) are checked
        against the Labbench target when ComputeTarget.create maps the name."""
        return AmlComputeProvisioningConfiguration(
            vm_size, vm_priority, min_nodes, max_nodes, idle_seconds_before_scaledown, admin_username,
            admin_user_password, admin_user_ssh_key, vnet_resourcegroup_name, vnet_name, subnet_name, tags,
            description, remote_login_port_public_access, identity_type, identity_id, location,
            enable_node_public_ip)

    def wait_for_completion(self, show_output=False, min_node_count=None, timeout_in_minutes=25,
                            is_delete_operation=False):
        """The target exists already: prints what Azure prints when provisioning is done."""
        if show_output:
            print("Succeeded")
            print("AmlCompute wait for completion finished\n")
            if min_node_count is not None:
                print("Minimum number of nodes requested have been provisioned")

    def get_status(self):
        return super().get_status()


class AmlComputeProvisioningConfiguration:
    """What AmlCompute.provisioning_configuration returns: the size and node counts Labbench
    checks. The cloud settings (networks, users, identities) have no meaning on Labbench's
    targets and raise NotImplementedError when given."""

    def __init__(self, vm_size='', vm_priority="dedicated", min_nodes=0, max_nodes=None,
                 idle_seconds_before_scaledown=1800, admin_username=None, admin_user_password=None,
                 admin_user_ssh_key=None, vnet_resourcegroup_name=None, vnet_name=None, subnet_name=None,
                 tags=None, description=None, remote_login_port_public_access='NotSpecified', identity_type=None,
                 identity_id=None, compute_location=None, enable_node_public_ip=True):
        _labbench.reject_unsupported("AmlCompute.provisioning_configuration", {
            "vm_priority": (vm_priority, "dedicated"), "admin_username": (admin_username, None),
            "admin_user_password": (admin_user_password, None), "admin_user_ssh_key": (admin_user_ssh_key, None),
            "vnet_resourcegroup_name": (vnet_resourcegroup_name, None), "vnet_name": (vnet_name, None),
            "subnet_name": (subnet_name, None), "tags": (tags, None), "description": (description, None),
            "remote_login_port_public_access": (remote_login_port_public_access, 'NotSpecified'),
            "identity_type": (identity_type, None), "identity_id": (identity_id, None),
            "compute_location": (compute_location, None), "enable_node_public_ip": (enable_node_public_ip, True)})
        if idle_seconds_before_scaledown != 1800:
            print("idle_seconds_before_scaledown has no effect: Labbench compute targets do not scale.")
        self.vm_size = vm_size or "Standard_NC6"
        self.vm_priority = vm_priority
        self.min_nodes = min_nodes
        self.max_nodes = 4 if max_nodes is None else max_nodes

    def _create(self, workspace, name):
        created = _labbench.call_json(
            ["sdk", "compute", "create", name, "--vm-size", self.vm_size, "--max-nodes", self.max_nodes,
             "--min-nodes", self.min_nodes], workspace=workspace._root, error=ComputeTargetException)
        size = created["vm_size"]
        what = "%s: %d cores, %g GiB, %s" % (size["name"], size["cores"], size["memory_gib"],
                                            "%d GPU" % size["gpus"] if size["gpus"] else "no GPU")
        where = "%s, %s" % (created.get("kind"), created.get("capacity_source"))
        if created["how"] == "default":
            print("Labbench: compute '%s' (%s) runs on compute target '%s' (%s), the workspace's default; "
                  "map it elsewhere with \"compute_aliases\" in config.json." % (name, what, created["target"], where))
        else:
            print("Labbench: compute '%s' (%s) runs on compute target '%s' (%s)."
                  % (name, what, created["target"], where))
        return AmlCompute._bind(workspace, created, created)
