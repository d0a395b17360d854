#include "core/train/Image.h"

#include "core/train/Error.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <zlib.h>

namespace lb::train {

namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TrainError(path.string() + ": cannot open");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

void putBe32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(std::uint8_t(v >> s));
}

const std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

int paeth(int a, int b, int c) {
    const int p = a + b - c;
    const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

} // namespace

GreyImage readPgm(const fs::path& path) {
    const std::string file = path.string();
    const auto bytes = readAll(path);
    std::size_t i = 0;
    // Header tokens: magic, width, height, maxval, separated by whitespace and # comments.
    auto token = [&]() {
        for (;;) {
            while (i < bytes.size() && std::isspace(bytes[i]))
                ++i;
            if (i < bytes.size() && bytes[i] == '#') {
                while (i < bytes.size() && bytes[i] != '\n')
                    ++i;
                continue;
            }
            break;
        }
        std::string t;
        while (i < bytes.size() && !std::isspace(bytes[i]) && bytes[i] != '#')
            t += char(bytes[i++]);
        return t;
    };
    const std::string magic = token();
    if (magic != "P5" && magic != "P2") throw TrainError(file + ": not a greyscale PGM (P5/P2)");
    const int width = std::atoi(token().c_str());
    const int height = std::atoi(token().c_str());
    const int maxval = std::atoi(token().c_str());
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535 || maxval != 255) {
        throw TrainError(file + ": PGM must be 8-bit (maxval 255) with a positive size, got " +
                         std::to_string(width) + "x" + std::to_string(height) + " maxval " +
                         std::to_string(maxval));
    }
    GreyImage img{width, height, {}};
    const std::size_t n = std::size_t(width) * height;
    if (magic == "P5") {
        ++i; // exactly one whitespace byte separates the header from the pixels
        if (bytes.size() < i + n) throw TrainError(file + ": truncated PGM pixel data");
        img.pixels.assign(bytes.begin() + i, bytes.begin() + i + n);
    } else {
        for (std::size_t k = 0; k < n; ++k) {
            const std::string t = token();
            if (t.empty()) throw TrainError(file + ": truncated PGM pixel data");
            img.pixels.push_back(std::uint8_t(std::clamp(std::atoi(t.c_str()), 0, 255)));
        }
    }
    return img;
}

GreyImage readPng(const fs::path& path) { return decodePng(readAll(path), path.string()); }

