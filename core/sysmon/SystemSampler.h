#pragma once
// SystemSampler: the system metrics of one run's processes on this node, one sample at a time.
// The processes are the tree rooted at a pid (every descendant, however it detached from the
// root's group or session) plus, where the run has a cgroup of its own, every process in it;
// the cgroup's own figures (memory.current, io.stat, cpu.stat) are used where they exist, as
// they also count processes that have already exited.
//
// Counters are totals since the sampler started: disk_read_bytes and disk_write_bytes of the
// processes (an exited one keeps what it had), net_rx_bytes and net_tx_bytes of the root's
// network namespace (loopback excluded; the host's traffic unless the run has a namespace of
// its own). cpu_percent is CPU time over wall time since the previous sample (100 = one core;
// the first sample: since the root process started).

#include "core/sysmon/NvmlLibrary.h"
#include "core/sysmon/ProcReaders.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lb::sysmon {

struct SamplerOptions {
    int rootPid = 0;
    std::string cgroupDir;           // a cgroup v2 folder of the run's own, or empty
    bool gpus = true;                // read NVML at all
    std::vector<std::string> gpuIds; // NVML indices ("0") or UUIDs ("GPU-…"); empty: every GPU
    int excludePid = 0;              // not counted (the sampler itself, when inside the tree)
};

struct NamedValue {
    std::string name;
    double value = 0;
};

class SystemSampler {
public:
    explicit SystemSampler(SamplerOptions options);
    ~SystemSampler();

    // Appends this sample's values to `out`; false (nothing appended) once no process of the
    // run is left. `monotonicSeconds` is the caller's clock (CLOCK_MONOTONIC).
    bool sample(double monotonicSeconds, std::vector<NamedValue>& out);

    // Why GPUs are not sampled ("" when they are, or when none were asked for).
    std::string gpuNote() const { return gpuNote_; }
    int processesSeen() const { return processesSeen_; }

private:
    struct Totals {
        unsigned long long ticks = 0;
        long long read = 0, written = 0;
    };
    std::vector<ProcStat> treeProcesses() const;
    void addGpus(std::vector<NamedValue>& out) const;

    SamplerOptions options_;
    std::unique_ptr<NvmlLibrary> nvml_;
    std::string gpuNote_;
    long pageBytes_ = 4096;
    long ticksPerSecond_ = 100;
    // Per (pid, start ticks): the last counters seen; an exited process's go into retired_.
    std::map<std::pair<int, unsigned long long>, Totals> live_;
    Totals retired_;
    double lastTime_ = -1;
    double lastCpuSeconds_ = -1;
    long long netRx0_ = -1, netTx0_ = -1;
    int netPid_ = 0;
    int processesSeen_ = 0;
};

} // namespace lb::sysmon
