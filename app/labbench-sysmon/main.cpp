// labbench-sysmon: samples the system metrics of one run's processes on this node every few
// seconds and appends them to RUN/system/<node>.jsonl (core/sysmon/SampleLines.h), until no
// process of the run is left or it gets SIGTERM (then one last sample). Qt-free and linked with
// a static libstdc++, so the same file runs on a remote Linux machine of this architecture.
//
//   labbench-sysmon --pid PID --out-dir RUN/system [--node NAME] [--interval SECONDS]
//                   [--gpus LIST|none] [--cgroup PATH|auto]
//   labbench-sysmon --version
#include "core/sysmon/SampleLines.h"
#include "core/sysmon/SystemSampler.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

volatile sig_atomic_t g_stop = 0;
void onStop(int) {
    g_stop = 1;
}

double monotonicSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Sleeps until `until` (monotonic) or a stop signal, whichever comes first.
void sleepUntil(double until) {
    while (!g_stop) {
        const double left = until - monotonicSeconds();
        if (left <= 0) return;
        const double step = left < 0.5 ? left : 0.5; // a lost signal costs half a second at most
        timespec ts{time_t(step), long((step - double(time_t(step))) * 1e9)};
        nanosleep(&ts, nullptr);
    }
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (const char c : text + ",") {
        if (c == ',' || c == ' ') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    return out;
}

[[noreturn]] void usage(const char* why) {
    std::fprintf(
        stderr,
        "labbench-sysmon: %s\nusage: labbench-sysmon --pid PID --out-dir DIR [--node NAME] "
        "[--interval SECONDS] [--gpus LIST|none] [--cgroup PATH|auto]\n",
        why);
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    lb::sysmon::SamplerOptions options;
    std::string outDir, node, cgroup;
    double interval = 5;
    bool gpusGiven = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--version") { // what labbench-remote.sh asks to learn that it runs here
            std::printf("labbench-sysmon 1\n");
            return 0;
        }
        if (i + 1 >= argc) usage(("missing the value of " + a).c_str());
        const std::string v = argv[++i];
        if (a == "--pid") {
            options.rootPid = std::atoi(v.c_str());
        } else if (a == "--out-dir") {
            outDir = v;
        } else if (a == "--node") {
            node = v;
        } else if (a == "--interval") {
            interval = std::atof(v.c_str());
        } else if (a == "--gpus") {
            gpusGiven = true;
            options.gpus = v != "none";
            if (options.gpus) options.gpuIds = splitList(v);
        } else if (a == "--cgroup") {
            cgroup = v;
        } else {
            usage(("unknown option " + a).c_str());
        }
    }
    if (options.rootPid <= 0) usage("--pid needs the pid of the run's first process");
    if (outDir.empty()) usage("--out-dir needs the run's system/ folder");
    if (!(interval >= 0.05)) usage("--interval must be at least 0.05 seconds");
    if (!gpusGiven) { // the devices the job was given, else every GPU
        const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
        if (visible && *visible) options.gpuIds = splitList(visible);
    }
    if (cgroup == "auto") {
        const char* job = std::getenv("SLURM_JOB_ID");
        cgroup = lb::sysmon::slurmJobCgroup(lb::sysmon::readSmallFile("/proc/self/cgroup"),
                                            job ? job : "");
    }
    if (!cgroup.empty() && lb::sysmon::readSmallFile(cgroup + "/memory.current").empty())
        cgroup.clear(); // not a cgroup v2 folder with the memory controller: the tree's figures
    options.cgroupDir = cgroup;
    options.excludePid = int(getpid());
    if (node.empty()) node = lb::sysmon::nodeName();

    struct sigaction sa {};
    sa.sa_handler = onStop;
    sigemptyset(&sa.sa_mask);
    for (int s : {SIGTERM, SIGINT, SIGHUP})
        sigaction(s, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);

    ::mkdir(outDir.c_str(), 0755);
    const std::string out = outDir + "/" + lb::sysmon::safeFileName(node) + ".jsonl";
    lb::sysmon::SystemSampler sampler(options);
    if (!sampler.gpuNote().empty() && !options.gpuIds.empty())
        std::fprintf(stderr, "labbench-sysmon: no GPU metrics: %s\n", sampler.gpuNote().c_str());

    const double started = monotonicSeconds();
    long long step = 0;
    bool warned = false;
    std::vector<lb::sysmon::NamedValue> values;
    for (double next = started;; next += interval) {
        values.clear();
        if (!sampler.sample(monotonicSeconds(), values)) break; // the run's processes are gone
        const std::string lines =
            lb::sysmon::formatSampleLines(values, step++, lb::sysmon::isoTimeNow(), node);
        if (!lb::sysmon::appendToFile(out, lines) && !warned) {
            std::fprintf(stderr, "labbench-sysmon: cannot write %s: %s\n", out.c_str(),
                         std::strerror(errno));
            warned = true;
        }
        if (g_stop) break;
        sleepUntil(next + interval);
    }
    // Its own cost, for the record (it must stay under 1% of a core).
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    const double cpu = double(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                       double(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
    const double wall = monotonicSeconds() - started;
    std::fprintf(stderr,
                 "labbench-sysmon: %lld samples in %.1f s, own CPU %.3f s (%.3f%% of a core)\n",
                 step, wall, cpu, wall > 0 ? 100.0 * cpu / wall : 0.0);
    return 0;
}
