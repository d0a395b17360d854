/* A stand-in for libnvidia-ml.so.1 with two GPUs and fixed readings, so the NVML reading path of
 * GpuMonitor and the run's GPU system metrics are tested on machines without a driver. It has
 * exactly the entry points (and C ABI) GpuMonitor resolves. */
#include <stdio.h>
#include <string.h>

typedef struct Device { int index; } Device;
static Device devices[2] = {{0}, {1}};
typedef struct { unsigned int gpu, memory; } Utilization;
typedef struct { unsigned long long total, free, used; } Memory;

int nvmlInit_v2(void) { return 0; }
int nvmlShutdown(void) { return 0; }
const char* nvmlErrorString(int r) { return r ? "fake error" : "success"; }
int nvmlDeviceGetCount_v2(unsigned int* n) { *n = 2; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, Device** d) {
    if (i >= 2) return 2;
    *d = &devices[i];
    return 0;
}
int nvmlDeviceGetName(Device* d, char* name, unsigned int size) {
    snprintf(name, size, "Fake GPU %d", d->index);
    return 0;
}
int nvmlDeviceGetUUID(Device* d, char* uuid, unsigned int size) {
    snprintf(uuid, size, "GPU-fake-%d", d->index);
    return 0;
}
int nvmlDeviceGetUtilizationRates(Device* d, Utilization* u) {
    u->gpu = 40 + d->index; /* gpu0: 40 %, gpu1: 41 % */
    u->memory = 10 + d->index;
    return 0;
}
int nvmlDeviceGetMemoryInfo(Device* d, Memory* m) {
    m->total = 80ull << 30;
    m->used = (unsigned long long)(d->index + 1) << 30; /* gpu0: 1024 MB, gpu1: 2048 MB */
    m->free = m->total - m->used;
    return 0;
}
int nvmlDeviceGetTemperature(Device* d, int sensor, unsigned int* t) {
    (void)sensor;
    *t = 50 + d->index;
    return 0;
}
int nvmlDeviceGetPowerUsage(Device* d, unsigned int* mw) {
    (void)d;
    (void)mw;
    return 3; /* NOT_SUPPORTED: a field NVML cannot give stays out of the metrics */
}
