#pragma once
// Grey images for --predict: binary/ASCII PGM (P5/P2) and PNG (8-bit greyscale, optionally
// with alpha, non-interlaced), decoded here with zlib's inflate so no image library is needed.
// Anything else is refused with a sentence that says what the file is and what is accepted.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lb::train {

struct GreyImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels; // (height, width), 0 = black
};

GreyImage readPgm(const std::filesystem::path& path);
GreyImage readPng(const std::filesystem::path& path);
// Decodes a PNG held in memory (a request body); `name` is what errors call it.
GreyImage decodePng(const std::vector<std::uint8_t>& bytes, const std::string& name);
// Picks the decoder from the file's first bytes.
GreyImage readGreyImage(const std::filesystem::path& path);

// Writes an 8-bit grey PNG (used by tests and to export samples).
void writePng(const std::filesystem::path& path, const GreyImage& image);

} // namespace lb::train
