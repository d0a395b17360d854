#pragma once
// Creating, editing, removing and testing a workspace's compute targets: what the CLI's
// `compute create|remove|test` and the workbench's compute dialogs both call, so the rules
// live in one place.

#include "core/gpu/GpuMonitor.h"
#include "core/store/Entities.h"

#include <QStringList>

namespace lb {

class ComputeTarget;
class Workspace;

// Stores a new target (a record from draftComputeTarget). Throws lb::Error when the name is
// taken or the settings cannot be read back as a target of that kind.
void createComputeTarget(Workspace& workspace, const ComputeTargetRecord& record);

// Replaces the settings of an existing target (same name and kind). Throws lb::NotFoundError for
// an unknown name, lb::Error for a changed kind, unreadable settings, or a remote target (SSH,
// Slurm) that still has an unfinished run.
void updateComputeTarget(Workspace& workspace, const ComputeTargetRecord& record);

// Removes a target that is not the workspace's default and has no unfinished run; throws
// lb::Error saying which of those stands in the way.
void removeComputeTarget(Workspace& workspace, const QString& name);

// `labbench compute test`: a remote target connects and checks its folder (and Slurm); a local
// one reports the GPUs this machine has. Returns what was found, one line each; throws lb::Error
// with the first problem. Blocks for as long as ssh takes: call it off the UI thread.
QStringList testComputeTarget(const ComputeTarget& target);

// The GPUs of this machine as NVML sees them (empty, with the reason in `unavailableReason`,
// where there is no driver).
QList<GpuSample> detectLocalGpus(QString* unavailableReason = nullptr);

} // namespace lb
