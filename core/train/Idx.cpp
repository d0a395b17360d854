#include "core/train/Idx.h"

#include "core/train/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <zlib.h>

namespace lb::train {

namespace {

constexpr std::uint8_t kTypeUbyte = 0x08;

std::uint32_t readBigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

void putBigEndian32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    out.push_back(std::uint8_t(v >> 24));
    out.push_back(std::uint8_t(v >> 16));
    out.push_back(std::uint8_t(v >> 8));
    out.push_back(std::uint8_t(v));
}

// Checks the header and returns the dimension sizes; the data follow at 4 + 4 * ndims.
std::vector<std::uint32_t> parseHeader(const std::filesystem::path& path,
                                       const std::vector<std::uint8_t>& bytes, int wantDims,
                                       const char* what) {
    const std::string name = path.string();
    if (bytes.size() < 4) {
        throw TrainError(name + ": too short to be an IDX file (" + std::to_string(bytes.size()) +
                         " bytes)");
    }
    const int dims = bytes[3];
    if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != kTypeUbyte || dims != wantDims) {
        char magic[16];
        std::snprintf(magic, sizeof magic, "0x%08x", readBigEndian32(bytes.data()));
        char want[16];
        std::snprintf(want, sizeof want, "0x%08x", 0x800u | unsigned(wantDims));
        throw TrainError(name + ": wrong magic number " + magic + " for an IDX " + what +
                         " file (expected " + want + ")");
    }
    const std::size_t headerBytes = 4 + 4 * std::size_t(dims);
    if (bytes.size() < headerBytes) {
        throw TrainError(name + ": truncated IDX header (" + std::to_string(bytes.size()) + " of " +
                         std::to_string(headerBytes) + " bytes)");
    }
    std::vector<std::uint32_t> sizes;
    std::uint64_t total = 1;
    for (int d = 0; d < dims; ++d) {
        sizes.push_back(readBigEndian32(bytes.data() + 4 + 4 * d));
        total *= sizes.back();
        if (total > (std::uint64_t(1) << 40)) {
            throw TrainError(name + ": implausible IDX dimensions (over 2^40 elements)");
        }
    }
    const std::uint64_t have = bytes.size() - headerBytes;
    if (have < total) {
        throw TrainError(name + ": truncated: the header promises " + std::to_string(total) +
                         " bytes of data but only " + std::to_string(have) + " follow");
    }
    if (have > total) {
        throw TrainError(name + ": " + std::to_string(have - total) +
                         " unexpected bytes after the data the header describes");
    }
    if (sizes[0] > 0x7fffffffu) throw TrainError(name + ": too many items");
    return sizes;
}

void writeFile(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out) throw TrainError(path.string() + ": cannot write");
}

} // namespace

std::vector<std::uint8_t> readMaybeGzip(const std::filesystem::path& path) {
    const std::string name = path.string();
    gzFile f = gzopen(name.c_str(), "rb");
    if (!f) throw TrainError(name + ": cannot open (" + std::strerror(errno) + ")");
    gzbuffer(f, 1 << 17);
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const int n = gzread(f, chunk.data(), unsigned(chunk.size()));
        if (n < 0) {
            int code = 0;
            const std::string why = gzerror(f, &code);
            gzclose(f);
            throw TrainError(name + ": corrupt gzip data (" + why + ")");
        }
        if (n == 0) break;
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
    }
    // A gzip stream cut short reads as a short file; zlib flags it as Z_BUF_ERROR at the end.
    int code = Z_OK;
    const std::string why = gzerror(f, &code);
    gzclose(f);
    if (code == Z_BUF_ERROR) throw TrainError(name + ": truncated gzip file (unexpected end)");
    if (code != Z_OK && code != Z_STREAM_END) {
        throw TrainError(name + ": corrupt gzip data (" + why + ")");
    }
    return bytes;
}

IdxImages readIdxImages(const std::filesystem::path& path) {
    return decodeIdxImages(readMaybeGzip(path), path.string());
}

IdxImages decodeIdxImages(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    const auto sizes = parseHeader(name, bytes, 3, "image");
    if (sizes[1] == 0 || sizes[2] == 0 || sizes[1] > 4096 || sizes[2] > 4096) {
        throw TrainError(name + ": implausible image size " + std::to_string(sizes[1]) + "x" +
                         std::to_string(sizes[2]));
    }
    IdxImages images;
    images.count = int(sizes[0]);
    images.rows = int(sizes[1]);
    images.cols = int(sizes[2]);
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

IdxLabels readIdxLabels(const std::filesystem::path& path, int classes) {
    const auto bytes = readMaybeGzip(path);
    const auto sizes = parseHeader(path, bytes, 1, "label");
    IdxLabels labels;
    labels.count = int(sizes[0]);
    labels.labels.assign(bytes.begin() + 8, bytes.end());
    for (int i = 0; i < labels.count; ++i) {
        if (labels.labels[i] >= classes) {
            throw TrainError(path.string() + ": label " + std::to_string(labels.labels[i]) +
                             " at index " + std::to_string(i) + " is outside 0.." +
                             std::to_string(classes - 1));
        }
    }
    return labels;
}

void writeIdxImages(const std::filesystem::path& path, const IdxImages& images) {
    std::vector<std::uint8_t> bytes{0, 0, kTypeUbyte, 3};
    putBigEndian32(bytes, std::uint32_t(images.count));
    putBigEndian32(bytes, std::uint32_t(images.rows));
    putBigEndian32(bytes, std::uint32_t(images.cols));
    bytes.insert(bytes.end(), images.pixels.begin(), images.pixels.end());
    writeFile(path, bytes);
}

void writeIdxLabels(const std::filesystem::path& path, const IdxLabels& labels) {
    std::vector<std::uint8_t> bytes{0, 0, kTypeUbyte, 1};
    putBigEndian32(bytes, std::uint32_t(labels.count));
    bytes.insert(bytes.end(), labels.labels.begin(), labels.labels.end());
    writeFile(path, bytes);
}

} // namespace lb::train
