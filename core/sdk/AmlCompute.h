#pragma once
// Azure ML compute names over Labbench compute targets (issue 24). A name maps to a target
//   - through "compute_aliases" in the workspace's config.json ({"gpu-cluster": "hpc"}),
//   - or it is the name of a Labbench target itself,
//   - or, when AmlCompute creates it, to the workspace's default target (normally "local"),
//     recorded as an alias so that the next ComputeTarget(ws, name) finds it.
// The VM size asked for is checked against what the target has (VmSizes.h, TargetCapacity.h):
// a size the target cannot give is an error, never a silent downgrade.

#include "core/sdk/TargetCapacity.h"
#include "core/sdk/VmSizes.h"

#include <optional>

namespace lb {
class ComputeTarget;
class Workspace;
}

namespace lb::sdk {

struct AmlComputeBinding {
    QString name;   // the Azure name: "gpu-cluster"
    QString target; // the Labbench target: "hpc"
    QString how;    // "alias" (config.json), "target" (a target of that name), "default" (new)
};

// What provisioning_configuration asked for.
struct SizeRequest {
    QString vmSize;
    int maxNodes = 1;
    int minNodes = 0;
};

struct SizeCheck {
    VmSize size;
    TargetCapacity capacity;
    int fittingNodes = 0; // nodes of the target that can give the size
};

// The binding of `name`, or nullopt when it names nothing. Throws lb::Error when an alias names
// a target the workspace does not have.
std::optional<AmlComputeBinding> findAmlCompute(Workspace& workspace, const QString& name);

// Checks a request against a capacity: the size must be known, one node of the target must have
// its cores, GPUs and (within 10%, what kernels keep for themselves) its memory, and max_nodes
// nodes must do so. Throws lb::Error with one sentence naming the numbers and the fix; `name` is
// the Azure name, for that fix.
SizeCheck checkVmSize(const TargetCapacity& capacity, const SizeRequest& request, const QString& name);

struct AmlComputeCreation {
    AmlComputeBinding binding;
    SizeCheck check;
};

// ComputeTarget.create(ws, name, AmlCompute.provisioning_configuration(...)): binds `name` (to
// the default target when it names nothing yet), checks the size against the target, and only
// then records a new binding in config.json. Throws lb::Error (nothing recorded).
AmlComputeCreation createAmlCompute(Workspace& workspace, const QString& name, const SizeRequest& request);

} // namespace lb::sdk
