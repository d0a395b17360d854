#pragma once
// The CUDA backend (inside liblabbench-train-cuda.so): cuBLAS SGEMM for the matrix products,
// the plugin's fused kernels (CudaKernels.cu, the shared Kernels.h maths) for everything else,
// all queued on one stream with no host synchronisation inside a step, the step recorded once
// as a CUDA graph and replayed, gradients summed across processes with NCCL (Comm.h).

#include "core/train/Backend.h"

#include "core/train/cuda/CudaKernels.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <memory>
#include <string>

namespace lb::train::cuda {

class NcclCommunicator;

struct CudaBackendConfig {
    int deviceId = 0;      // ordinal after CUDA_VISIBLE_DEVICES
    bool allowTf32 = false; // TF32 tensor-core SGEMM
    bool graphs = true;     // record the step as a CUDA graph (LABBENCH_CUDA_GRAPHS=0 turns off)
    // Bias+ReLU and ReLU backward through cuDNN instead of the fused kernels
    // (LABBENCH_CUDA_CUDNN=1): a comparison path, two passes where the kernel makes one.
    bool cudnnActivations = false;
    bool splitK = true; // split long-K products of small outputs (LABBENCH_CUDA_SPLITK=0: off)
    bool smallGemm = true; // own kernels for products with a dimension <= 16
                           // (LABBENCH_CUDA_SMALL_GEMM=0: cuBLAS for everything)
    int worldRank = 0, worldSize = 1, localRank = 0;
};

class CudaBackend final : public Backend {
public:
    explicit CudaBackend(const CudaBackendConfig& config);
    ~CudaBackend() override;
    CudaBackend(const CudaBackend&) = delete;
    CudaBackend& operator=(const CudaBackend&) = delete;

    std::string describe() const override;

    void* allocate(std::size_t bytes) override;
    void release(void* p) noexcept override;
    void copyToDevice(void* dst, const void* src, std::size_t bytes) override;
    void copyToHost(void* dst, const void* src, std::size_t bytes) override;
    void fillZero(void* dst, std::size_t bytes) override;
    void synchronize() override;

    void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
              const float* b, int ldb, float beta, float* c, int ldc) override;
    void biasActivation(float* y, const float* bias, int rows, int cols, Activation act) override;
    void reluBackward(float* dy, const float* y, std::size_t n) override;
    void softmaxCrossEntropy(const float* logits, const std::int32_t* labels, int rows,
                             int classes, float gradScale, float* dlogits,
                             double* stats) override;
    void gatherRows(const float* src, const std::int32_t* srcLabels, int cols,
                    const std::int32_t* idx, int rows, float* dst,
                    std::int32_t* dstLabels) override;
    void columnSum(const float* x, int rows, int cols, float* out) override;
    void optimizerStep(const OptimizerStep& step, float* params, const float* grads,
                       float* state1, float* state2, std::size_t n) override;
    void allReduceSum(float* x, std::size_t n) override;
    int worldSize() const override { return config_.worldSize; }
    int rank() const override { return config_.worldRank; }

    bool supportsStepCapture() const override { return config_.graphs; }
    void beginStepCapture() override;
    void endStepCapture() override;
    void replayStep(const std::int32_t* idx, const OptimizerStep& step) override;

private:
    int splitCount(int m, int n, int k) const;
    void gemmSplitK(Trans ta, Trans tb, int m, int n, int k, int splits, float alpha,
                    const float* a, int lda, const float* b, int ldb, float beta, float* c,
                    int ldc);
    // The kernel node the stream has just recorded (valid only while capturing).
    cudaGraphNode_t lastCapturedNode() const;
    void destroyGraph() noexcept;

    CudaBackendConfig config_;
    std::string deviceName_;
    cudaStream_t stream_ = nullptr;
    cublasHandle_t cublas_ = nullptr;
    void* cublasWorkspace_ = nullptr; // fixed, so cuBLAS allocates nothing while capturing
    int multiprocessors_ = 1;
    float* splitWorkspace_ = nullptr; // partial products of split-K gemms
    std::size_t splitCapacity_ = 0;   // in floats
    cudnnHandle_t cudnn_ = nullptr;   // only with cudnnActivations
    cudnnActivationDescriptor_t relu_ = nullptr;
    cudnnTensorDescriptor_t tensorA_ = nullptr, tensorB_ = nullptr;
    std::unique_ptr<NcclCommunicator> comm_;

    // The recorded step: its graph, and the two nodes whose arguments change per step.
    bool capturing_ = false;
    cudaGraph_t graph_ = nullptr;
    cudaGraphExec_t graphExec_ = nullptr;
    cudaGraphNode_t gatherNode_ = nullptr, optimizerNode_ = nullptr;
    int gathersCaptured_ = 0, updatesCaptured_ = 0;
    GatherArgs gatherArgs_{};
    SgdArgs sgdArgs_{};
    AdamArgs adamArgs_{};
    OptimizerKind capturedKind_ = OptimizerKind::Sgd;
};

} // namespace lb::train::cuda
