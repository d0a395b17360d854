#include "core/sweep/Sampler.h"

#include "core/sweep/BayesianSampler.h"
#include "core/sweep/SweepRandom.h"

namespace lb::sweep {

Json samplePrior(const SweepSpec& spec, std::uint64_t seed, std::uint64_t stream) {
    SweepRandom random(seed, stream);
    Json params = Json::object();
    for (const Parameter& p : spec.parameters)
        params[toStd(p.name)] = p.sample(random);
    return params;
}

std::optional<Json> GridSampler::next(int index, const std::vector<Trial>&) {
    if (index < 0 || index >= spec_.gridSize())
        return std::nullopt;
    Json params = Json::object();
    long long rest = index;
    std::vector<Json> values(static_cast<size_t>(spec_.parameters.size()));
    for (qsizetype i = spec_.parameters.size() - 1; i >= 0; --i) {
        const Json& choices = spec_.parameters[i].choices;
        const auto k = static_cast<long long>(choices.size());
        values[static_cast<size_t>(i)] = choices[static_cast<size_t>(rest % k)];
        rest /= k;
    }
    for (qsizetype i = 0; i < spec_.parameters.size(); ++i)
        params[toStd(spec_.parameters[i].name)] = values[static_cast<size_t>(i)];
    return params;
}

std::optional<Json> RandomSampler::next(int index, const std::vector<Trial>&) {
    return samplePrior(spec_, spec_.seed, static_cast<std::uint64_t>(index));
}

std::unique_ptr<Sampler> makeSampler(const SweepSpec& spec) {
    switch (spec.sampling) {
    case SamplingMethod::Grid: return std::make_unique<GridSampler>(spec);
    case SamplingMethod::Random: return std::make_unique<RandomSampler>(spec);
    case SamplingMethod::Bayesian: return std::make_unique<BayesianSampler>(spec);
    }
    return std::make_unique<RandomSampler>(spec);
}

} // namespace lb::sweep
