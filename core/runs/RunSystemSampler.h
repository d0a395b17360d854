#pragma once
// The local supervisor's system sampler: labbench-sysmon started beside the script, sampling
// the script's process tree (and the run's cgroup where it has one) into RUN/system/<node>.jsonl
// every few seconds, which RunIngester stores as system metrics. GPUs are those the local
// target gave the run. A sampler that cannot start costs the run nothing but one line in
// driver.log: "labbench: system metrics unavailable on NODE: why".

#include <QString>
#include <cstdint>
#include <sys/types.h>

namespace lb {

class RunFolder;

class RunSystemSampler {
public:
    // `devices` is the run's GPU list as the local target assigned it ("0,1"; empty: a CPU
    // run, no GPU is read); `cgroup` the run's cgroup folder or empty.
    RunSystemSampler(const RunFolder& folder, pid_t script, const QString& devices,
                     const QString& cgroup);
    ~RunSystemSampler();
    RunSystemSampler(const RunSystemSampler&) = delete;
    RunSystemSampler& operator=(const RunSystemSampler&) = delete;

    bool running() const { return pid_ > 0; }
    // SIGTERM (the sampler takes one last sample and exits), SIGKILL after `graceMs`. Call
    // before anything stops the run's leftovers: the sampler is the supervisor's child.
    void stop(int graceMs = 2000);

    // labbench-sysmon beside this program's share/labbench/remote/, or $LABBENCH_SYSMON.
    static QString program();

private:
    pid_t pid_ = -1;
    std::uint64_t startTicks_ = 0; // with the pid, this sampler and no later process
};

} // namespace lb
