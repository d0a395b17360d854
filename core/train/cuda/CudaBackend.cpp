#include "core/train/cuda/CudaBackend.h"

#include "core/train/cuda/Comm.h"
#include "core/train/cuda/CudaCheck.h"

#include "core/train/CudaPlugin.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lb::train::cuda {

namespace {
// cuBLAS's recommended workspace on Hopper; set once so no call allocates while capturing.
constexpr std::size_t kCublasWorkspace = 32u << 20;
// Room for the partial products of split-K gemms (16 x 128 x 1000 floats and more).
constexpr std::size_t kSplitWorkspace = 32u << 20;

cublasOperation_t op(Trans t) { return t == Trans::Yes ? CUBLAS_OP_T : CUBLAS_OP_N; }

std::string libraryVersion(int v, int majorDiv, int minorDiv) {
    return std::to_string(v / majorDiv) + "." + std::to_string(v % majorDiv / minorDiv);
}
} // namespace

CudaBackend::CudaBackend(const CudaBackendConfig& config) : config_(config) {
    LB_CUDA_CHECK(cudaSetDevice(config_.deviceId));
    cudaDeviceProp prop{};
    LB_CUDA_CHECK(cudaGetDeviceProperties(&prop, config_.deviceId));
    deviceName_ = prop.name;
    multiprocessors_ = prop.multiProcessorCount;
    // Non-blocking: nothing else (the legacy default stream) serialises with our work, and a
    // non-default stream is what graph capture needs.
    LB_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    LB_CUBLAS_CHECK(cublasCreate(&cublas_));
    LB_CUBLAS_CHECK(cublasSetStream(cublas_, stream_));
    LB_CUDA_CHECK(cudaMalloc(&cublasWorkspace_, kCublasWorkspace));
    LB_CUBLAS_CHECK(cublasSetWorkspace(cublas_, cublasWorkspace_, kCublasWorkspace));
    if (config_.splitK) {
        splitCapacity_ = kSplitWorkspace / sizeof(float);
        LB_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&splitWorkspace_), kSplitWorkspace));
    }
    LB_CUBLAS_CHECK(cublasSetMathMode(
        cublas_, config_.allowTf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    if (config_.cudnnActivations) {
        LB_CUDNN_CHECK(cudnnCreate(&cudnn_));
        LB_CUDNN_CHECK(cudnnSetStream(cudnn_, stream_));
        LB_CUDNN_CHECK(cudnnCreateActivationDescriptor(&relu_));
        LB_CUDNN_CHECK(cudnnSetActivationDescriptor(relu_, CUDNN_ACTIVATION_RELU,
                                                    CUDNN_NOT_PROPAGATE_NAN, 0.0));
        LB_CUDNN_CHECK(cudnnCreateTensorDescriptor(&tensorA_));
        LB_CUDNN_CHECK(cudnnCreateTensorDescriptor(&tensorB_));
    }
    if (config_.worldSize > 1) {
        World world;
        world.rank = config_.worldRank;
        world.size = config_.worldSize;
        world.localRank = config_.localRank;
        comm_ = std::make_unique<NcclCommunicator>(world);
    }
}

CudaBackend::~CudaBackend() {
    // Errors are ignored here: a destructor cannot report them and the process is ending.
    if (capturing_) {
        cudaGraph_t partial = nullptr;
        cudaStreamEndCapture(stream_, &partial);
        if (partial) cudaGraphDestroy(partial);
    }
    destroyGraph();
    comm_.reset();
    if (tensorA_) cudnnDestroyTensorDescriptor(tensorA_);
    if (tensorB_) cudnnDestroyTensorDescriptor(tensorB_);
    if (relu_) cudnnDestroyActivationDescriptor(relu_);
    if (cudnn_) cudnnDestroy(cudnn_);
    if (cublas_) cublasDestroy(cublas_);
    if (cublasWorkspace_) cudaFree(cublasWorkspace_);
    if (splitWorkspace_) cudaFree(splitWorkspace_);
    if (stream_) cudaStreamDestroy(stream_);
}

std::string CudaBackend::describe() const {
    int cublasVersion = 0;
    cublasGetVersion(cublas_, &cublasVersion);
    std::string s = "cuda (" + deviceName_ + ", device " + std::to_string(config_.deviceId) +
                    ", cuBLAS " + libraryVersion(cublasVersion, 10000, 100) +
                    (config_.allowTf32 ? ", TF32" : ", FP32") +
                    (config_.graphs ? ", CUDA graphs" : ", no graphs") +
                    (config_.splitK ? "" : ", no split-K") +
                    (config_.smallGemm ? "" : ", no small-gemm kernels");
    if (config_.cudnnActivations)
        s += ", cuDNN " + libraryVersion(int(cudnnGetVersion()), 10000, 100) + " activations";
    if (config_.worldSize > 1)
        s += ", rank " + std::to_string(config_.worldRank) + "/" +
             std::to_string(config_.worldSize) + " NCCL";
    return s + ")";
}

void* CudaBackend::allocate(std::size_t bytes) {
    void* p = nullptr;
    LB_CUDA_CHECK(cudaMalloc(&p, bytes == 0 ? 256 : bytes));
    return p;
}

void CudaBackend::release(void* p) noexcept {
    if (p) cudaFree(p);
}

void CudaBackend::copyToDevice(void* dst, const void* src, std::size_t bytes) {
    // Synchronous for the caller: `src` may be reused as soon as this returns.
    LB_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream_));
    LB_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::copyToHost(void* dst, const void* src, std::size_t bytes) {
    LB_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream_));
    LB_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::fillZero(void* dst, std::size_t bytes) {
    LB_CUDA_CHECK(cudaMemsetAsync(dst, 0, bytes, stream_));
}

