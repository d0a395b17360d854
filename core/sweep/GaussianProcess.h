#pragma once
// A small Gaussian-process regressor for the Bayesian sampler: squared-exponential kernel on
// [0, 1]^d, targets standardised, the length scale picked by marginal likelihood from a short
// list, noise as a fixed nugget. Dense Cholesky: sweeps have tens to hundreds of trials.

#include <vector>

namespace lb::sweep {

class GaussianProcess {
public:
    // Fits to points x (each of the same dimension) with targets y; needs at least one point.
    void fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y);
    // Posterior mean and standard deviation at `at`, in the units of y.
    void predict(const std::vector<double>& at, double& mean, double& sd) const;
    double lengthScale() const { return length_; }

private:
    double kernel(const std::vector<double>& a, const std::vector<double>& b) const;
    // Cholesky factor and alpha for the current length scale; returns the log marginal
    // likelihood (or -inf when the matrix is not positive definite).
    double factor();

    std::vector<std::vector<double>> x_;
    std::vector<double> z_; // standardised targets
    double yMean_ = 0, yScale_ = 1;
    double length_ = 0.3;
    double noise_ = 1e-4;
    std::vector<double> l_;     // n x n lower Cholesky factor, row major
    std::vector<double> alpha_; // K^-1 z
};

// Expected improvement over `best` for minimisation, with exploration margin xi.
double expectedImprovement(double mean, double sd, double best, double xi = 0.01);

} // namespace lb::sweep