GreyImage decodePng(const std::vector<std::uint8_t>& bytes, const std::string& file) {
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kPngSignature, 8) != 0) {
        throw TrainError(file + ": not a PNG file");
    }
    int width = 0, height = 0, depth = 0, colour = -1, interlace = 0;
    std::vector<std::uint8_t> idat;
    bool sawEnd = false;
    for (std::size_t p = 8; p + 12 <= bytes.size() && !sawEnd;) {
        const std::uint32_t len = be32(bytes.data() + p);
        if (len > bytes.size() - p - 12) throw TrainError(file + ": truncated PNG chunk");
        const std::string type(bytes.begin() + p + 4, bytes.begin() + p + 8);
        const std::uint8_t* data = bytes.data() + p + 8;
        const std::uint32_t crc = be32(data + len);
        if (std::uint32_t(crc32(0, bytes.data() + p + 4, len + 4)) != crc) {
            throw TrainError(file + ": PNG chunk " + type + " fails its CRC (file corrupt)");
        }
        if (type == "IHDR" && len >= 13) {
            width = int(be32(data));
            height = int(be32(data + 4));
            depth = data[8];
            colour = data[9];
            interlace = data[12];
        } else if (type == "IDAT") {
            idat.insert(idat.end(), data, data + len);
        } else if (type == "IEND") {
            sawEnd = true;
        }
        p += 12 + len;
    }
    if (colour < 0) throw TrainError(file + ": PNG without an IHDR chunk");
    if (depth != 8 || (colour != 0 && colour != 4) || interlace != 0) {
        throw TrainError(file + ": PNG is " + std::to_string(depth) + "-bit colour type " +
                         std::to_string(colour) + (interlace ? " interlaced" : "") +
                         "; only 8-bit greyscale (with or without alpha), non-interlaced PNGs "
                         "are supported");
    }
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
        throw TrainError(file + ": PNG has an implausible size");
    }
    const int channels = colour == 4 ? 2 : 1;
    const std::size_t stride = std::size_t(width) * channels;
    std::vector<std::uint8_t> raw((stride + 1) * height);
    uLongf rawLen = uLongf(raw.size());
    if (uncompress(raw.data(), &rawLen, idat.data(), uLong(idat.size())) != Z_OK ||
        rawLen != raw.size()) {
        throw TrainError(file + ": PNG image data is corrupt or truncated");
    }
    // Undo the per-row filters (PNG spec 9.2); bpp is `channels` bytes.
    std::vector<std::uint8_t> out(stride * height), zero(stride, 0);
    for (int y = 0; y < height; ++y) {
        const std::uint8_t filter = raw[y * (stride + 1)];
        const std::uint8_t* in = raw.data() + y * (stride + 1) + 1;
        std::uint8_t* row = out.data() + y * stride;
        const std::uint8_t* up = y ? row - stride : zero.data();
        for (std::size_t x = 0; x < stride; ++x) {
            const int a = x >= std::size_t(channels) ? row[x - channels] : 0;
            const int b = up[x];
            const int c = x >= std::size_t(channels) ? up[x - channels] : 0;
            int v = in[x];
            switch (filter) {
            case 0:
                break;
            case 1:
                v += a;
                break;
            case 2:
                v += b;
                break;
            case 3:
                v += (a + b) / 2;
                break;
            case 4:
                v += paeth(a, b, c);
                break;
            default:
                throw TrainError(file + ": PNG row " + std::to_string(y) + " has unknown filter " +
                                 std::to_string(filter));
            }
            row[x] = std::uint8_t(v);
        }
    }
    GreyImage img{width, height, {}};
    img.pixels.resize(std::size_t(width) * height);
    for (std::size_t k = 0; k < img.pixels.size(); ++k)
        img.pixels[k] = out[k * channels];
    return img;
}

GreyImage readGreyImage(const fs::path& path) {
    const auto head = readAll(path);
    if (head.size() >= 8 && std::memcmp(head.data(), kPngSignature, 8) == 0) return readPng(path);
    if (head.size() >= 2 && head[0] == 'P' && (head[1] == '5' || head[1] == '2'))
        return readPgm(path);
    throw TrainError(path.string() + ": not a PNG or PGM image (28x28 greyscale expected)");
}

void writePng(const fs::path& path, const GreyImage& image) {
    std::vector<std::uint8_t> raw;
    for (int y = 0; y < image.height; ++y) {
        raw.push_back(0); // filter: none
        raw.insert(raw.end(), image.pixels.begin() + std::size_t(y) * image.width,
                   image.pixels.begin() + std::size_t(y + 1) * image.width);
    }
    uLongf packedLen = compressBound(uLong(raw.size()));
    std::vector<std::uint8_t> packed(packedLen);
    compress(packed.data(), &packedLen, raw.data(), uLong(raw.size()));
    packed.resize(packedLen);
    std::vector<std::uint8_t> png(kPngSignature, kPngSignature + 8);
    auto chunk = [&](const char* type, const std::vector<std::uint8_t>& data) {
        putBe32(png, std::uint32_t(data.size()));
        const std::size_t start = png.size();
        png.insert(png.end(), type, type + 4);
        png.insert(png.end(), data.begin(), data.end());
        putBe32(png, std::uint32_t(crc32(0, png.data() + start, uInt(png.size() - start))));
    };
    std::vector<std::uint8_t> ihdr;
    putBe32(ihdr, std::uint32_t(image.width));
    putBe32(ihdr, std::uint32_t(image.height));
    ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0}); // 8-bit, greyscale, deflate, adaptive, no interlace
    chunk("IHDR", ihdr);
    chunk("IDAT", packed);
    chunk("IEND", {});
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    if (!out) throw TrainError(path.string() + ": cannot write");
}

} // namespace lb::train
