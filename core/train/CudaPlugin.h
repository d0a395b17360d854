#pragma once
// The seam between labbench-train and the CUDA backend. The CUDA backend is a shared library
// (liblabbench-train-cuda.so, built only where nvcc and cuDNN are found) that makeBackend()
// loads with dlopen, so the program starts on machines with no driver or CUDA libraries.
//
// The plugin exports one C function, LB_TRAIN_CUDA_CREATE_SYMBOL, with the signature
// LbTrainCreateBackendFn. It returns 0 and a heap-allocated lb::train::Backend* (the host
// deletes it through the virtual destructor, so the plugin must be built by the same compiler
// and standard library as the host, which the one CMake build guarantees), or non-zero with a
// sentence in `error` ("no CUDA device", "driver too old: ..."): LB_TRAIN_CUDA_NO_DEVICE when
// the machine has no usable GPU (no driver, a driver too old, no device visible), 1 for any
// other failure.

#include <stddef.h>

#define LB_TRAIN_CUDA_PLUGIN_ABI 1
#define LB_TRAIN_CUDA_CREATE_SYMBOL "labbench_train_create_cuda_backend"
#define LB_TRAIN_CUDA_PLUGIN_FILE "liblabbench-train-cuda.so"
#define LB_TRAIN_CUDA_NO_DEVICE 2

extern "C" {

struct LbTrainBackendConfig {
    int abiVersion; // LB_TRAIN_CUDA_PLUGIN_ABI; a plugin refuses a version it does not know
    int deviceId;   // CUDA ordinal after CUDA_VISIBLE_DEVICES; -1 = device 0
    int allowTf32;  // non-zero: TF32 GEMMs
};

// backendOut receives an lb::train::Backend* cast to void*.
typedef int (*LbTrainCreateBackendFn)(const struct LbTrainBackendConfig* config, void** backendOut,
                                      char* error, size_t errorSize);
}
