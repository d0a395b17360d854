#include "core/train/Npz.h"

#include "core/train/Error.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <zlib.h>

namespace lb::train {

namespace fs = std::filesystem;

namespace {

std::size_t dtypeSize(const std::string& descr) {
    if (descr.size() < 3) return 0;
    const std::size_t n = std::strtoul(descr.c_str() + 2, nullptr, 10);
    return descr[1] == 'U' ? 4 * n : n; // numpy's unicode is UTF-32
}

void put16(std::vector<std::uint8_t>& b, std::uint32_t v) {
    b.push_back(std::uint8_t(v));
    b.push_back(std::uint8_t(v >> 8));
}
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}
std::uint32_t get16(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8;
}
std::uint32_t get32(const std::uint8_t* p) {
    return get16(p) | get16(p + 2) << 16;
}

std::string shapeText(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t d : shape)
        s += std::to_string(d) + ",";
    if (shape.size() > 1) s.pop_back(); // (3,) for 1-d, (3, 4) style otherwise
    return s + ")";
}

// Value of 'key': in a numpy header dict, up to the next ',' at depth 0 or the closing '}'.
std::string headerField(const std::string& header, const std::string& key,
                        const std::string& where) {
    const std::size_t k = header.find("'" + key + "'");
    if (k == std::string::npos) throw TrainError(where + ": .npy header lacks '" + key + "'");
    std::size_t i = header.find(':', k) + 1;
    while (i < header.size() && header[i] == ' ')
        ++i;
    int depth = 0;
    std::size_t j = i;
    for (; j < header.size(); ++j) {
        const char c = header[j];
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (depth == 0 && (c == ',' || c == '}')) break;
    }
    return header.substr(i, j - i);
}

} // namespace

std::size_t NpyArray::elements() const {
    std::size_t n = 1;
    for (std::size_t d : shape)
        n *= d;
    return n;
}

std::vector<float> NpyArray::toFloats() const {
    std::vector<float> out(elements());
    if (descr == "<f4") {
        std::memcpy(out.data(), data.data(), out.size() * 4);
    } else if (descr == "<f8") {
        for (std::size_t i = 0; i < out.size(); ++i) {
            double d;
            std::memcpy(&d, data.data() + 8 * i, 8);
            out[i] = float(d);
        }
    } else {
        throw TrainError("array '" + name + "' has dtype " + descr + ", expected float32");
    }
    return out;
}

std::vector<std::int64_t> NpyArray::toInts() const {
    std::vector<std::int64_t> out(elements());
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (descr == "<i4") {
            std::int32_t v;
            std::memcpy(&v, data.data() + 4 * i, 4);
            out[i] = v;
        } else if (descr == "<i8") {
            std::memcpy(&out[i], data.data() + 8 * i, 8);
        } else {
            throw TrainError("array '" + name + "' has dtype " + descr + ", expected an integer");
        }
    }
    return out;
}

NpyArray makeFloatArray(std::string name, std::vector<std::size_t> shape, const float* values) {
    NpyArray a{std::move(name), "<f4", std::move(shape), {}};
    a.data.resize(a.elements() * 4);
    std::memcpy(a.data.data(), values, a.data.size());
    return a;
}

NpyArray makeIntArray(std::string name, const std::vector<std::int32_t>& values) {
    NpyArray a{std::move(name), "<i4", {values.size()}, {}};
    a.data.resize(values.size() * 4);
    std::memcpy(a.data.data(), values.data(), a.data.size());
    return a;
}

NpyArray makeStringArray(std::string name, const std::string& ascii) {
    NpyArray a{std::move(name), "<U" + std::to_string(ascii.size()), {}, {}};
    for (char c : ascii)
        put32(a.data, std::uint8_t(c));
    return a;
}

std::vector<std::uint8_t> encodeNpy(const NpyArray& array) {
    std::string header = "{'descr': '" + array.descr +
                         "', 'fortran_order': False, 'shape': " + shapeText(array.shape) + ", }";
    // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
    const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::vector<std::uint8_t> out{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    put16(out, std::uint32_t(header.size()));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), array.data.begin(), array.data.end());
    return out;
}

