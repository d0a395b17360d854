// The error side of CudaCheck.h: one sentence per failure with the call, its place and the
// library's own name for the error.

#include "core/train/cuda/CudaCheck.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>
#include <nccl.h>

#if LB_HAVE_MPI
#include <mpi.h>
#endif

namespace lb::train::cuda {

namespace {
[[noreturn]] void fail(const char* library, const std::string& what, const char* file, int line,
                       const char* expr) {
    // Only the file name: the build machine's source path means nothing to the user.
    std::string name = file;
    if (const auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    throw TrainError(std::string(library) + " call failed at " + name + ":" +
                     std::to_string(line) + ": " + expr + " returned " + what);
}
} // namespace

void throwCudaError(int code, const char* file, int line, const char* expr) {
    const auto e = static_cast<cudaError_t>(code);
    fail("CUDA", std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ")", file,
         line, expr);
}

void throwCublasError(int code, const char* file, int line, const char* expr) {
    fail("cuBLAS", cublasGetStatusName(static_cast<cublasStatus_t>(code)), file, line, expr);
}

void throwCudnnError(int code, const char* file, int line, const char* expr) {
    fail("cuDNN", cudnnGetErrorString(static_cast<cudnnStatus_t>(code)), file, line, expr);
}

void throwNcclError(int code, const char* file, int line, const char* expr) {
    fail("NCCL", ncclGetErrorString(static_cast<ncclResult_t>(code)), file, line, expr);
}

void throwMpiError(int code, const char* file, int line, const char* expr) {
#if LB_HAVE_MPI
    char text[MPI_MAX_ERROR_STRING] = {0};
    int length = 0;
    MPI_Error_string(code, text, &length);
    fail("MPI", std::string(text, std::size_t(length)), file, line, expr);
#else
    fail("MPI", "error " + std::to_string(code), file, line, expr);
#endif
}

} // namespace lb::train::cuda
