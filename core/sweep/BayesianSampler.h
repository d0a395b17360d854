#pragma once
// bayesian sampling: a Gaussian process over the encoded parameters ([0, 1] per parameter), fit
// to the finished trials' primary metric; the next trial maximises expected improvement over
// candidates drawn from the prior. Running trials count with the model's own prediction
// ("kriging believer"), so concurrent suggestions spread out. The first trials come from the
// prior until the model has enough points.

#include "core/sweep/Sampler.h"

namespace lb::sweep {

class BayesianSampler : public Sampler {
public:
    explicit BayesianSampler(const SweepSpec& spec, int candidates = 1500)
        : spec_(spec), candidates_(candidates) {}
    std::optional<Json> next(int index, const std::vector<Trial>& trials) override;

    // Trials drawn from the prior before the model takes over.
    int initialTrials() const;

private:
    std::vector<double> encode(const Json& params) const;
    SweepSpec spec_;
    int candidates_;
};

} // namespace lb::sweep
