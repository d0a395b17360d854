#pragma once
// CRC-32C (Castagnoli), the checksum TFRecord framing uses, and TFRecord's "masked" form of it.

#include <cstddef>
#include <cstdint>

namespace lb {

// CRC-32C of `size` bytes (reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF),
// computed slicing-by-8; crc32c("123456789") == 0xE3069283.
std::uint32_t crc32c(const void* data, std::size_t size);

// TFRecord stores CRCs rotated and offset so that a CRC of data that holds CRCs stays strong.
inline std::uint32_t maskCrc32c(std::uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

} // namespace lb
