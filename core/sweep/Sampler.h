#pragma once
// Where a sweep's next parameter set comes from. Trial k is a pure function of the spec, k and
// the trials so far, so a resumed sweep continues exactly where the first driver stopped.

#include "core/sweep/SweepSpec.h"

#include <memory>
#include <optional>
#include <vector>

namespace lb::sweep {

// A child run as a sampler sees it: its parameters and, once known, its primary metric.
struct Trial {
    Json params = Json::object(); // keyed by parameter name
    std::optional<double> value;  // the child's final primary metric
    bool finished = false;        // final (Completed, Canceled or Failed)
};

class Sampler {
public:
    virtual ~Sampler() = default;
    // The parameters for trial `index` (= trials.size() normally), or nullopt when the space
    // is exhausted (grid).
    virtual std::optional<Json> next(int index, const std::vector<Trial>& trials) = 0;
};

// grid: combination `index` in mixed radix, the last parameter varying fastest.
class GridSampler : public Sampler {
public:
    explicit GridSampler(const SweepSpec& spec) : spec_(spec) {}
    std::optional<Json> next(int index, const std::vector<Trial>& trials) override;

private:
    SweepSpec spec_;
};

// random: every parameter drawn from its expression, from the stream (seed, index).
class RandomSampler : public Sampler {
public:
    explicit RandomSampler(const SweepSpec& spec) : spec_(spec) {}
    std::optional<Json> next(int index, const std::vector<Trial>& trials) override;

private:
    SweepSpec spec_;
};

// One draw of every parameter from its prior.
Json samplePrior(const SweepSpec& spec, std::uint64_t seed, std::uint64_t stream);

std::unique_ptr<Sampler> makeSampler(const SweepSpec& spec);

} // namespace lb::sweep