void CudaBackend::synchronize() { LB_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

void CudaBackend::gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a,
                       int lda, const float* b, int ldb, float beta, float* c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (config_.smallGemm) {
        // Products with K or n of at most 16 (the 10-class layer): own kernels, as cuBLAS
        // spends 4-7 us on each of these ~2.5 MFLOP products inside a graph (measured on an
        // H100: 128x1000x10 7.4 -> 2.8 us, 128x10x1000 6.1 -> 3.6 us). A thread per output
        // only pays off for short K; the row kernel splits K across a block and wants A's rows
        // contiguous (for A^T, the n = 10 dW product, cuBLAS was faster: 4.4 against 5.8 us).
        const SmallGemmArgs g{ta == Trans::Yes, tb == Trans::Yes, m, n, k, alpha, a, lda,
                              b, ldb, beta, c, ldc};
        if (k <= 16) {
            launchSmallGemmDirect(stream_, g);
            return;
        }
        if (n <= kSmallGemmMaxN && ta == Trans::No) {
            launchSmallGemmRows(stream_, g);
            return;
        }
    }
    if (const int splits = splitCount(m, n, k); splits > 1) {
        gemmSplitK(ta, tb, m, n, k, splits, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    // cuBLAS is column-major. A row-major (m, n) matrix with leading dimension ldc is the
    // column-major (n, m) matrix C^T with the same ld, and C^T = op(B)^T op(A)^T: swap the
    // operands (and m with n), keep each one's transpose flag.
    LB_CUBLAS_CHECK(cublasSgemm(cublas_, op(tb), op(ta), n, m, k, &alpha, b, ldb, a, lda, &beta,
                                c, ldc));
}

// The MLP's products have small outputs and long K: a 128 x 1000 output is ~8 output tiles,
// so cuBLAS runs 8 thread blocks on a 132-SM H100, each looping over all of K (784, 1000). On
// such shapes the K range is cut into `splits` chunks, computed as one strided-batched gemm
// into a workspace and summed by a small kernel in a fixed order. Chunks divide K exactly and
// stay 16-byte aligned; otherwise (and for short K, big outputs) the plain gemm runs.
int CudaBackend::splitCount(int m, int n, int k) const {
    if (!splitWorkspace_ || k < 256) return 1;
    const long tiles = long((m + 127) / 128) * ((n + 127) / 128);
    if (tiles * 4 > multiprocessors_) return 1; // enough blocks already
    int target = int(std::min<long>({16, k / 64, multiprocessors_ / tiles}));
    for (int s = target; s >= 2; --s) {
        if (k % s == 0 && (k / s) % 4 == 0 && std::size_t(s) * m * n <= splitCapacity_) return s;
    }
    return 1;
}

void CudaBackend::gemmSplitK(Trans ta, Trans tb, int m, int n, int k, int splits, float alpha,
                             const float* a, int lda, const float* b, int ldb, float beta,
                             float* c, int ldc) {
    const int kc = k / splits;
    // Chunk j of op(A) is columns [j kc, (j+1) kc): stored A (m, k) starts at column j kc;
    // stored A^T (k, m) at row j kc. Likewise op(B)'s rows [j kc, (j+1) kc).
    const long long strideA = ta == Trans::No ? kc : (long long)kc * lda;
    const long long strideB = tb == Trans::No ? (long long)kc * ldb : kc;
    const float zero = 0.0f;
    // Partial j is a compact row-major (m, n) product: column-major (n, m) with ld n.
    LB_CUBLAS_CHECK(cublasSgemmStridedBatched(cublas_, op(tb), op(ta), n, m, kc, &alpha, b, ldb,
                                              strideB, a, lda, strideA, &zero, splitWorkspace_,
                                              n, (long long)m * n, splits));
    launchSplitKReduce(stream_, {splitWorkspace_, splits, m, n, beta, c, ldc});
}

void CudaBackend::biasActivation(float* y, const float* bias, int rows, int cols,
                                 Activation act) {
    if (rows <= 0 || cols <= 0) return;
    if (cudnn_) {
        // cuDNN: broadcast add of the bias, then the activation in place (two passes).
        const float one = 1.0f, zero = 0.0f;
        LB_CUDNN_CHECK(cudnnSetTensor4dDescriptor(tensorA_, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT,
                                                  rows, cols, 1, 1));
        LB_CUDNN_CHECK(cudnnSetTensor4dDescriptor(tensorB_, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT,
                                                  1, cols, 1, 1));
        LB_CUDNN_CHECK(cudnnAddTensor(cudnn_, &one, tensorB_, bias, &one, tensorA_, y));
        if (act == Activation::Relu) {
            LB_CUDNN_CHECK(
                cudnnActivationForward(cudnn_, relu_, &one, tensorA_, y, &zero, tensorA_, y));
        }
        return;
    }
    launchBiasActivation(stream_, {y, bias, rows, cols, act == Activation::Relu ? 1 : 0});
}

void CudaBackend::reluBackward(float* dy, const float* y, std::size_t n) {
    if (n == 0) return;
    if (cudnn_) {
        // ReLU's derivative is the same whether read from its input or its output, so the
        // output stands in for cuDNN's x.
        const float one = 1.0f, zero = 0.0f;
        LB_CUDNN_CHECK(cudnnSetTensor4dDescriptor(tensorA_, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT,
                                                  1, int(n), 1, 1));
        LB_CUDNN_CHECK(cudnnActivationBackward(cudnn_, relu_, &one, tensorA_, y, tensorA_, dy,
                                               tensorA_, y, &zero, tensorA_, dy));
        return;
    }
    launchReluBackward(stream_, {dy, y, n});
}

void CudaBackend::softmaxCrossEntropy(const float* logits, const std::int32_t* labels, int rows,
                                      int classes, float gradScale, float* dlogits,
                                      double* stats) {
    launchSoftmaxCrossEntropy(stream_,
                              {logits, labels, rows, classes, gradScale, dlogits, stats});
}

void CudaBackend::gatherRows(const float* src, const std::int32_t* srcLabels, int cols,
                             const std::int32_t* idx, int rows, float* dst,
                             std::int32_t* dstLabels) {
    const GatherArgs args{src, srcLabels, cols, idx, rows, dst, dstLabels};
    launchGather(stream_, args);
    if (capturing_) {
        gatherNode_ = lastCapturedNode();
        gatherArgs_ = args;
        ++gathersCaptured_;
    }
}

void CudaBackend::columnSum(const float* x, int rows, int cols, float* out) {
    launchColumnSum(stream_, {x, rows, cols, out});
}

void CudaBackend::optimizerStep(const OptimizerStep& step, float* params, const float* grads,
                                float* state1, float* state2, std::size_t n) {
    if (n == 0) return;
    if (step.kind == OptimizerKind::Sgd) {
        const SgdArgs args{step.sgd, params, grads, state1, n};
        launchSgd(stream_, args);
        if (capturing_) sgdArgs_ = args;
    } else {
        const AdamArgs args{step.adam, params, grads, state1, state2, n};
        launchAdam(stream_, args);
        if (capturing_) adamArgs_ = args;
    }
    if (capturing_) {
        optimizerNode_ = lastCapturedNode();
        capturedKind_ = step.kind;
        ++updatesCaptured_;
    }
}

void CudaBackend::allReduceSum(float* x, std::size_t n) {
    if (comm_ && n > 0) comm_->allReduceSum(x, n, stream_);
}

cudaGraphNode_t CudaBackend::lastCapturedNode() const {
    cudaStreamCaptureStatus status{};
    const cudaGraphNode_t* deps = nullptr;
    std::size_t count = 0;
    LB_CUDA_CHECK(
        cudaStreamGetCaptureInfo(stream_, &status, nullptr, nullptr, &deps, nullptr, &count));
    if (status != cudaStreamCaptureStatusActive || count != 1) {
        throw TrainError("internal error: the CUDA step capture lost track of its kernel nodes");
    }
    return deps[0];
}

void CudaBackend::destroyGraph() noexcept {
    if (graphExec_) cudaGraphExecDestroy(graphExec_);
    if (graph_) cudaGraphDestroy(graph_);
    graphExec_ = nullptr;
    graph_ = nullptr;
    gatherNode_ = optimizerNode_ = nullptr;
}

void CudaBackend::beginStepCapture() {
    destroyGraph();
    gathersCaptured_ = updatesCaptured_ = 0;
    // Thread-local: only this thread's calls are restricted while recording.
    LB_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
    capturing_ = true;
}

void CudaBackend::endStepCapture() {
    capturing_ = false;
    LB_CUDA_CHECK(cudaStreamEndCapture(stream_, &graph_));
    // The Trainer records exactly one of each; a recording without them (the GPU bench's
    // single-operation graphs) replays unchanged. Two would leave one of them stale.
    if (gathersCaptured_ > 1 || updatesCaptured_ > 1) {
        throw TrainError("internal error: a recorded step may hold at most one batch gather and "
                         "one optimizer update");
    }
    LB_CUDA_CHECK(cudaGraphInstantiate(&graphExec_, graph_, 0));
    LB_CUDA_CHECK(cudaGraphUpload(graphExec_, stream_));
}

void CudaBackend::replayStep(const std::int32_t* idx, const OptimizerStep& step) {
    if (!graphExec_) throw TrainError("internal error: replayStep() before a step was recorded");
    if (updatesCaptured_ > 0 && step.kind != capturedKind_) {
        throw TrainError("internal error: the optimizer changed after the step was recorded");
    }
    // Only what differs from the recorded step is rewritten: the node API costs ~1 us each.
    if (gatherNode_ && gatherArgs_.idx != idx) {
        gatherArgs_.idx = idx;
        updateKernelNode(graphExec_, gatherNode_, gatherArgs_);
    }
    if (!optimizerNode_) {
        // nothing to rewrite
    } else if (step.kind == OptimizerKind::Sgd) {
        if (std::memcmp(&sgdArgs_.p, &step.sgd, sizeof step.sgd) != 0) {
            sgdArgs_.p = step.sgd;
            updateKernelNode(graphExec_, optimizerNode_, sgdArgs_);
        }
    } else {
        adamArgs_.p = step.adam;
        updateKernelNode(graphExec_, optimizerNode_, adamArgs_);
    }
    LB_CUDA_CHECK(cudaGraphLaunch(graphExec_, stream_));
}

namespace {

bool envFlag(const char* name, bool fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "off") == 0 ||
             std::strcmp(v, "false") == 0);
}

std::string visibleDevicesNote() {
    const char* v = std::getenv("CUDA_VISIBLE_DEVICES");
    return v ? std::string(" (CUDA_VISIBLE_DEVICES=\"") + v + "\")" : std::string();
}

// Why no device can be used, as the sentence the user sees; empty when one can.
std::string probeDevices(int* count) {
    *count = 0; // cudaGetDeviceCount leaves it unwritten when there is no driver
    const cudaError_t e = cudaGetDeviceCount(count);
    if (e == cudaErrorInsufficientDriver) {
        return "no NVIDIA driver: the CUDA driver is missing or older than the CUDA " +
               std::to_string(CUDART_VERSION / 1000) +
               " runtime needs (cudaGetDeviceCount: cudaErrorInsufficientDriver)";
    }
    if (e == cudaErrorNoDevice || (e == cudaSuccess && *count == 0)) {
        return "no CUDA device" + visibleDevicesNote();
    }
    if (e != cudaSuccess) {
        return std::string("CUDA cannot start: cudaGetDeviceCount returned ") +
               cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")";
    }
    return {};
}

void copyError(const std::string& message, char* error, std::size_t size) {
    if (!error || size == 0) return;
    std::snprintf(error, size, "%s", message.c_str());
}

} // namespace

} // namespace lb::train::cuda

