#include "core/tensorboard/TfRecordReader.h"

#include "core/tensorboard/Crc32c.h"

namespace lb {

namespace {

constexpr std::int64_t kHeaderBytes = 12; // length + its CRC
constexpr std::int64_t kFooterBytes = 4;  // data CRC

std::uint64_t readLe64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

std::uint32_t readLe32(const char* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

bool headerValid(const char* p) {
    return maskCrc32c(crc32c(p, 8)) == readLe32(p + 8) &&
           static_cast<std::int64_t>(readLe64(p)) >= 0 &&
           static_cast<std::int64_t>(readLe64(p)) <= kMaxTfRecordBytes;
}

} // namespace

TfRecordScan scanTfRecord(const QByteArray& buffer, std::int64_t offset) {
    TfRecordScan r;
    r.next = offset;
    const std::int64_t size = buffer.size();
    if (size - offset < kHeaderBytes) return r; // Incomplete
    const char* base = buffer.constData();
    if (!headerValid(base + offset)) {
        // The length cannot be trusted: look for the next place where a header checks out.
        for (std::int64_t p = offset + 1; p + kHeaderBytes <= size; ++p) {
            if (headerValid(base + p)) {
                r.kind = TfRecordScan::Kind::Corrupt;
                r.next = p;
                r.problem = QStringLiteral("the length checksum does not match");
                return r;
            }
        }
        return r; // Incomplete: the next good header may not be written yet
    }
    const auto length = static_cast<std::int64_t>(readLe64(base + offset));
    const std::int64_t end = offset + kHeaderBytes + length + kFooterBytes;
    if (end > size) return r; // Incomplete: a torn tail
    const char* data = base + offset + kHeaderBytes;
    r.next = end;
    if (maskCrc32c(crc32c(data, static_cast<std::size_t>(length))) != readLe32(data + length)) {
        r.kind = TfRecordScan::Kind::Corrupt;
        r.problem = QStringLiteral("the data checksum does not match");
        return r;
    }
    r.kind = TfRecordScan::Kind::Record;
    r.data = QByteArray(data, static_cast<qsizetype>(length));
    return r;
}

} // namespace lb
