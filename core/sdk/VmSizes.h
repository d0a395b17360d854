#pragma once
// An offline table of common Azure VM sizes (the D, E, F and NC/ND/NV series that Azure ML's
// documents name), so that AmlCompute.provisioning_configuration(vm_size=...) can be checked
// against what a Labbench compute target really has (issue 24). No network: the numbers are
// Azure's published sizes, written down once.

#include <QString>
#include <QStringList>

#include <optional>

namespace lb::sdk {

// One VM size as Azure publishes it.
struct VmSize {
    QString name;     // Azure's spelling: "Standard_D2_v2"
    int cores = 0;    // vCPUs
    double memoryGiB = 0;
    int gpus = 0;
    QString gpuModel; // "K80", "V100", … (empty without GPUs)
};

// The size called `name`, matched case-insensitively ("STANDARD_D2_V2" finds Standard_D2_v2).
std::optional<VmSize> findVmSize(const QString& name);

// Every size of the table, in table order (series by series, small to large).
const QList<VmSize>& knownVmSizes();

// The names of every size, for messages: "Standard_D1_v2, Standard_D2_v2, …".
QStringList knownVmSizeNames();

} // namespace lb::sdk
