"""The distributed-training configurations an estimator takes as distributed_training: each
maps to a Labbench distributed backend (mpi, parameter_server, pytorch), whose processes get the
environment their framework expects (OMPI ranks, TF_CONFIG, MASTER_ADDR/RANK/WORLD_SIZE)."""


class MpiConfiguration:
    """MPI: process_count_per_node processes on each of node_count nodes (Labbench backend mpi)."""

    def __init__(self, process_count_per_node=1, node_count=1):
        self.process_count_per_node = process_count_per_node
        self.node_count = node_count

    def _labbench_fields(self):
        return {"distributed_backend": "mpi", "process_count_per_node": self.process_count_per_node,
                "node_count": self.node_count}


class TensorflowConfiguration:
    """TensorFlow parameter-server training: worker_count workers and parameter_server_count
    parameter servers, each told its role in TF_CONFIG (Labbench backend parameter_server)."""

    def __init__(self, worker_count=1, parameter_server_count=1):
        self.worker_count = worker_count
        self.parameter_server_count = parameter_server_count

    def _labbench_fields(self):
        return {"distributed_backend": "parameter_server", "worker_count": self.worker_count,
                "parameter_server_count": self.parameter_server_count}


class PyTorchConfiguration:
    """torch.distributed: process_count processes over node_count nodes, with MASTER_ADDR, RANK,
    WORLD_SIZE and LOCAL_RANK set (Labbench backend pytorch). communication_backend is chosen by
    the script (Nccl or Gloo); Labbench only starts the processes."""

    def __init__(self, communication_backend='Nccl', process_count=None, node_count=1):
        self.communication_backend = communication_backend
        self.process_count = process_count
        self.node_count = node_count

    def _labbench_fields(self):
        fields = {"distributed_backend": "pytorch", "node_count": self.node_count}
        if self.process_count is not None:
            if self.process_count % self.node_count != 0:
                raise ValueError("PyTorchConfiguration: process_count (%d) must be a multiple of node_count (%d) "
                                 "for Labbench, which starts as many processes on every node"
                                 % (self.process_count, self.node_count))
            fields["process_count_per_node"] = self.process_count // self.node_count
        return fields


__all__ = ["MpiConfiguration", "TensorflowConfiguration", "PyTorchConfiguration"]
