#pragma once
// SHA-256 (FIPS 180-4), to verify downloaded datasets against published sums without a crypto
// library. Streaming: update() any number of times, then hex().

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace lb::train {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    std::array<std::uint8_t, 32> digest(); // finishes the hash; call once
    std::string hex();                     // digest() as 64 lower-case hex digits

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t totalBytes_ = 0;
};

// Hex SHA-256 of a file's bytes; throws TrainError if it cannot be read.
std::string sha256File(const std::filesystem::path& path);

} // namespace lb::train
