// The element-wise maths that the CUDA kernels run (Kernels.h, LB_HOST_DEVICE), checked on the
// CPU: float against double references, finite differences, the edge cases a GPU would hit
// (huge logits, ties, zero momentum), and the two optimizer forms against their textbook
// definitions. What passes here is what CudaKernels.cu calls, line for line.

#include "tests/gpu/Check.h"

#include "core/train/Kernels.h"

#include <cmath>
#include <random>
#include <vector>

namespace k = lb::train::kernels;

namespace {

bool close(double a, double b, double rel, double abs = 1e-12) {
    return std::fabs(a - b) <= abs + rel * std::max(std::fabs(a), std::fabs(b));
}

void biasReluAndBackward() {
    CHECK(k::biasRelu(1.5f, -0.5f) == 1.0f);
    CHECK(k::biasRelu(-1.0f, 0.5f) == 0.0f);
    CHECK(k::biasRelu(-0.5f, 0.5f) == 0.0f); // exactly zero stays zero (and blocks the gradient)
    CHECK(k::reluBackward(2.0f, 0.0f) == 0.0f);
    CHECK(k::reluBackward(2.0f, 1e-30f) == 2.0f);
    CHECK(k::reluBackward(-3.0, 4.0) == -3.0);
}

// Softmax cross-entropy of one row in float against the same row in double, and the gradient
// against central finite differences of the double loss.
void softmaxRowMatchesDoubleAndFiniteDifferences() {
    std::mt19937 rng(7);
    std::normal_distribution<double> normal(0.0, 3.0);
    for (int trial = 0; trial < 50; ++trial) {
        const int C = 2 + trial % 12;
        const int label = trial % C;
        std::vector<double> z(C), dzd(C), probe(C);
        std::vector<float> zf(C), dzf(C);
        for (int c = 0; c < C; ++c) zf[c] = float(normal(rng)), z[c] = zf[c];
        const double scale = 1.0 / 7.0;
        const auto rd = k::softmaxCrossEntropyRow<double>(z.data(), C, label, scale, dzd.data());
        const auto rf =
            k::softmaxCrossEntropyRow<float>(zf.data(), C, label, float(scale), dzf.data());
        CHECK_MSG(close(rf.loss, rd.loss, 1e-5, 1e-6), std::to_string(rf.loss));
        CHECK(rf.correct == rd.correct);
        double sum = 0.0;
        for (int c = 0; c < C; ++c) {
            CHECK(close(dzf[c], dzd[c], 1e-4, 1e-6));
            sum += dzd[c];
            // d(loss * scale)/dz_c by central differences in double.
            const double h = 1e-6;
            probe = z;
            probe[c] += h;
            const double up = k::softmaxCrossEntropyRow<double>(probe.data(), C, label, 1.0,
                                                                nullptr).loss;
            probe[c] -= 2 * h;
            const double down = k::softmaxCrossEntropyRow<double>(probe.data(), C, label, 1.0,
                                                                  nullptr).loss;
            CHECK_MSG(close(dzd[c], scale * (up - down) / (2 * h), 1e-5, 1e-8),
                      std::to_string(dzd[c]));
        }
        CHECK(std::fabs(sum) < 1e-12); // softmax minus one-hot sums to zero
    }
}

void softmaxRowSurvivesHugeLogitsAndTies() {
    // exp(1000) overflows float and double: the max subtraction must keep everything finite.
    const float z[3] = {1000.0f, 0.0f, -1000.0f};
    float dz[3];
    const auto r = k::softmaxCrossEntropyRow<float>(z, 3, 1, 1.0f, dz);
    CHECK_MSG(std::isfinite(r.loss) && close(r.loss, 1000.0, 1e-6), std::to_string(r.loss));
    CHECK(r.correct == 0);
    CHECK(close(dz[0], 1.0, 1e-6) && close(dz[1], -1.0, 1e-6) && dz[2] == 0.0f);
    // Ties: the first maximum is the prediction, as on the CPU path.
    const float tie[4] = {0.5f, 2.0f, 2.0f, -1.0f};
    CHECK(k::softmaxCrossEntropyRow<float>(tie, 4, 1, 1.0f, nullptr).correct == 1);
    CHECK(k::softmaxCrossEntropyRow<float>(tie, 4, 2, 1.0f, nullptr).correct == 0);
    // A confident right answer: loss near zero, not negative.
    const float sure[2] = {50.0f, -50.0f};
    const auto s = k::softmaxCrossEntropyRow<float>(sure, 2, 0, 1.0f, nullptr);
    CHECK(s.loss >= 0.0f && s.loss < 1e-6f);
}

// PyTorch's momentum SGD is Chainer's MomentumSGD trajectory when lr is constant.
void sgdMomentumMatchesChainerForm() {
    const k::SgdParams p{0.01f, 0.9f, 0.0f};
    double w = 0.3, v = 0.0;   // ours (double instantiation)
    double wc = 0.3, vc = 0.0; // Chainer: v = m v - lr g; w += v
    for (int t = 0; t < 100; ++t) {
        const double g = std::sin(0.1 * t) + 0.5 * w;
        const double gc = std::sin(0.1 * t) + 0.5 * wc;
        k::sgdMomentumUpdate(w, g, v, p);
        vc = double(0.9f) * vc - double(0.01f) * gc; // the float hyper-parameters, widened
        wc += vc;
    }
    // Same maths, different rounding order: equal to ~1e-12 after 100 steps in double.
    CHECK_MSG(close(w, wc, 1e-10, 1e-12), std::to_string(w) + " vs " + std::to_string(wc));
    // Zero momentum is plain SGD; weight decay adds wd * w to the gradient.
    float wf = 1.0f, vf = 0.0f;
    k::sgdMomentumUpdate(wf, 0.5f, vf, k::SgdParams{0.1f, 0.0f, 0.2f});
    CHECK(close(wf, 1.0 - 0.1 * (0.5 + 0.2), 1e-6));
}

void adamMatchesTheTextbook() {
    const float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 1e-2f;
    float w = 0.7f, m = 0.0f, v = 0.0f;
    double wr = 0.7, mr = 0.0, vr = 0.0;
    for (int t = 1; t <= 50; ++t) {
        const double g0 = std::cos(0.3 * t);
        const k::AdamParams p{lr, b1, b2, eps, wd, float(1.0 - std::pow(double(b1), t)),
                              float(1.0 - std::pow(double(b2), t))};
        k::adamUpdate(w, float(g0), m, v, p);
        const double g = g0 + double(wd) * wr;
        mr = double(b1) * mr + (1 - double(b1)) * g;
        vr = double(b2) * vr + (1 - double(b2)) * g * g;
        const double mHat = mr / (1 - std::pow(double(b1), t));
        const double vHat = vr / (1 - std::pow(double(b2), t));
        wr -= double(lr) * mHat / (std::sqrt(vHat) + double(eps));
    }
    CHECK_MSG(close(w, wr, 1e-5, 1e-6), std::to_string(w) + " vs " + std::to_string(wr));
    CHECK(close(m, mr, 1e-4, 1e-6));
    CHECK(close(v, vr, 1e-4, 1e-9));
}

} // namespace

int main() {
    return lbtest::runAll({
        {"bias_relu_and_relu_backward", biasReluAndBackward},
        {"softmax_row_matches_double_and_finite_differences",
         softmaxRowMatchesDoubleAndFiniteDifferences},
        {"softmax_row_survives_huge_logits_and_ties", softmaxRowSurvivesHugeLogitsAndTies},
        {"sgd_momentum_matches_chainer_form", sgdMomentumMatchesChainerForm},
        {"adam_matches_the_textbook", adamMatchesTheTextbook},
    });
}
