#pragma once
// LB_HOST_DEVICE marks maths that both the CPU loops and CUDA kernels call: under nvcc it
// expands to __host__ __device__, elsewhere to nothing, so one definition serves both backends.

#if defined(__CUDACC__)
#define LB_HOST_DEVICE __host__ __device__
#else
#define LB_HOST_DEVICE
#endif
