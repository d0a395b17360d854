#pragma once
// Backend: the operations the MLP trainer needs from a device (CPU today, CUDA as a plugin).
// All pointers passed to these operations are *device* pointers obtained from allocate();
// matrices are row-major float32. The model code (Mlp, Trainer) only talks to this interface,
// so a new backend touches no model code. Element-wise maths lives in Kernels.h, shared.

#include "core/train/Kernels.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace lb::train {

enum class Trans { No, Yes };
enum class Activation { None, Relu };
enum class OptimizerKind { Sgd, Adam };

// One optimizer step's hyper-parameters; exactly one of the two is used, chosen by kind.
struct OptimizerStep {
    OptimizerKind kind = OptimizerKind::Sgd;
    kernels::SgdParams sgd{};
    kernels::AdamParams adam{};
};

class Backend {
public:
    virtual ~Backend() = default;

    // One line for logs, e.g. "cpu (OpenBLAS, 2 threads)".
    virtual std::string describe() const = 0;

    // --- memory: device pointers, only valid for this backend's operations ---
    virtual void* allocate(std::size_t bytes) = 0;
    virtual void release(void* p) noexcept = 0;
    virtual void copyToDevice(void* dst, const void* src, std::size_t bytes) = 0;
    virtual void copyToHost(void* dst, const void* src, std::size_t bytes) = 0;
    virtual void fillZero(void* dst, std::size_t bytes) = 0;
    // Waits until queued work is done (CPU: nothing queued).
    virtual void synchronize() {}

    // --- matrix products ---
    // C(m,n) = alpha * op(A)(m,k) * op(B)(k,n) + beta * C, row-major with leading dimensions.
    virtual void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
                      const float* b, int ldb, float beta, float* c, int ldc) = 0;

    // --- a layer's product with its element-wise neighbours ---
    // A backend that can fuse them into the product (one pass over y instead of two) overrides
    // these; the defaults are the two separate operations, so both give the same numbers.
    // y(rows, cols) = act(x(rows, k) * W(k, cols) + bias): a dense layer's forward pass.
    virtual void linearForward(const float* x, const float* w, const float* bias, int rows,
                               int cols, int k, Activation act, float* y) {
        gemm(Trans::No, Trans::No, rows, cols, k, 1.0f, x, k, w, cols, 0.0f, y, cols);
        biasActivation(y, bias, rows, cols, act);
    }
    // dx(rows, k) = (delta(rows, cols) * W(k, cols)^T) * (y > 0): the gradient that flows into a
    // layer's input x = y, the output of the ReLU before it.
    virtual void linearInputGradientRelu(const float* delta, const float* w, const float* y,
                                         int rows, int cols, int k, float* dx) {
        gemm(Trans::No, Trans::Yes, rows, k, cols, 1.0f, delta, cols, w, cols, 0.0f, dx, k);
        reluBackward(dx, y, std::size_t(rows) * k);
    }

    // dW(k, cols) = x(rows, k)^T * delta(rows, cols), then the optimizer step on w(k, cols) with
    // it: a dense layer's weight gradient and update. A backend that fuses them
    // (fusesWeightStep()) never writes the gradient out and leaves dW unspecified; the numbers
    // are the same either way.
    virtual void linearWeightStep(const float* x, const float* delta, int rows, int k, int cols,
                                  const OptimizerStep& step, float* w, float* state1,
                                  float* state2, float* dW) {
        gemm(Trans::Yes, Trans::No, k, cols, rows, 1.0f, x, k, delta, cols, 0.0f, dW, cols);
        optimizerStep(step, w, dW, state1, state2, std::size_t(k) * cols);
    }
    // True when linearWeightStep is one pass (the Trainer then steps layer by layer as the
    // backward pass goes, instead of once over all parameters at the end).
    virtual bool fusesWeightStep() const { return false; }

    // --- element-wise / per-row ---
    // y(rows, cols) = act(y + bias(cols)) in place: the linear layer's epilogue.
    virtual void biasActivation(float* y, const float* bias, int rows, int cols,
                                Activation act) = 0;
    // dy(n) = dy * (y > 0) in place: ReLU backward given the ReLU's output y(n).
    virtual void reluBackward(float* dy, const float* y, std::size_t n) = 0;
    // Softmax cross-entropy over logits(rows, classes) against labels(rows). If dlogits is not
    // null it receives (softmax - onehot) * gradScale. stats(2, double) accumulates:
    // stats[0] += sum of row losses, stats[1] += number of rows whose argmax is the label.
    virtual void softmaxCrossEntropy(const float* logits, const std::int32_t* labels, int rows,
                                     int classes, float gradScale, float* dlogits,
                                     double* stats) = 0;
    // dst(rows, cols) = src[idx[r], :] and dstLabels[r] = srcLabels[idx[r]]: the batch gather
    // from a dataset resident on the device, through a shuffled index that is on the device too.
    virtual void gatherRows(const float* src, const std::int32_t* srcLabels, int cols,
                            const std::int32_t* idx, int rows, float* dst,
                            std::int32_t* dstLabels) = 0;

    // --- reductions ---
    // out(cols) = sum over rows of x(rows, cols): the bias gradient.
    virtual void columnSum(const float* x, int rows, int cols, float* out) = 0;

    // --- optimizer ---
    // One update of n parameters (all layers live in one flat buffer). state1 is the momentum
    // (SGD) or first moment (Adam); state2 is Adam's second moment (unused by SGD).
    virtual void optimizerStep(const OptimizerStep& step, float* params, const float* grads,
                               float* state1, float* state2, std::size_t n) = 0;

    // --- communication ---
    // Sums x(n) (a device pointer) across the ranks of a data-parallel job, result on every
    // rank; a collective: every rank calls it in the same order. A single process has nothing to
    // sum with; MPI (CPU) and NCCL (CUDA) implement it across ranks.
    virtual void allReduceSum(float* x, std::size_t n) = 0;
    virtual int worldSize() const { return 1; }
    virtual int rank() const { return 0; }

    // --- step graphs (optional; the CPU backend has none) ---
    // A backend that can record one training step and replay it (CUDA graphs) returns true.
    // The Trainer then calls beginStepCapture(), issues one full step's operations (recorded,
    // not executed: exactly one gatherRows and one optimizerStep among them),
    // endStepCapture(), and from then on replayStep() once per full batch with that batch's
    // index and optimizer hyper-parameters. Sizes and every other pointer stay as recorded.
    virtual bool supportsStepCapture() const { return false; }
    virtual void beginStepCapture() {}
    virtual void endStepCapture() {}
    virtual void replayStep(const std::int32_t* /*idx*/, const OptimizerStep& /*step*/) {}
};

