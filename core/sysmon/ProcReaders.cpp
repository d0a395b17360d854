#include "core/sysmon/ProcReaders.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace lb::sysmon {

namespace {

// The next whitespace-separated word of `text` from `pos`, moving `pos` past it.
std::string_view nextWord(std::string_view text, std::size_t& pos) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n'))
        ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '\n')
        ++pos;
    return text.substr(start, pos - start);
}

long long toNumber(std::string_view word, bool* ok = nullptr) {
    long long value = 0;
    bool good = !word.empty();
    for (const char c : word) {
        if (c < '0' || c > '9') {
            good = false;
            break;
        }
        value = value * 10 + (c - '0');
    }
    if (ok) *ok = good;
    return good ? value : 0;
}

// The value after "key" on its line ("read_bytes: 4096", "usage_usec 123"); -1 when absent.
long long keyedValue(std::string_view text, std::string_view key) {
    std::size_t at = 0;
    while ((at = text.find(key, at)) != std::string_view::npos) {
        const bool lineStart = at == 0 || text[at - 1] == '\n';
        std::size_t pos = at + key.size();
        if (lineStart && pos < text.size() && (text[pos] == ':' || text[pos] == ' ')) {
            if (text[pos] == ':') ++pos;
            bool ok = false;
            const long long v = toNumber(nextWord(text, pos), &ok);
            return ok ? v : -1;
        }
        at = pos;
    }
    return -1;
}

std::string procPath(int pid, const char* file) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    return path;
}

} // namespace

std::optional<ProcStat> parseProcStat(std::string_view text) {
    // "PID (COMM) S PPID PGRP SESSION TTY TPGID FLAGS MINFLT CMINFLT MAJFLT CMAJFLT UTIME STIME
    //  CUTIME CSTIME PRIORITY NICE THREADS ITREAL STARTTIME VSIZE RSS ...": the name may hold
    // spaces and ')', so fields are counted from after the last ')'.
    const std::size_t close = text.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    ProcStat s;
    bool ok = false;
    std::size_t pid = 0;
    s.pid = int(toNumber(nextWord(text, pid), &ok));
    if (!ok) return std::nullopt;
    std::size_t pos = close + 1;
    std::string_view fields[22];
    for (auto& f : fields)
        f = nextWord(text, pos);
    if (fields[21].empty() || fields[0].empty()) return std::nullopt;
    // fields[0] is field 3 (state); field N is fields[N - 3].
    s.state = fields[0][0];
    s.ppid = int(toNumber(fields[1]));
    s.utimeTicks = static_cast<unsigned long long>(toNumber(fields[11]));
    s.stimeTicks = static_cast<unsigned long long>(toNumber(fields[12]));
    s.startTicks = static_cast<unsigned long long>(toNumber(fields[19]));
    s.rssPages = toNumber(fields[21]);
    return s;
}

ByteCounters parseProcIo(std::string_view text) {
    return {keyedValue(text, "read_bytes"), keyedValue(text, "write_bytes")};
}

ByteCounters parseNetDev(std::string_view text) {
    // Two header lines, then "  eth0: RXBYTES RXPACKETS ... (8 receive fields) TXBYTES ...".
    ByteCounters c;
    std::size_t lineStart = 0;
    while (lineStart < text.size()) {
        std::size_t lineEnd = text.find('\n', lineStart);
        if (lineEnd == std::string_view::npos) lineEnd = text.size();
        const std::string_view line = text.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 1;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::size_t p = 0;
        const std::string_view name = nextWord(line.substr(0, colon), p);
        if (name.empty() || name == "lo" || name.find('|') != std::string_view::npos) continue;
        std::size_t pos = colon + 1;
        std::string_view f[9];
        for (auto& w : f)
            w = nextWord(line, pos);
        bool okRx = false, okTx = false;
        const long long rx = toNumber(f[0], &okRx), tx = toNumber(f[8], &okTx);
        if (!okRx || !okTx) continue;
        c.read = (c.read < 0 ? 0 : c.read) + rx;
        c.written = (c.written < 0 ? 0 : c.written) + tx;
    }
    if (c.read < 0 && text.find("Inter-") != std::string_view::npos) c = {0, 0}; // only lo
    return c;
}

ByteCounters parseCgroupIoStat(std::string_view text) {
    // "8:0 rbytes=1 wbytes=2 rios=3 ..." one line per device; empty text: no I/O yet.
    ByteCounters c{0, 0};
    for (std::size_t at = 0; (at = text.find("bytes=", at)) != std::string_view::npos;) {
        const bool read = at > 0 && text[at - 1] == 'r';
        const bool written = at > 0 && text[at - 1] == 'w';
        std::size_t pos = at + 6;
        std::size_t end = pos;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9')
            ++end;
        const long long v = toNumber(text.substr(pos, end - pos));
        if (read) c.read += v;
        if (written) c.written += v;
        at = end;
    }
    return c;
}

long long parseCgroupCpuUsageUsec(std::string_view text) {
    return keyedValue(text, "usage_usec");
}

std::string readSmallFile(const std::string& path, std::size_t limit) {
    std::string text;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() >= limit) break;
    }
    ::close(fd);
    return text;
}

std::optional<ProcStat> readProcStat(int pid) {
    const std::string text = readSmallFile(procPath(pid, "stat"), 2048);
    return text.empty() ? std::nullopt : parseProcStat(text);
}

ByteCounters readProcIo(int pid) {
    const std::string text = readSmallFile(procPath(pid, "io"), 2048);
    return text.empty() ? ByteCounters{} : parseProcIo(text);
}

ByteCounters readNetDev(int pid) {
    const std::string text = readSmallFile(procPath(pid, "net/dev"));
    return text.empty() ? ByteCounters{} : parseNetDev(text);
}

std::vector<int> listPids() {
    std::vector<int> pids;
    DIR* dir = ::opendir("/proc");
    if (!dir) return pids;
    while (const dirent* d = ::readdir(dir)) {
        bool ok = false;
        const long long pid = toNumber(d->d_name, &ok);
        if (ok && pid > 0) pids.push_back(int(pid));
    }
    ::closedir(dir);
    return pids;
}

std::string slurmJobCgroup(std::string_view procSelfCgroup, std::string_view jobId) {
    // cgroup v2: one line "0::/system.slice/slurmstepd.scope/job_12/step_0/user/task_0".
    if (jobId.empty()) return {};
    const std::size_t v2 = procSelfCgroup.find("0::/");
    if (v2 == std::string_view::npos) return {};
    std::string_view path = procSelfCgroup.substr(v2 + 3);
    path = path.substr(0, path.find('\n'));
    const std::string component = "/job_" + std::string(jobId);
    const std::size_t at = path.find(component);
    if (at == std::string_view::npos) return {};
    const std::size_t end = at + component.size();
    if (end < path.size() && path[end] != '/') return {};
    return "/sys/fs/cgroup" + std::string(path.substr(0, end));
}

} // namespace lb::sysmon
