#pragma once
// Dynamic batching for native endpoints, the way Triton Inference Server does it: the first
// request that arrives opens a window of `delayUs` microseconds; every request that arrives
// within it (up to `maxRows` rows in all) joins, and the whole lot runs as one matrix product.
// Each caller waits for its own rows. With a delay of 0 a request runs alone, at once.

#include "core/train/Predictor.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace lb::serve {

class DynamicBatcher {
public:
    DynamicBatcher(train::Predictor& predictor, int delayUs, int maxRows = 1024);
    ~DynamicBatcher();
    DynamicBatcher(const DynamicBatcher&) = delete;
    DynamicBatcher& operator=(const DynamicBatcher&) = delete;

    // x is (rows, features), normalised; blocks until its predictions are ready.
    train::Predictions predict(std::vector<float> x, int rows);

private:
    struct Pending {
        std::vector<float> x;
        int rows = 0;
        train::Predictions result;
        bool done = false;
        std::string error;
    };
    void loop();
    void runBatch(std::vector<Pending*>& batch);

    train::Predictor& predictor_;
    const int delayUs_;
    const int maxRows_;
    std::mutex mutex_;
    std::condition_variable arrived_, finished_;
    std::deque<Pending*> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace lb::serve
