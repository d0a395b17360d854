// labbench-train checkpoints (ckpt-*.lbckpt) through the real decoder (#20 item 1). Each input is
// tried twice: as a whole file, and as a body wrapped in a valid header and SHA-256, so that the
// fuzzer reaches the field reader behind the checksum. TrainError is the documented failure; a
// file that decodes must encode back to the same bytes.
#include "core/train/Checkpoint.h"

#include "core/train/Error.h"
#include "core/train/Sha256.h"

#include <cstring>

namespace {

void decodes(const std::vector<std::uint8_t>& bytes) {
    try {
        const lb::train::TrainerState s = lb::train::decodeCheckpoint(bytes, "fuzz.lbckpt");
        if (lb::train::encodeCheckpoint(s) != bytes) __builtin_trap();
    } catch (const lb::train::TrainError&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    decodes(std::vector<std::uint8_t>(data, data + size));

    std::vector<std::uint8_t> wrapped = {'L', 'B', 'C', 'K', 'P', 'T', 0, 0,
                                         1,   0,   0,   0,   0,   0,   0, 0};
    const std::uint64_t body = size;
    wrapped.resize(24);
    std::memcpy(wrapped.data() + 16, &body, 8);
    wrapped.insert(wrapped.end(), data, data + size);
    lb::train::Sha256 sha;
    sha.update(wrapped.data(), wrapped.size());
    const auto digest = sha.digest();
    wrapped.insert(wrapped.end(), digest.begin(), digest.end());
    decodes(wrapped);
    return 0;
}
