#pragma once
// Readers of the few /proc and cgroup v2 files the system sampler needs. Each parse function
// takes the file's text (so tests can feed it real files of a real child process), each read
// function reads the file of one process; nothing here throws or allocates beyond its result.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lb::sysmon {

// What /proc/PID/stat says about one process.
struct ProcStat {
    int pid = 0;
    int ppid = 0;
    char state = '?';                  // 'Z': a zombie, which counts as gone
    unsigned long long utimeTicks = 0; // user CPU time, in clock ticks
    unsigned long long stimeTicks = 0; // system CPU time, in clock ticks
    unsigned long long startTicks = 0; // start time since boot: with the pid, one identity
    long long rssPages = 0;
};

// Byte counters: /proc/PID/io (read_bytes, write_bytes: what reached the storage layer), a
// cgroup's io.stat (rbytes, wbytes summed over devices), /proc/PID/net/dev (rx, tx summed over
// every interface but the loopback). -1: not readable.
struct ByteCounters {
    long long read = -1;
    long long written = -1;
};

std::optional<ProcStat> parseProcStat(std::string_view text);
ByteCounters parseProcIo(std::string_view text);
ByteCounters parseNetDev(std::string_view text); // read = received, written = sent
ByteCounters parseCgroupIoStat(std::string_view text);
// usage_usec of a cgroup's cpu.stat; -1 when absent.
long long parseCgroupCpuUsageUsec(std::string_view text);

std::optional<ProcStat> readProcStat(int pid);
ByteCounters readProcIo(int pid);
ByteCounters readNetDev(int pid);

// The numeric entries of /proc.
std::vector<int> listPids();
// A small file's text ("" when it cannot be read); at most `limit` bytes.
std::string readSmallFile(const std::string& path, std::size_t limit = 1 << 16);

// The cgroup v2 folder (under /sys/fs/cgroup) of the Slurm job this process belongs to, when
// its /proc/self/cgroup path holds a "job_<SLURM_JOB_ID>" component; empty otherwise.
std::string slurmJobCgroup(std::string_view procSelfCgroup, std::string_view jobId);

} // namespace lb::sysmon
