#include "core/serve/server/DynamicBatcher.h"

#include <chrono>
#include <stdexcept>

namespace lb::serve {

DynamicBatcher::DynamicBatcher(train::Predictor& predictor, int delayUs, int maxRows)
    : predictor_(predictor)
    , delayUs_(delayUs)
    , maxRows_(maxRows) {
    if (delayUs_ > 0) thread_ = std::thread([this] { loop(); });
}

DynamicBatcher::~DynamicBatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    arrived_.notify_all();
    if (thread_.joinable()) thread_.join();
}

train::Predictions DynamicBatcher::predict(std::vector<float> x, int rows) {
    if (delayUs_ <= 0) return predictor_.predict(x.data(), rows);
    Pending p;
    p.x = std::move(x);
    p.rows = rows;
    std::unique_lock lock(mutex_);
    queue_.push_back(&p);
    arrived_.notify_one();
    finished_.wait(lock, [&] { return p.done; });
    if (!p.error.empty()) throw std::runtime_error(p.error);
    return std::move(p.result);
}

void DynamicBatcher::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        arrived_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_ && queue_.empty()) return;
        // The window opens with the first request and closes after delayUs_ or when full.
        const auto closes = std::chrono::steady_clock::now() + std::chrono::microseconds(delayUs_);
        const auto rowsQueued = [&] {
            int n = 0;
            for (const Pending* p : queue_)
                n += p->rows;
            return n;
        };
        while (!stopping_ && rowsQueued() < maxRows_ &&
               arrived_.wait_until(lock, closes) != std::cv_status::timeout) {
        }
        std::vector<Pending*> batch;
        int rows = 0;
        while (!queue_.empty() && (batch.empty() || rows + queue_.front()->rows <= maxRows_)) {
            rows += queue_.front()->rows;
            batch.push_back(queue_.front());
            queue_.pop_front();
        }
        lock.unlock();
        runBatch(batch);
        lock.lock();
        for (Pending* p : batch)
            p->done = true;
        finished_.notify_all();
    }
}

void DynamicBatcher::runBatch(std::vector<Pending*>& batch) {
    try {
        if (batch.size() == 1) {
            batch[0]->result = predictor_.predict(batch[0]->x.data(), batch[0]->rows);
            return;
        }
        std::vector<float> x; // (all rows, features): one matrix product for the batch
        int rows = 0;
        for (const Pending* p : batch) {
            x.insert(x.end(), p->x.begin(), p->x.end());
            rows += p->rows;
        }
        const train::Predictions all = predictor_.predict(x.data(), rows);
        int first = 0;
        for (Pending* p : batch) {
            p->result.classes = all.classes;
            p->result.best.assign(all.best.begin() + first, all.best.begin() + first + p->rows);
            p->result.probabilities.assign(
                all.probabilities.begin() + std::ptrdiff_t(first) * all.classes,
                all.probabilities.begin() + std::ptrdiff_t(first + p->rows) * all.classes);
            first += p->rows;
        }
    } catch (const std::exception& e) {
        for (Pending* p : batch)
            p->error = e.what();
    }
}

} // namespace lb::serve
