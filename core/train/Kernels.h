#pragma once
// The element-wise and per-row maths of the trainer, written once. The CPU backend calls these
// from its loops and a CUDA backend calls the very same functions from its kernels, so the CPU
// tests (gradient checks in double, backend-vs-reference) cover what the GPU runs. Templated on
// the scalar so the tests can run them in double. No std:: calls that device code lacks.

#include "core/train/HostDevice.h"

#include <math.h>

namespace lb::train::kernels {

// Forward of one hidden unit: z + b, then ReLU (max(0, .)); the output layer skips the ReLU.
template <typename T> LB_HOST_DEVICE inline T biasRelu(T z, T b) {
    const T v = z + b;
    return v > T(0) ? v : T(0);
}

// Backward of ReLU given its output y (y > 0 exactly where the input was > 0).
template <typename T> LB_HOST_DEVICE inline T reluBackward(T dy, T y) {
    return y > T(0) ? dy : T(0);
}

template <typename T> LB_HOST_DEVICE inline T expScalar(T x) {
    return exp(x);
}
template <> LB_HOST_DEVICE inline float expScalar<float>(float x) {
    return expf(x);
}
template <typename T> LB_HOST_DEVICE inline T logScalar(T x) {
    return log(x);
}
template <> LB_HOST_DEVICE inline float logScalar<float>(float x) {
    return logf(x);
}
template <typename T> LB_HOST_DEVICE inline T sqrtScalar(T x) {
    return sqrt(x);
}
template <> LB_HOST_DEVICE inline float sqrtScalar<float>(float x) {
    return sqrtf(x);
}

// Result of one row of softmax cross-entropy.
template <typename T> struct RowLoss {
    T loss;      // -log softmax(z)[label]
    int correct; // 1 when argmax(z) == label (first maximum wins ties)
};

// One row of softmax cross-entropy: z is (C) logits, label in [0, C). When dz is not null it
// receives (softmax(z) - onehot(label)) * gradScale, the gradient of loss * gradScale; the
// trainer passes gradScale = 1/B so dz is the gradient of the batch-mean loss. The max is
// subtracted first so exp never overflows; log-sum-exp gives the loss without log(0).
template <typename T>
LB_HOST_DEVICE inline RowLoss<T> softmaxCrossEntropyRow(const T* z, int C, int label, T gradScale,
                                                        T* dz) {
    int argmax = 0;
    T zmax = z[0];
    for (int c = 1; c < C; ++c) {
        if (z[c] > zmax) {
            zmax = z[c];
            argmax = c;
        }
    }
    T sum = T(0);
    for (int c = 0; c < C; ++c)
        sum += expScalar(z[c] - zmax);
    const T logSum = logScalar(sum);
    if (dz) {
        const T inv = T(1) / sum;
        for (int c = 0; c < C; ++c) {
            const T p = expScalar(z[c] - zmax) * inv;
            dz[c] = (p - (c == label ? T(1) : T(0))) * gradScale;
        }
    }
    return RowLoss<T>{logSum - (z[label] - zmax), argmax == label ? 1 : 0};
}

// Hyper-parameters of one optimizer step, prepared on the host once per step.
struct SgdParams {
    float lr;
    float momentum;    // 0 gives plain SGD
    float weightDecay; // L2: the gradient gets weightDecay * w added
};

struct AdamParams {
    float lr;
    float beta1;
    float beta2;
    float eps;
    float weightDecay;
    float biasCorrection1; // 1 - beta1^t, t counting from 1
    float biasCorrection2; // 1 - beta2^t
};

// SGD with momentum, PyTorch's form: v = momentum * v + g; w -= lr * v. With a constant lr it
// is the same trajectory as Chainer's MomentumSGD (v = momentum * v - lr * g; w += v).
template <typename T>
LB_HOST_DEVICE inline void sgdMomentumUpdate(T& w, T g, T& v, const SgdParams& p) {
    g += T(p.weightDecay) * w;
    v = T(p.momentum) * v + g;
    w -= T(p.lr) * v;
}

// Adam (Kingma & Ba) with bias correction and L2 weight decay added to the gradient, as
// torch.optim.Adam(weight_decay=...) does.
template <typename T>
LB_HOST_DEVICE inline void adamUpdate(T& w, T g, T& m, T& v, const AdamParams& p) {
    g += T(p.weightDecay) * w;
    m = T(p.beta1) * m + (T(1) - T(p.beta1)) * g;
    v = T(p.beta2) * v + (T(1) - T(p.beta2)) * g * g;
    const T mHat = m / T(p.biasCorrection1);
    const T vHat = v / T(p.biasCorrection2);
    w -= T(p.lr) * mHat / (sqrtScalar(vHat) + T(p.eps));
}

} // namespace lb::train::kernels
