#pragma once
// What the trainer's C++ benchmarks (sgemm_bound.cpp, gemm_shapes.cpp) share: a clock and the
// "784,100,100,10" layer sizes their first argument gives.

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

namespace lb::bench {

inline double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// "784,100,100,10" -> {784, 100, 100, 10}
inline std::vector<int> layerSizes(const std::string& list) {
    std::vector<int> sizes;
    for (std::string rest = list; !rest.empty();) {
        const auto comma = rest.find(',');
        sizes.push_back(std::atoi(rest.substr(0, comma).c_str()));
        rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    }
    return sizes;
}

} // namespace lb::bench
