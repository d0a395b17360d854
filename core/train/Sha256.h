#pragma once
// SHA-256, to verify downloaded datasets and checkpoints against their sums: Nettle's (Debian's
// nettle-dev), behind the small streaming interface the trainer uses. update() any number of
// times, then digest() or hex() once.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

struct sha256_ctx; // Nettle's context, kept out of this header

namespace lb::train {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(const void* data, std::size_t size);
    std::array<std::uint8_t, 32> digest(); // finishes the hash; call once
    std::string hex();                     // digest() as 64 lower-case hex digits

private:
    std::unique_ptr<sha256_ctx> ctx_;
};

// Hex SHA-256 of a file's bytes; throws TrainError if it cannot be read.
std::string sha256File(const std::filesystem::path& path);

} // namespace lb::train
