#pragma once
// What a Labbench compute target can give one job: how many nodes, and the cores, memory and
// GPUs of each. The SDK surface checks an Azure VM size against it (issue 24): this machine for
// a local target, the remote machine for an SSH target, the partition's nodes for Slurm.

#include <QList>
#include <QString>

namespace lb {
class ComputeTarget;
}

namespace lb::sdk {

// One node as the target reports it.
struct NodeCapacity {
    QString name;        // "this machine", the SSH host, or the Slurm node name
    int cores = 0;
    double memoryGiB = 0;
    int gpus = 0;
};

struct TargetCapacity {
    QString targetName;
    QString kind;        // local | ssh | slurm
    QList<NodeCapacity> nodes;
    QString source;      // how it was found, for messages: "this machine", "sinfo -p debug"
};

// Asks the target what it has (over SSH for remote targets; blocks for as long as that takes).
// Throws lb::Error with one sentence when the target cannot be reached or asked.
TargetCapacity probeCapacity(const ComputeTarget& target);

// Parses `sinfo -h -N -o "%N|%c|%m|%G"` output (one line per node and partition; a node listed
// twice counts once). Exposed for tests.
QList<NodeCapacity> parseSinfoNodes(const QByteArray& out);

// GPUs in a Slurm GRES string: "gpu:2", "gpu:tesla:2(S:0)", "gpu:1,mps:100" -> 2, 2, 1.
int gpusInGres(const QString& gres);

} // namespace lb::sdk
