#pragma once
// A minimal reader of the protocol-buffer wire format: enough to walk TensorBoard's Event,
// Summary and TensorProto messages without generated code. Every read is bounds-checked; a
// malformed message sets ok() to false and stops, it never reads past the buffer.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace lb::proto {

enum WireType : int { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

// One field of a message: its number, wire type and payload (the member that matches the type).
struct Field {
    std::uint32_t number = 0;
    int wireType = 0;
    std::uint64_t varint = 0;  // Varint
    std::uint64_t fixed64 = 0; // Fixed64 (raw bits, little endian decoded)
    std::uint32_t fixed32 = 0; // Fixed32
    std::string_view bytes;    // LengthDelimited

    double asDouble() const {
        double d;
        std::memcpy(&d, &fixed64, sizeof d);
        return d;
    }
    float asFloat() const {
        float f;
        std::memcpy(&f, &fixed32, sizeof f);
        return f;
    }
};

class Reader {
public:
    explicit Reader(std::string_view data)
        : p_(data.data())
        , end_(data.data() + data.size()) {}

    bool ok() const { return ok_; }
    bool atEnd() const { return p_ == end_; }

    // Reads the next field; false at the end of the message or when it is malformed (see ok()).
    bool next(Field& f) {
        if (!ok_ || p_ == end_) return false;
        std::uint64_t key = 0;
        if (!varint(key) || (key >> 3) == 0 || (key >> 3) > 0x1FFFFFFF) return fail();
        f.number = static_cast<std::uint32_t>(key >> 3);
        f.wireType = static_cast<int>(key & 7);
        switch (f.wireType) {
        case Varint:
            return varint(f.varint) || fail();
        case Fixed64:
            return fixed(f.fixed64, 8) || fail();
        case Fixed32: {
            std::uint64_t v = 0;
            if (!fixed(v, 4)) return fail();
            f.fixed32 = static_cast<std::uint32_t>(v);
            return true;
        }
        case LengthDelimited: {
            std::uint64_t n = 0;
            if (!varint(n) || n > static_cast<std::uint64_t>(end_ - p_)) return fail();
            f.bytes = std::string_view(p_, static_cast<std::size_t>(n));
            p_ += n;
            return true;
        }
        default: // groups (3, 4) and reserved types: nothing TensorBoard writes
            return fail();
        }
    }

    // Reads one base-128 varint.
    bool varint(std::uint64_t& out) {
        out = 0;
        for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
            const auto b = static_cast<unsigned char>(*p_++);
            out |= std::uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80)) return true;
        }
        return false;
    }

    // Reads `n` little-endian bytes.
    bool fixed(std::uint64_t& out, int n) {
        if (end_ - p_ < n) return false;
        out = 0;
        for (int i = n - 1; i >= 0; --i)
            out = (out << 8) | static_cast<unsigned char>(p_[i]);
        p_ += n;
        return true;
    }

private:
    bool fail() {
        ok_ = false;
        return false;
    }
    const char* p_;
    const char* end_;
    bool ok_ = true;
};

} // namespace lb::proto
