#include "core/train/Sha256.h"

#include "core/train/Error.h"

#include <nettle/sha2.h>

#include <fstream>
#include <vector>

namespace lb::train {

Sha256::Sha256() : ctx_(std::make_unique<sha256_ctx>()) {
    sha256_init(ctx_.get());
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    sha256_update(ctx_.get(), size, static_cast<const std::uint8_t*>(data));
}

std::array<std::uint8_t, 32> Sha256::digest() {
    static_assert(SHA256_DIGEST_SIZE == 32);
    std::array<std::uint8_t, 32> out{};
    sha256_digest(ctx_.get(), out.size(), out.data());
    return out;
}

std::string Sha256::hex() {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : digest()) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

std::string sha256File(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TrainError(path.string() + ": cannot open");
    Sha256 sha;
    std::vector<char> chunk(1 << 16);
    while (in) {
        in.read(chunk.data(), std::streamsize(chunk.size()));
        sha.update(chunk.data(), std::size_t(in.gcount()));
    }
    return sha.hex();
}

} // namespace lb::train