NpyArray decodeNpy(const std::vector<std::uint8_t>& bytes, const std::string& where) {
    if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
        throw TrainError(where + ": not a .npy array");
    }
    const int major = bytes[6];
    std::size_t headerLen = 0, start = 0;
    if (major == 1) {
        headerLen = get16(bytes.data() + 8);
        start = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw TrainError(where + ": truncated .npy header");
        headerLen = get32(bytes.data() + 8);
        start = 12;
    } else {
        throw TrainError(where + ": .npy format version " + std::to_string(major) +
                         " is not supported");
    }
    if (bytes.size() < start + headerLen) throw TrainError(where + ": truncated .npy header");
    const std::string header(bytes.begin() + start, bytes.begin() + start + headerLen);
    NpyArray a;
    std::string descr = headerField(header, "descr", where);
    if (descr.size() < 2) throw TrainError(where + ": bad dtype in .npy header");
    a.descr = descr.substr(1, descr.size() - 2);
    if (a.descr.size() >= 2 && a.descr[0] == '|') a.descr[0] = '<'; // one-byte types
    if (headerField(header, "fortran_order", where) != "False") {
        throw TrainError(where + ": Fortran-order arrays are not supported");
    }
    const std::string shape = headerField(header, "shape", where);
    for (std::size_t i = 0; i < shape.size();) {
        if (std::isdigit(static_cast<unsigned char>(shape[i]))) {
            std::size_t used = 0;
            a.shape.push_back(std::stoull(shape.substr(i), &used));
            i += used;
        } else {
            ++i;
        }
    }
    const std::size_t itemSize = dtypeSize(a.descr);
    if (itemSize == 0 || a.descr[0] != '<') {
        throw TrainError(where + ": dtype " + a.descr + " is not supported");
    }
    const std::size_t want = a.elements() * itemSize;
    if (bytes.size() - start - headerLen != want) {
        throw TrainError(where + ": data size " + std::to_string(bytes.size() - start - headerLen) +
                         " does not match shape " + shape + " of " + a.descr);
    }
    a.data.assign(bytes.begin() + start + headerLen, bytes.end());
    return a;
}

void writeNpz(const fs::path& path, const std::vector<NpyArray>& arrays) {
    std::vector<std::uint8_t> zip, central;
    for (const auto& array : arrays) {
        const std::vector<std::uint8_t> npy = encodeNpy(array);
        const std::string name = array.name + ".npy";
        const std::uint32_t crc = std::uint32_t(crc32(0, npy.data(), uInt(npy.size())));
        if (npy.size() >= 0xffffffffu) throw TrainError(name + ": over 4 GiB needs zip64");
        const std::uint32_t offset = std::uint32_t(zip.size());
        // Local file header: version 2.0, no flags, method 0 (stored), DOS time 1980-01-01.
        put32(zip, 0x04034b50);
        put16(zip, 20);
        put16(zip, 0);
        put16(zip, 0);
        put16(zip, 0);
        put16(zip, 0x21);
        put32(zip, crc);
        put32(zip, std::uint32_t(npy.size()));
        put32(zip, std::uint32_t(npy.size()));
        put16(zip, std::uint32_t(name.size()));
        put16(zip, 0);
        zip.insert(zip.end(), name.begin(), name.end());
        zip.insert(zip.end(), npy.begin(), npy.end());
        // Central directory entry for the same file.
        put32(central, 0x02014b50);
        put16(central, 20);
        put16(central, 20);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0x21);
        put32(central, crc);
        put32(central, std::uint32_t(npy.size()));
        put32(central, std::uint32_t(npy.size()));
        put16(central, std::uint32_t(name.size()));
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put32(central, 0);
        put32(central, offset);
        central.insert(central.end(), name.begin(), name.end());
    }
    const std::uint32_t centralOffset = std::uint32_t(zip.size());
    zip.insert(zip.end(), central.begin(), central.end());
    put32(zip, 0x06054b50); // end of central directory
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, std::uint32_t(arrays.size()));
    put16(zip, std::uint32_t(arrays.size()));
    put32(zip, std::uint32_t(central.size()));
    put32(zip, centralOffset);
    put16(zip, 0);

    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(zip.data()), std::streamsize(zip.size()));
        out.flush();
        if (!out) throw TrainError(tmp.string() + ": cannot write");
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) throw TrainError(path.string() + ": cannot rename into place (" + ec.message() + ")");
}

