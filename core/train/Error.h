#pragma once
// TrainError: a failure the user can act on (bad file, bad flag, missing dataset). what() is a
// complete sentence naming the file or flag; labbench-train prints it and exits 1.

#include <stdexcept>
#include <string>

namespace lb::train {

class TrainError : public std::runtime_error {
public:
    explicit TrainError(const std::string& message)
        : std::runtime_error(message) {}
};

// A wrong command line (unknown flag, bad value); labbench-train exits 2.
class UsageError : public TrainError {
public:
    using TrainError::TrainError;
};

// The CUDA plugin loaded and said that this machine has no usable GPU: no NVIDIA driver (or one
// too old) or no CUDA device visible. The one reason a GPU test may skip (#16); any other
// failure of the plugin is a TrainError.
class NoCudaDeviceError : public TrainError {
public:
    using TrainError::TrainError;
};

} // namespace lb::train