// The plugin's one entry point (CudaPlugin.h).
extern "C" __attribute__((visibility("default"))) int
labbench_train_create_cuda_backend(const LbTrainBackendConfig* config, void** backendOut,
                                   char* error, size_t errorSize) {
    using namespace lb::train::cuda;
    try {
        if (!config || !backendOut) throw lb::train::TrainError("null argument");
        *backendOut = nullptr;
        if (config->abiVersion != LB_TRAIN_CUDA_PLUGIN_ABI) {
            throw lb::train::TrainError(
                "the CUDA plugin speaks ABI " + std::to_string(LB_TRAIN_CUDA_PLUGIN_ABI) +
                " but labbench-train asked for " + std::to_string(config->abiVersion) +
                "; rebuild them together");
        }
        int count = 0;
        if (const std::string why = probeDevices(&count); !why.empty()) {
            throw lb::train::NoCudaDeviceError(why);
        }
        const lb::train::World world = lb::train::detectWorld();
        CudaBackendConfig c;
        // No --gpu_id: one process per GPU, so the node-local rank picks it.
        c.deviceId = config->deviceId >= 0 ? config->deviceId : world.localRank % count;
        if (c.deviceId >= count) {
            throw lb::train::TrainError("GPU " + std::to_string(c.deviceId) +
                                        " does not exist: " + std::to_string(count) +
                                        " CUDA device(s) visible" + visibleDevicesNote() +
                                        "; pick --gpu_id 0.." + std::to_string(count - 1));
        }
        c.allowTf32 = config->allowTf32 != 0;
        c.graphs = envFlag("LABBENCH_CUDA_GRAPHS", true);
        c.cudnnActivations = envFlag("LABBENCH_CUDA_CUDNN", false);
        c.splitK = envFlag("LABBENCH_CUDA_SPLITK", true);
        c.smallGemm = envFlag("LABBENCH_CUDA_SMALL_GEMM", true);
        c.worldRank = world.rank;
        c.worldSize = world.size;
        c.localRank = world.localRank;
        *backendOut = static_cast<lb::train::Backend*>(new CudaBackend(c));
        return 0;
    } catch (const std::exception& e) {
        copyError(e.what(), error, errorSize);
        if (dynamic_cast<const lb::train::NoCudaDeviceError*>(&e)) return LB_TRAIN_CUDA_NO_DEVICE;
    } catch (...) {
        copyError("unknown error creating the CUDA backend", error, errorSize);
    }
    return 1;
}
