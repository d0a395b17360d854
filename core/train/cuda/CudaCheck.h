#pragma once
// Every CUDA runtime, cuBLAS, cuDNN and NCCL call of the plugin goes through one of these
// macros: a failure throws lb::train::TrainError naming the call's file:line, the library's
// own error name and message, so a user report points at the exact call.

// Default visibility for the error types: the plugin is built with hidden symbols, and a
// TrainError thrown here must still be caught as one by labbench-train.
#pragma GCC visibility push(default)
#include "core/train/Error.h"
#pragma GCC visibility pop

#include <string>

namespace lb::train::cuda {

[[noreturn]] void throwCudaError(int code, const char* file, int line, const char* expr);
[[noreturn]] void throwCublasError(int code, const char* file, int line, const char* expr);
[[noreturn]] void throwCudnnError(int code, const char* file, int line, const char* expr);
[[noreturn]] void throwNcclError(int code, const char* file, int line, const char* expr);
[[noreturn]] void throwMpiError(int code, const char* file, int line, const char* expr);

} // namespace lb::train::cuda

#define LB_CUDA_CHECK(expr)                                                                    \
    do {                                                                                       \
        const int lbCode_ = static_cast<int>(expr);                                            \
        if (lbCode_ != 0) ::lb::train::cuda::throwCudaError(lbCode_, __FILE__, __LINE__, #expr); \
    } while (0)

#define LB_CUBLAS_CHECK(expr)                                                                  \
    do {                                                                                       \
        const int lbCode_ = static_cast<int>(expr);                                            \
        if (lbCode_ != 0)                                                                      \
            ::lb::train::cuda::throwCublasError(lbCode_, __FILE__, __LINE__, #expr);           \
    } while (0)

#define LB_CUDNN_CHECK(expr)                                                                   \
    do {                                                                                       \
        const int lbCode_ = static_cast<int>(expr);                                            \
        if (lbCode_ != 0)                                                                      \
            ::lb::train::cuda::throwCudnnError(lbCode_, __FILE__, __LINE__, #expr);            \
    } while (0)

#define LB_NCCL_CHECK(expr)                                                                    \
    do {                                                                                       \
        const int lbCode_ = static_cast<int>(expr);                                            \
        if (lbCode_ != 0) ::lb::train::cuda::throwNcclError(lbCode_, __FILE__, __LINE__, #expr); \
    } while (0)

#define LB_MPI_CHECK(expr)                                                                     \
    do {                                                                                       \
        const int lbCode_ = static_cast<int>(expr);                                            \
        if (lbCode_ != 0) ::lb::train::cuda::throwMpiError(lbCode_, __FILE__, __LINE__, #expr); \
    } while (0)

// A kernel launch has no return value: check the launch error right after it.
#define LB_CUDA_CHECK_LAUNCH() LB_CUDA_CHECK(cudaGetLastError())
