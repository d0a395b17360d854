#include "core/tensorboard/EventDecoder.h"

#include "core/tensorboard/ProtoWire.h"

#include <cmath>
#include <cstring>

namespace lb {

namespace {

using proto::Field;
using proto::Reader;

// TensorFlow's DataType enum values (types.proto) that a scalar metric can have.
enum DataType : int {
    DtFloat = 1,
    DtDouble = 2,
    DtInt32 = 3,
    DtUint8 = 4,
    DtInt16 = 5,
    DtInt8 = 6,
    DtInt64 = 9,
    DtBool = 10,
    DtBfloat16 = 14,
    DtUint16 = 17,
    DtHalf = 19,
    DtUint32 = 22,
    DtUint64 = 23,
};

std::string_view view(const QByteArray& b) {
    return std::string_view(b.constData(), static_cast<std::size_t>(b.size()));
}

double halfToDouble(std::uint16_t h) {
    const int sign = (h >> 15) ? -1 : 1;
    const int exponent = (h >> 10) & 0x1F;
    const int mantissa = h & 0x3FF;
    if (exponent == 0) return sign * std::ldexp(mantissa, -24); // subnormal
    if (exponent == 31) return mantissa ? std::nan("") : sign * INFINITY;
    return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

double bfloat16ToDouble(std::uint16_t b) {
    const std::uint32_t bits = std::uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// The field of TensorProto that holds values of `dtype`, and the wire size of one element of
// tensor_content (0 when the type is not a number we take as a metric).
struct TypeInfo {
    std::uint32_t field = 0;
    int contentBytes = 0;
};

TypeInfo typeInfo(int dtype) {
    switch (dtype) {
    case DtFloat:
        return {5, 4};
    case DtDouble:
        return {6, 8};
    case DtInt32:
        return {7, 4};
    case DtUint8:
        return {7, 1};
    case DtInt8:
        return {7, 1};
    case DtInt16:
        return {7, 2};
    case DtUint16:
        return {7, 2};
    case DtInt64:
        return {10, 8};
    case DtBool:
        return {11, 1};
    case DtHalf:
        return {13, 2};
    case DtBfloat16:
        return {13, 2};
    case DtUint32:
        return {16, 4};
    case DtUint64:
        return {17, 8};
    default:
        return {};
    }
}

// Converts the raw little-endian bits of one element (or one typed-field entry) of `dtype`.
double fromBits(int dtype, std::uint64_t bits) {
    switch (dtype) {
    case DtFloat: {
        const auto b = static_cast<std::uint32_t>(bits);
        float f;
        std::memcpy(&f, &b, sizeof f);
        return f;
    }
    case DtDouble: {
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case DtInt32:
        return static_cast<std::int32_t>(bits);
    case DtInt16:
        return static_cast<std::int16_t>(bits);
    case DtInt8:
        return static_cast<std::int8_t>(bits);
    case DtUint8:
        return static_cast<std::uint8_t>(bits);
    case DtUint16:
        return static_cast<std::uint16_t>(bits);
    case DtUint32:
        return static_cast<std::uint32_t>(bits);
    case DtInt64:
        return static_cast<double>(static_cast<std::int64_t>(bits));
    case DtUint64:
        return static_cast<double>(bits);
    case DtBool:
        return bits ? 1.0 : 0.0;
    case DtHalf:
        return halfToDouble(static_cast<std::uint16_t>(bits));
    case DtBfloat16:
        return bfloat16ToDouble(static_cast<std::uint16_t>(bits));
    default:
        return 0;
    }
}

// Number of elements a TensorShapeProto describes; -1 for an unknown rank or malformed shape.
std::int64_t elementCount(std::string_view shape) {
    std::int64_t count = 1;
    Reader r(shape);
    Field f;
    while (r.next(f)) {
        if (f.number == 3 && f.wireType == proto::Varint && f.varint) return -1; // unknown_rank
        if (f.number != 2 || f.wireType != proto::LengthDelimited) continue;
        std::int64_t size = 1;
        Reader dim(f.bytes);
        Field d;
        while (dim.next(d))
            if (d.number == 1 && d.wireType == proto::Varint)
                size = static_cast<std::int64_t>(d.varint);
        if (!dim.ok() || size < 0) return -1;
        if (size == 0) return 0;
        count = size > (std::int64_t(1) << 40) / count ? (std::int64_t(1) << 40) : count * size;
    }
    return r.ok() ? count : -1;
}

// Appends the values of one repeated numeric field, packed or not. Fields 5 (float) and 6
// (double) are fixed width; the others are varints.
bool collectRepeated(const Field& f, std::vector<std::uint64_t>& out) {
    const bool fixed32 = f.number == 5, fixed64 = f.number == 6;
    if (f.wireType == proto::LengthDelimited) {
        Reader packed(f.bytes);
        while (!packed.atEnd()) {
            std::uint64_t v = 0;
            const bool ok = fixed32   ? packed.fixed(v, 4)
                            : fixed64 ? packed.fixed(v, 8)
                                      : packed.varint(v);
            if (!ok) return false;
            out.push_back(v);
        }
        return true;
    }
    if (fixed32 && f.wireType == proto::Fixed32)
        out.push_back(f.fixed32);
    else if (fixed64 && f.wireType == proto::Fixed64)
        out.push_back(f.fixed64);
    else if (!fixed32 && !fixed64 && f.wireType == proto::Varint)
        out.push_back(f.varint);
    else
        return false;
    return true;
}

// The value of a tensor that holds exactly one number; nullopt for anything else (strings,
// histograms, images, empty tensors).
std::optional<double> tensorScalar(std::string_view tensor) {
    int dtype = 0;
    std::int64_t count = 1; // no tensor_shape field: a scalar
    std::string_view content;
    std::vector<std::uint64_t> repeated[18];
    Reader r(tensor);
    Field f;
    while (r.next(f)) {
        if (f.number == 1 && f.wireType == proto::Varint)
            dtype = static_cast<int>(f.varint);
        else if (f.number == 2 && f.wireType == proto::LengthDelimited)
            count = elementCount(f.bytes);
        else if (f.number == 4 && f.wireType == proto::LengthDelimited)
            content = f.bytes;
        else if ((f.number >= 5 && f.number <= 7) || f.number == 10 || f.number == 11 ||
                 f.number == 13 || f.number == 16 || f.number == 17) {
            if (!collectRepeated(f, repeated[f.number])) return std::nullopt;
        }
    }
    const TypeInfo info = typeInfo(dtype);
    if (!r.ok() || count != 1 || info.field == 0) return std::nullopt;
    if (!content.empty()) {
        if (content.size() != static_cast<std::size_t>(info.contentBytes)) return std::nullopt;
        std::uint64_t bits = 0;
        for (int i = info.contentBytes - 1; i >= 0; --i)
            bits = (bits << 8) | static_cast<unsigned char>(content[static_cast<std::size_t>(i)]);
        return fromBits(dtype, bits);
    }
    const auto& values = repeated[info.field];
    if (values.size() != 1) return std::nullopt;
    return fromBits(dtype, values.front());
}

QString pluginNameOf(std::string_view metadata) {
    Reader r(metadata);
    Field f;
    while (r.next(f)) {
        if (f.number != 1 || f.wireType != proto::LengthDelimited) continue;
        Reader plugin(f.bytes);
        Field p;
        while (plugin.next(p))
            if (p.number == 1 && p.wireType == proto::LengthDelimited)
                return QString::fromUtf8(p.bytes.data(), static_cast<qsizetype>(p.bytes.size()));
    }
    return {};
}

bool decodeValue(std::string_view bytes, TensorBoardValue& value) {
    Reader r(bytes);
    Field f;
    while (r.next(f)) {
        if (f.number == 1 && f.wireType == proto::LengthDelimited)
            value.tag = QString::fromUtf8(f.bytes.data(), static_cast<qsizetype>(f.bytes.size()));
        else if (f.number == 2 && f.wireType == proto::Fixed32)
            value.scalar = f.asFloat();
        else if (f.number == 8 && f.wireType == proto::LengthDelimited)
            value.scalar = tensorScalar(f.bytes);
        else if (f.number == 9 && f.wireType == proto::LengthDelimited)
            value.pluginName = pluginNameOf(f.bytes);
    }
    return r.ok();
}

} // namespace

TensorBoardEvent decodeTensorBoardEvent(const QByteArray& record) {
    TensorBoardEvent event;
    Reader r(view(record));
    Field f;
    while (r.next(f)) {
        if (f.number == 1 && f.wireType == proto::Fixed64) {
            event.wallTime = f.asDouble();
        } else if (f.number == 2 && f.wireType == proto::Varint) {
            event.step = static_cast<std::int64_t>(f.varint);
        } else if (f.number == 5 && f.wireType == proto::LengthDelimited) {
            Reader summary(f.bytes);
            Field v;
            while (summary.next(v)) {
                if (v.number != 1 || v.wireType != proto::LengthDelimited) continue;
                TensorBoardValue value;
                if (!decodeValue(v.bytes, value)) return {};
                event.values.push_back(std::move(value));
            }
            if (!summary.ok()) return {};
        }
    }
    event.valid = r.ok();
    if (!event.valid) event.values.clear();
    return event;
}

} // namespace lb
