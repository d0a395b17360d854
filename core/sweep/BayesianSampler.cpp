#include "core/sweep/BayesianSampler.h"

#include "core/sweep/GaussianProcess.h"
#include "core/sweep/SweepRandom.h"

#include <algorithm>
#include <cmath>

namespace lb::sweep {

int BayesianSampler::initialTrials() const { return std::max(3, int(spec_.parameters.size()) + 1); }

std::vector<double> BayesianSampler::encode(const Json& params) const {
    std::vector<double> x;
    for (const Parameter& p : spec_.parameters) {
        const std::string key = toStd(p.name);
        x.push_back(params.contains(key) ? p.encode(params[key]) : 0.5);
    }
    return x;
}

std::optional<Json> BayesianSampler::next(int index, const std::vector<Trial>& trials) {
    std::vector<std::vector<double>> x;
    std::vector<double> y; // minimised
    std::vector<std::vector<double>> pending;
    for (const Trial& t : trials) {
        if (t.finished && t.value && std::isfinite(*t.value)) {
            x.push_back(encode(t.params));
            y.push_back(spec_.maximize ? -*t.value : *t.value);
        } else if (!t.finished) {
            pending.push_back(encode(t.params));
        }
    }
    if (int(x.size()) < initialTrials())
        return samplePrior(spec_, spec_.seed, static_cast<std::uint64_t>(index));

    GaussianProcess gp;
    gp.fit(x, y);
    if (!pending.empty()) {
        for (const auto& p : pending) {
            double mean = 0, sd = 0;
            gp.predict(p, mean, sd);
            x.push_back(p);
            y.push_back(mean);
        }
        gp.fit(x, y);
    }
    const double best = *std::min_element(y.begin(), y.end());
    const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
    const double xi = 0.01 * std::max(*hi - *lo, 1e-12);

    // Candidates from one stream per trial, apart from the prior draws of the random phase.
    SweepRandom random(spec_.seed ^ 0x6a09e667f3bcc909ULL, static_cast<std::uint64_t>(index));
    std::optional<Json> chosen;
    double chosenEi = -1;
    bool chosenSeen = true;
    for (int c = 0; c < candidates_; ++c) {
        Json params = Json::object();
        for (const Parameter& p : spec_.parameters)
            params[toStd(p.name)] = p.sample(random);
        const std::vector<double> at = encode(params);
        // A point tried already (discrete spaces) is taken only when nothing new is left.
        bool seen = false;
        for (const auto& old : x) {
            double d2 = 0;
            for (size_t i = 0; i < at.size(); ++i)
                d2 += (at[i] - old[i]) * (at[i] - old[i]);
            if (d2 < 1e-18) {
                seen = true;
                break;
            }
        }
        double mean = 0, sd = 0;
        gp.predict(at, mean, sd);
        const double ei = expectedImprovement(mean, sd, best, xi);
        if (!chosen || (chosenSeen && !seen) || (seen == chosenSeen && ei > chosenEi)) {
            chosen = params;
            chosenEi = ei;
            chosenSeen = seen;
        }
    }
    return chosen;
}

} // namespace lb::sweep
