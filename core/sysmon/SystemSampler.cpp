#include "core/sysmon/SystemSampler.h"

#include "core/sysmon/ProcReaders.h"

#include <algorithm>
#include <set>
#include <unistd.h>
#include <unordered_map>

namespace lb::sysmon {

SystemSampler::SystemSampler(SamplerOptions options)
    : options_(std::move(options)) {
    pageBytes_ = std::max(1L, ::sysconf(_SC_PAGESIZE));
    ticksPerSecond_ = std::max(1L, ::sysconf(_SC_CLK_TCK));
    netPid_ = options_.rootPid;
    if (options_.gpus) {
        nvml_ = std::make_unique<NvmlLibrary>();
        if (!nvml_->available()) {
            gpuNote_ = nvml_->unavailableReason();
            nvml_.reset();
        }
    }
}

SystemSampler::~SystemSampler() = default;

std::vector<ProcStat> SystemSampler::treeProcesses() const {
    std::vector<ProcStat> all;
    std::unordered_map<int, std::vector<std::size_t>> children;
    for (const int pid : listPids()) {
        if (auto s = readProcStat(pid)) {
            children[s->ppid].push_back(all.size());
            all.push_back(*s);
        }
    }
    std::set<int> wanted;
    if (!options_.cgroupDir.empty()) {
        const std::string procs = readSmallFile(options_.cgroupDir + "/cgroup.procs", 1 << 20);
        int value = 0;
        bool inNumber = false;
        for (const char c : procs) {
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                inNumber = true;
            } else if (inNumber) {
                wanted.insert(value);
                value = 0;
                inNumber = false;
            }
        }
        if (inNumber) wanted.insert(value);
    }
    std::vector<int> queue{options_.rootPid};
    wanted.insert(options_.rootPid);
    while (!queue.empty()) {
        const int pid = queue.back();
        queue.pop_back();
        for (const std::size_t i : children[pid])
            if (wanted.insert(all[i].pid).second) queue.push_back(all[i].pid);
    }
    std::vector<ProcStat> tree;
    for (const ProcStat& s : all)
        if (wanted.count(s.pid) && s.pid != options_.excludePid && s.state != 'Z' && s.state != 'X')
            tree.push_back(s);
    return tree;
}

bool SystemSampler::sample(double now, std::vector<NamedValue>& out) {
    const std::vector<ProcStat> tree = treeProcesses();
    if (tree.empty()) return false;
    processesSeen_ = std::max(processesSeen_, int(tree.size()));

    // Per-process counters: an exited process keeps its last figures in retired_.
    std::map<std::pair<int, unsigned long long>, Totals> seen;
    long long rssPages = 0;
    for (const ProcStat& s : tree) {
        Totals t;
        t.ticks = s.utimeTicks + s.stimeTicks;
        const ByteCounters io = readProcIo(s.pid);
        t.read = std::max(0LL, io.read);
        t.written = std::max(0LL, io.written);
        rssPages += s.rssPages;
        seen[{s.pid, s.startTicks}] = t;
    }
    for (const auto& [key, t] : live_) {
        if (seen.count(key)) continue;
        retired_.ticks += t.ticks;
        retired_.read += t.read;
        retired_.written += t.written;
    }
    live_ = std::move(seen);
    Totals total = retired_;
    for (const auto& [key, t] : live_) {
        total.ticks += t.ticks;
        total.read += t.read;
        total.written += t.written;
    }

    // The cgroup's figures where the run has one: they count every process that ever ran in it.
    double cpuSeconds = double(total.ticks) / double(ticksPerSecond_);
    long long memory = rssPages * pageBytes_;
    long long diskRead = total.read, diskWritten = total.written;
    bool usedCgroupCpu = false;
    if (!options_.cgroupDir.empty()) {
        const long long usec =
            parseCgroupCpuUsageUsec(readSmallFile(options_.cgroupDir + "/cpu.stat"));
        if (usec >= 0) cpuSeconds = double(usec) / 1e6;
        const std::string current = readSmallFile(options_.cgroupDir + "/memory.current");
        if (!current.empty()) memory = std::atoll(current.c_str());
        // Empty while nothing was read or written (or without the io controller): 0 and 0.
        const ByteCounters io =
            parseCgroupIoStat(readSmallFile(options_.cgroupDir + "/io.stat", 1 << 20));
        diskRead = std::max(diskRead, io.read);
        diskWritten = std::max(diskWritten, io.written);
        usedCgroupCpu = usec >= 0;
    }
    if (lastTime_ >= 0 && now > lastTime_ && lastCpuSeconds_ >= 0) {
        out.push_back({"cpu_percent",
                       std::max(0.0, 100.0 * (cpuSeconds - lastCpuSeconds_) / (now - lastTime_))});
    } else if (!usedCgroupCpu) {
        // The first sample: the tree's CPU time since its root started, so that a run shorter
        // than one interval still has a figure.
        const double up = std::atof(readSmallFile("/proc/uptime", 64).c_str());
        for (const ProcStat& s : tree) {
            const double age = up - double(s.startTicks) / double(ticksPerSecond_);
            if (s.pid == options_.rootPid && age > 0.05)
                out.push_back({"cpu_percent", std::max(0.0, 100.0 * cpuSeconds / age)});
        }
    }
    lastTime_ = now;
    lastCpuSeconds_ = cpuSeconds;
    out.push_back({"memory_rss_bytes", double(memory)});
    out.push_back({"disk_read_bytes", double(diskRead)});
    out.push_back({"disk_write_bytes", double(diskWritten)});

    // The namespace of the root, or of any process left once the root is gone.
    ByteCounters net = readNetDev(netPid_);
    if (net.read < 0) {
        netPid_ = tree.front().pid;
        net = readNetDev(netPid_);
    }
    if (net.read >= 0) {
        if (netRx0_ < 0) {
            netRx0_ = net.read;
            netTx0_ = net.written;
        }
        out.push_back({"net_rx_bytes", double(std::max(0LL, net.read - netRx0_))});
        out.push_back({"net_tx_bytes", double(std::max(0LL, net.written - netTx0_))});
    }
    addGpus(out);
    return true;
}

void SystemSampler::addGpus(std::vector<NamedValue>& out) const {
    if (!nvml_) return;
    for (const NvmlReading& r : nvml_->sample()) {
        const auto& ids = options_.gpuIds;
        const bool given =
            ids.empty() ||
            std::find(ids.begin(), ids.end(), std::to_string(r.index)) != ids.end() ||
            (!r.uuid.empty() && std::find(ids.begin(), ids.end(), r.uuid) != ids.end());
        if (!given) continue;
        const std::string prefix = "gpu" + std::to_string(r.index) + "_";
        if (r.utilization >= 0) out.push_back({prefix + "utilization", r.utilization});
        if (r.memoryUsedBytes >= 0)
            out.push_back({prefix + "memory_bytes", double(r.memoryUsedBytes)});
    }
}

} // namespace lb::sysmon
