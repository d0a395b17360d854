#pragma once
// IDX files (the MNIST format): a big-endian header (0, 0, type 0x08 = ubyte, ndims, then one
// uint32 size per dimension) followed by the data. Read raw or gzip-compressed (zlib detects
// which). Every check names the file: magic, sizes, truncation, trailing bytes, label range.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lb::train {

struct IdxImages {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<std::uint8_t> pixels; // (count, rows, cols), row-major
};

struct IdxLabels {
    int count = 0;
    std::vector<std::uint8_t> labels; // (count)
};

// Reads a whole file, inflating gzip when the file is gzip (raw files pass through).
std::vector<std::uint8_t> readMaybeGzip(const std::filesystem::path& path);

// Throws TrainError naming the file on any inconsistency.
IdxImages readIdxImages(const std::filesystem::path& path);
// The same from bytes in memory (a request body, not gzip); `name` is what errors call it.
IdxImages decodeIdxImages(const std::vector<std::uint8_t>& bytes, const std::string& name);
// Labels must lie in [0, classes).
IdxLabels readIdxLabels(const std::filesystem::path& path, int classes = 10);

// Writes an uncompressed IDX file (used by tests and by --predict round trips).
void writeIdxImages(const std::filesystem::path& path, const IdxImages& images);
void writeIdxLabels(const std::filesystem::path& path, const IdxLabels& labels);

} // namespace lb::train