// A typed device buffer owned by a backend (RAII; move-only). Sizes are in elements.
template <typename T> class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(Backend& backend, std::size_t count)
        : backend_(&backend)
        , count_(count)
        , data_(static_cast<T*>(backend.allocate(count * sizeof(T)))) {}
    DeviceBuffer(DeviceBuffer&& o) noexcept { swap(o); }
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        DeviceBuffer tmp(std::move(o));
        swap(tmp);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer() {
        if (backend_ && data_) backend_->release(data_);
    }
    T* data() const { return data_; }
    std::size_t size() const { return count_; }
    void upload(const T* host, std::size_t n) {
        backend_->copyToDevice(data_, host, n * sizeof(T));
    }
    void download(T* host, std::size_t n) const {
        backend_->copyToHost(host, data_, n * sizeof(T));
    }
    void zero() { backend_->fillZero(data_, count_ * sizeof(T)); }

private:
    void swap(DeviceBuffer& o) noexcept {
        std::swap(backend_, o.backend_);
        std::swap(count_, o.count_);
        std::swap(data_, o.data_);
    }
    Backend* backend_ = nullptr;
    std::size_t count_ = 0;
    T* data_ = nullptr;
};

enum class BackendKind { Auto, Cpu, Cuda };

struct BackendOptions {
    int threads = 0;        // CPU threads; 0 = every core
    int deviceId = -1;      // GPU ordinal for CUDA; -1 = let auto decide (device 0)
    bool allowTf32 = false; // CUDA: TF32 tensor-core GEMMs (an opt-in)
};

// Parses "auto", "cpu", "cuda"; throws TrainError naming the flag otherwise.
BackendKind parseBackendKind(const std::string& text);

// The one place that picks a backend. Cpu: the CPU backend, joined through MPI (Comm.h) to the
// other ranks when a launcher started several processes. Cuda: loads the CUDA plugin
// (CudaPlugin.h) or throws TrainError with the reason ("CUDA backend not built", "no device").
// Auto: tries the plugin and falls back to CPU, writing one line saying why to `notice`.
std::unique_ptr<Backend> makeBackend(BackendKind kind, const BackendOptions& options,
                                     std::string* notice = nullptr);

} // namespace lb::train
