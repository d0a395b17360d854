#pragma once
// One thread's growable scratch of floats, 64-byte aligned (whole cache lines, aligned AVX-512
// loads): grown on first use for a shape and then reused, so that a training step allocates
// nothing once its first run is done. Keep one per purpose, thread_local, where two are alive at
// once (the GEMM's packed panels inside the weight step's gradient block).

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace lb::train {

class ScratchBuffer {
public:
    // Room for at least `count` floats; what it held before is not kept.
    float* floats(std::size_t count) {
        if (count > capacity_) {
            const std::size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
            buffer_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
            capacity_ = buffer_ ? count : 0;
            if (!buffer_) throw std::bad_alloc();
        }
        return buffer_.get();
    }

private:
    struct Free {
        void operator()(float* p) const { std::free(p); }
    };
    std::unique_ptr<float, Free> buffer_;
    std::size_t capacity_ = 0;
};

} // namespace lb::train
