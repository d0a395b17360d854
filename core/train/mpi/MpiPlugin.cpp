// liblabbench-train-mpi.so: MPI for the CPU backend's data-parallel training (see
// ../MpiPlugin.h). Only the main thread calls MPI (MPI_THREAD_FUNNELED); the backend's worker
// threads never do.

#include "core/train/MpiPlugin.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <dlfcn.h>
#include <mpi.h>
#include <string>

namespace {

void copyError(const std::string& text, char* error, size_t errorSize) {
    if (!error || errorSize == 0) return;
    std::snprintf(error, errorSize, "%s", text.c_str());
}

// "MPI_Allreduce failed: <MPI's own words>".
int fail(const char* call, int code, char* error, size_t errorSize) {
    char text[MPI_MAX_ERROR_STRING] = {0};
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) std::snprintf(text, sizeof text, "?");
    copyError(std::string(call) + " failed: " + text, error, errorSize);
    return 1;
}

int allReduceSumFloat(float* x, size_t n, char* error, size_t errorSize) {
    // MPI counts are int: sum larger buffers in pieces.
    for (size_t done = 0; done < n;) {
        const int count = int(std::min<size_t>(n - done, INT_MAX));
        const int rc =
            MPI_Allreduce(MPI_IN_PLACE, x + done, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        if (rc != MPI_SUCCESS) return fail("MPI_Allreduce", rc, error, errorSize);
        done += size_t(count);
    }
    return 0;
}

int finalize(char* error, size_t errorSize) {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised) return 0;
    const int rc = MPI_Finalize();
    return rc == MPI_SUCCESS ? 0 : fail("MPI_Finalize", rc, error, errorSize);
}

void abortJob(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
}

} // namespace

extern "C" __attribute__((visibility("default"))) int
labbench_train_mpi_open(int abiVersion, LbTrainMpi* out, char* error, size_t errorSize) {
    if (abiVersion != LB_TRAIN_MPI_PLUGIN_ABI || !out) {
        copyError("the MPI plugin speaks ABI " + std::to_string(LB_TRAIN_MPI_PLUGIN_ABI) +
                      " but labbench-train asked for " + std::to_string(abiVersion) +
                      "; install them from one build",
                  error, errorSize);
        return 1;
    }
    // labbench-train loaded this plugin, and libmpi with it, RTLD_LOCAL; Open MPI's components
    // (dlopened by MPI_Init) look for libmpi's symbols globally. Promote the loaded libmpi to
    // global first, as mpi4py does (RTLD_NOLOAD: only the one already in use).
    for (const char* soname : {"libmpi.so.40", "libmpi.so.12", "libmpi.so"}) {
        if (dlopen(soname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD)) break;
    }
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
        int provided = 0;
        const int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        if (rc != MPI_SUCCESS) return fail("MPI_Init_thread", rc, error, errorSize);
    }
    // Errors come back as codes that labbench-train reports, instead of MPI's default abort.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rc = MPI_Comm_rank(MPI_COMM_WORLD, &out->rank);
    if (rc != MPI_SUCCESS) return fail("MPI_Comm_rank", rc, error, errorSize);
    rc = MPI_Comm_size(MPI_COMM_WORLD, &out->size);
    if (rc != MPI_SUCCESS) return fail("MPI_Comm_size", rc, error, errorSize);
    out->allReduceSumFloat = allReduceSumFloat;
    out->finalize = finalize;
    out->abortJob = abortJob;
    return 0;
}