std::vector<NpyArray> readNpz(const fs::path& path) {
    const std::string file = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TrainError(file + ": cannot open");
    const std::vector<std::uint8_t> zip((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
    // The end-of-central-directory record is in the last 22 + 65535 bytes (comment at most).
    std::size_t eocd = std::string::npos;
    if (zip.size() >= 22) {
        const std::size_t lowest = zip.size() > 22 + 65535 ? zip.size() - 22 - 65535 : 0;
        for (std::size_t i = zip.size() - 22 + 1; i-- > lowest;) {
            if (get32(zip.data() + i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
    }
    if (eocd == std::string::npos) throw TrainError(file + ": not a zip/.npz archive");
    const std::size_t entries = get16(zip.data() + eocd + 10);
    std::size_t p = get32(zip.data() + eocd + 16);
    std::vector<NpyArray> arrays;
    for (std::size_t e = 0; e < entries; ++e) {
        if (p + 46 > zip.size() || get32(zip.data() + p) != 0x02014b50) {
            throw TrainError(file + ": corrupt zip central directory");
        }
        const std::uint32_t method = get16(zip.data() + p + 10);
        const std::uint32_t crc = get32(zip.data() + p + 16);
        const std::size_t packed = get32(zip.data() + p + 20);
        const std::size_t size = get32(zip.data() + p + 24);
        const std::size_t nameLen = get16(zip.data() + p + 28);
        const std::size_t extraLen = get16(zip.data() + p + 30);
        const std::size_t commentLen = get16(zip.data() + p + 32);
        const std::size_t local = get32(zip.data() + p + 42);
        if (p + 46 + nameLen > zip.size()) throw TrainError(file + ": corrupt zip entry name");
        std::string name(zip.begin() + p + 46, zip.begin() + p + 46 + nameLen);
        p += 46 + nameLen + extraLen + commentLen;
        if (local + 30 > zip.size() || get32(zip.data() + local) != 0x04034b50) {
            throw TrainError(file + ": corrupt zip local header for " + name);
        }
        const std::size_t dataStart =
            local + 30 + get16(zip.data() + local + 26) + get16(zip.data() + local + 28);
        if (dataStart + packed > zip.size()) throw TrainError(file + ": truncated entry " + name);
        std::vector<std::uint8_t> npy(size);
        if (method == 0) {
            if (packed != size) throw TrainError(file + ": bad stored entry " + name);
            std::memcpy(npy.data(), zip.data() + dataStart, size);
        } else if (method == 8) {
            z_stream zs{};
            inflateInit2(&zs, -MAX_WBITS); // raw deflate, as zip stores it
            zs.next_in = const_cast<Bytef*>(zip.data() + dataStart);
            zs.avail_in = uInt(packed);
            zs.next_out = npy.data();
            zs.avail_out = uInt(size);
            const int rc = inflate(&zs, Z_FINISH);
            inflateEnd(&zs);
            if (rc != Z_STREAM_END || zs.total_out != size) {
                throw TrainError(file + ": cannot inflate entry " + name);
            }
        } else {
            throw TrainError(file + ": entry " + name + " uses zip method " +
                             std::to_string(method) + " (only stored and deflate are supported)");
        }
        if (std::uint32_t(crc32(0, npy.data(), uInt(npy.size()))) != crc) {
            throw TrainError(file + ": CRC mismatch in entry " + name + " (file corrupt)");
        }
        if (name.size() > 4 && name.ends_with(".npy")) name.resize(name.size() - 4);
        NpyArray a = decodeNpy(npy, file + "/" + name);
        a.name = name;
        arrays.push_back(std::move(a));
    }
    return arrays;
}

} // namespace lb::train
