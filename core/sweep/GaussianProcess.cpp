#include "core/sweep/GaussianProcess.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::sweep {

double GaussianProcess::kernel(const std::vector<double>& a, const std::vector<double>& b) const {
    double d2 = 0;
    for (size_t i = 0; i < a.size(); ++i)
        d2 += (a[i] - b[i]) * (a[i] - b[i]);
    return std::exp(-0.5 * d2 / (length_ * length_));
}

double GaussianProcess::factor() {
    const size_t n = x_.size();
    l_.assign(n * n, 0.0);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j <= i; ++j) {
            double s = kernel(x_[i], x_[j]) + (i == j ? noise_ : 0.0);
            for (size_t k = 0; k < j; ++k)
                s -= l_[i * n + k] * l_[j * n + k];
            if (i == j) {
                if (s <= 0)
                    return -std::numeric_limits<double>::infinity();
                l_[i * n + i] = std::sqrt(s);
            } else {
                l_[i * n + j] = s / l_[j * n + j];
            }
        }
    // alpha = L^T \ (L \ z)
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) {
        double s = z_[i];
        for (size_t k = 0; k < i; ++k)
            s -= l_[i * n + k] * v[k];
        v[i] = s / l_[i * n + i];
    }
    alpha_.assign(n, 0.0);
    for (size_t ii = n; ii-- > 0;) {
        double s = v[ii];
        for (size_t k = ii + 1; k < n; ++k)
            s -= l_[k * n + ii] * alpha_[k];
        alpha_[ii] = s / l_[ii * n + ii];
    }
    double logLik = 0;
    for (size_t i = 0; i < n; ++i)
        logLik += -0.5 * z_[i] * alpha_[i] - std::log(l_[i * n + i]);
    return logLik;
}

void GaussianProcess::fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
    x_ = x;
    const size_t n = y.size();
    double mean = 0;
    for (double v : y)
        mean += v;
    mean /= double(n);
    double var = 0;
    for (double v : y)
        var += (v - mean) * (v - mean);
    yMean_ = mean;
    yScale_ = n > 1 && var > 0 ? std::sqrt(var / double(n)) : 1.0;
    z_.resize(n);
    for (size_t i = 0; i < n; ++i)
        z_[i] = (y[i] - yMean_) / yScale_;
    double bestLength = 0.3, bestLik = -std::numeric_limits<double>::infinity();
    for (double length : {0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0}) {
        length_ = length;
        const double lik = factor();
        if (lik > bestLik) {
            bestLik = lik;
            bestLength = length;
        }
    }
    length_ = bestLength;
    if (!std::isfinite(factor())) { // only when every length failed: lean on the nugget
        noise_ = 1e-2;
        factor();
    }
}

void GaussianProcess::predict(const std::vector<double>& at, double& mean, double& sd) const {
    const size_t n = x_.size();
    std::vector<double> k(n);
    for (size_t i = 0; i < n; ++i)
        k[i] = kernel(at, x_[i]);
    double m = 0;
    for (size_t i = 0; i < n; ++i)
        m += k[i] * alpha_[i];
    // v = L \ k; var = k(at, at) - v.v
    std::vector<double> v(n);
    double vv = 0;
    for (size_t i = 0; i < n; ++i) {
        double s = k[i];
        for (size_t j = 0; j < i; ++j)
            s -= l_[i * n + j] * v[j];
        v[i] = s / l_[i * n + i];
        vv += v[i] * v[i];
    }
    const double var = std::max(1.0 + noise_ - vv, 1e-12);
    mean = yMean_ + yScale_ * m;
    sd = yScale_ * std::sqrt(var);
}

double expectedImprovement(double mean, double sd, double best, double xi) {
    const double improvement = best - mean - xi;
    if (sd <= 1e-12)
        return std::max(improvement, 0.0);
    const double z = improvement / sd;
    const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
    return improvement * cdf + sd * pdf;
}

} // namespace lb::sweep
