#pragma once
// Writes TensorBoard event files from the formats' definitions, independently of the reader
// under test: its own protocol-buffer encoder and its own (bitwise) CRC-32C.
//
//   TFRecord: uint64 length, uint32 masked_crc32c(length), data, uint32 masked_crc32c(data)
//   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary { repeated Value value = 1; }
//   Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstdint>
#include <cstring>
#include <vector>

namespace tbw {

inline std::uint32_t bitwiseCrc32c(const QByteArray& data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int i = 0; i < 8; ++i)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline std::uint32_t masked(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

inline QByteArray le(std::uint64_t v, int n) {
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out.append(static_cast<char>((v >> (8 * i)) & 0xFF));
    return out;
}

inline QByteArray record(const QByteArray& data) {
    const QByteArray length = le(static_cast<std::uint64_t>(data.size()), 8);
    return length + le(masked(bitwiseCrc32c(length)), 4) + data + le(masked(bitwiseCrc32c(data)), 4);
}

// Protocol-buffer encoding.
inline QByteArray varint(std::uint64_t v) {
    QByteArray out;
    while (v >= 0x80) {
        out.append(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.append(static_cast<char>(v));
    return out;
}
inline QByteArray key(int field, int wireType) { return varint(std::uint64_t(field) << 3 | wireType); }
inline QByteArray varintField(int field, std::uint64_t v) { return key(field, 0) + varint(v); }
inline QByteArray bytesField(int field, const QByteArray& b) {
    return key(field, 2) + varint(static_cast<std::uint64_t>(b.size())) + b;
}
inline QByteArray floatBits(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return le(u, 4);
}
inline QByteArray doubleBits(double d) {
    std::uint64_t u;
    std::memcpy(&u, &d, 8);
    return le(u, 8);
}
inline QByteArray floatField(int field, float f) { return key(field, 5) + floatBits(f); }
inline QByteArray doubleField(int field, double d) { return key(field, 1) + doubleBits(d); }

// TensorProto dtypes used below.
enum { DT_FLOAT = 1, DT_DOUBLE = 2, DT_INT32 = 3, DT_STRING = 7, DT_INT64 = 9, DT_HALF = 19 };

inline QByteArray shape(const std::vector<std::int64_t>& dims) {
    QByteArray s;
    for (auto d : dims)
        s += bytesField(2, varintField(1, static_cast<std::uint64_t>(d)));
    return s;
}
inline QByteArray pluginMetadata(const QByteArray& plugin) {
    return bytesField(1, bytesField(1, plugin));
}

// Summary.Value builders.
inline QByteArray simpleValue(const QByteArray& tag, float v) {
    return bytesField(1, tag) + floatField(2, v);
}
inline QByteArray tensorValue(const QByteArray& tag, const QByteArray& tensor, const QByteArray& metadata = {}) {
    return bytesField(1, tag) + (metadata.isEmpty() ? QByteArray() : bytesField(9, metadata)) + bytesField(8, tensor);
}

inline QByteArray eventRecordData(double wallTime, std::int64_t step, const std::vector<QByteArray>& values) {
    QByteArray summary;
    for (const auto& v : values)
        summary += bytesField(1, v);
    return doubleField(1, wallTime) + varintField(2, static_cast<std::uint64_t>(step)) + bytesField(5, summary);
}
inline QByteArray fileVersionEvent(double wallTime) {
    return doubleField(1, wallTime) + bytesField(3, "brain.Event:2");
}

inline bool append(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    const bool ok = f.write(bytes) == bytes.size();
    f.close();
    return ok;
}

} // namespace tbw
