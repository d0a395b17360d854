#pragma once
// TFRecord framing, read incrementally from a byte buffer that may end in the middle of a record.
//
//   uint64 length (little endian)
//   uint32 masked CRC-32C of the 8 length bytes
//   byte   data[length]
//   uint32 masked CRC-32C of data
//
// A writer appends records while we read, so "not enough bytes yet" (a torn tail) is normal and
// means wait; a checksum mismatch means corruption and is skipped with a warning.

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>

namespace lb {

struct TfRecordScan {
    enum class Kind {
        Record,     // `data` holds one record; `next` is the offset after it
        Incomplete, // the buffer ends inside a record: read again from `next` when it has grown
        Corrupt,    // a bad checksum: skip to `next` (the record after it, or a resync point)
    };
    Kind kind = Kind::Incomplete;
    QByteArray data;
    std::int64_t next = 0;
    QString problem; // for Corrupt: what was wrong, one phrase
};

// Reads the record that starts at `offset` of `buffer` (offsets relative to the buffer).
// A bad length checksum resynchronises on the next offset whose header checksum holds; when no
// such offset is in the buffer yet the result is Incomplete at `offset` (more data may show one).
TfRecordScan scanTfRecord(const QByteArray& buffer, std::int64_t offset);

// Records larger than this are treated as corrupt even with a valid length checksum: a bound on
// what one poll may try to hold in memory (TensorBoard scalars are tens of bytes).
constexpr std::int64_t kMaxTfRecordBytes = std::int64_t(256) << 20;

} // namespace lb
