#include "core/train/World.h"

#include <algorithm>
#include <cstdlib>
#include <sched.h>
#include <thread>

namespace lb::train {

namespace {
// A non-negative number from the environment, or `fallback` when unset or not a number.
int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const long value = std::strtol(v, &end, 10);
    return (*end == '\0' && value >= 0 && value < 1'000'000) ? int(value) : fallback;
}
} // namespace

World detectWorld() {
    struct Launcher {
        const char *rank, *size, *localRank, *localSize;
    };
    const Launcher launchers[] = {
        {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
         "OMPI_COMM_WORLD_LOCAL_SIZE"},
        {"PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS"},
        {"SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "SLURM_NTASKS_PER_NODE"},
    };
    World w;
    for (const Launcher& l : launchers) {
        const int size = envInt(l.size, 0);
        if (size < 1) continue;
        if (l.rank[0] == 'S' && !std::getenv("SLURM_STEP_ID")) continue; // a batch script
        w.size = size;
        w.rank = envInt(l.rank, 0);
        w.localRank = envInt(l.localRank, w.rank);
        w.localSize = std::max(1, envInt(l.localSize, 1));
        w.from = l.size;
        break;
    }
    return w;
}

int usableCores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : int(hw);
}

int defaultThreads(const World& world) {
    const int cores = usableCores();
    const int machine = int(std::thread::hardware_concurrency());
    if (world.localSize <= 1 || cores < machine) return cores;
    return std::max(1, cores / world.localSize);
}

} // namespace lb::train
