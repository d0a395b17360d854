#include "core/lifecycle/MetricLine.h"

#include "core/util/Json.h"
#include "core/util/JsonValues.h"

#include <QLocale>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lb {

namespace {

// The largest step a metric line may give (see readStep).
constexpr std::int64_t kMaxStep = std::int64_t(1) << 53;

// A cursor over one line for the fast path; every helper returns false on anything unusual,
// which sends the line to the full parser.
struct Cursor {
    const char* p;
    const char* end;

    void skipSpace() {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            ++p;
    }
    bool expect(char c) {
        skipSpace();
        if (p >= end || *p != c)
            return false;
        ++p;
        return true;
    }
    // A string with no escapes (an escape means "use the full parser").
    bool simpleString(std::string_view& out) {
        if (!expect('"'))
            return false;
        const char* start = p;
        while (p < end && *p != '"') {
            if (*p == '\\' || static_cast<unsigned char>(*p) < 0x20)
                return false;
            ++p;
        }
        if (p >= end)
            return false;
        out = std::string_view(start, static_cast<size_t>(p - start));
        ++p;
        return true;
    }
    static void appendUtf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(std::uint32_t& out) {
        if (end - p < 4)
            return false;
        auto [ptr, ec] = std::from_chars(p, p + 4, out, 16);
        if (ec != std::errc() || ptr != p + 4)
            return false;
        p += 4;
        return true;
    }
    // A string value with JSON escapes decoded (metric names such as 'val "top-1"').
    bool string(std::string& out) {
        std::string_view plain;
        const char* start = p;
        if (simpleString(plain)) {
            out.assign(plain);
            return true;
        }
        p = start;
        if (!expect('"'))
            return false;
        out.clear();
        while (p < end && *p != '"') {
            const char c = *p++;
            if (static_cast<unsigned char>(c) < 0x20)
                return false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (p >= end)
                return false;
            switch (*p++) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp < 0xDC00) { // a surrogate pair
                    std::uint32_t low = 0;
                    if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                        return false;
                    p += 2;
                    if (!hex4(low) || low < 0xDC00 || low >= 0xE000)
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    return false;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                return false;
            }
        }
        if (p >= end)
            return false;
        ++p;
        return true;
    }
    bool isNull() {
        skipSpace();
        if (end - p >= 4 && std::string_view(p, 4) == "null") {
            p += 4;
            return true;
        }
        return false;
    }
    // A JSON number, or the NaN/Infinity tokens Python's json module writes.
    bool number(double& out) {
        skipSpace();
        const char* start = p;
        if (p < end && (*p == '+'))
            return false;
        auto [ptr, ec] = std::from_chars(p, end, out);
        if (ec != std::errc() || ptr == start)
            return false;
        p = ptr;
        return true;
    }
    bool integer(std::int64_t& out) {
        skipSpace();
        const char* start = p;
        auto [ptr, ec] = std::from_chars(p, end, out);
        if (ec != std::errc() || ptr == start)
            return false;
        if (ptr < end && (*ptr == '.' || *ptr == 'e' || *ptr == 'E'))
            return false; // 3.0 or 1e3: let the full parser decide
        p = ptr;
        return true;
    }
};

void invalid(MetricLine& out, const QString& why) {
    out.kind = MetricLine::Kind::Invalid;
    out.error = why;
}

// Python's json module writes NaN, Infinity and -Infinity, which JSON does not have: outside
// strings they become the strings "NaN", "Infinity" and "-Infinity", the form Labbench's own
// JSON uses (JsonValues.h), so a metric value keeps its meaning and records such as table rows
// holding them still parse.
std::string withoutNonFiniteTokens(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    bool inString = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < line.size())
                out += line[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        const std::string_view rest = line.substr(i);
        size_t skip = 0;
        for (std::string_view token : {std::string_view("-Infinity"), std::string_view("Infinity"), std::string_view("NaN")})
            if (!skip && rest.substr(0, token.size()) == token)
                skip = token.size();
        if (skip) {
            out += '"';
            out += rest.substr(0, skip);
            out += '"';
            i += skip - 1;
        } else {
            out += c;
        }
    }
    return out;
}

// A step is a whole number from 0 to 2^53. Anything else (-5, 2.5, 1e23, "3") is refused rather
// than stored as some other step (#25): -1 means "not given" in the store, a step past 2^53 is
// not exact for JSON readers that hold numbers as doubles (and the store's "next step" after
// it could overflow), and labbench.log() refuses negative and fractional steps before writing.
bool readStep(const Json& value, std::int64_t& step) {
    if (value.is_number_unsigned()) {
        const std::uint64_t u = value.get<std::uint64_t>();
        step = static_cast<std::int64_t>(std::min<std::uint64_t>(u, kMaxStep));
        return u <= static_cast<std::uint64_t>(kMaxStep);
    }
    if (value.is_number_integer()) {
        step = value.get<std::int64_t>();
        return step >= 0 && step <= kMaxStep;
    }
    if (!value.is_number_float())
        return false;
    const double d = value.get<double>();
    if (!(d >= 0) || d > double(kMaxStep) || d != std::floor(d))
        return false;
    step = static_cast<std::int64_t>(d);
    return true;
}

// A step as the line wrote it, near enough: 1e23, not 9.999999999999999e+22.
QString stepText(const Json& value) {
    if (value.is_number_float())
        return QString::number(value.get<double>(), 'g', QLocale::FloatingPointShortest);
    return fromStd(value.dump());
}

void parseFull(std::string_view line, MetricLine& out) {
    Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() && (line.find("NaN") != line.npos || line.find("Infinity") != line.npos)) {
        const std::string fixed = withoutNonFiniteTokens(line);
        j = Json::parse(fixed.begin(), fixed.end(), nullptr, /*allow_exceptions=*/false);
    }
    if (j.is_discarded()) {
        invalid(out, QStringLiteral("not valid JSON"));
        return;
    }
    if (!j.is_object()) {
        invalid(out, QStringLiteral("not a JSON object"));
        return;
    }
    const std::string type = j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>()
                                                                         : std::string("metric");
    auto nameOf = [&](const char* key) -> std::string {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    auto timeOf = [&] { return j.contains("time") && j["time"].is_number() ? j["time"].get<double>() : 0.0; };
    // A metric's or a checkpoint's optional step and time; false (the line Invalid) for a bad step.
    auto readStepAndTime = [&](const char* what) {
        out.step = -1;
        if (j.contains("step") && !j["step"].is_null() && !readStep(j["step"], out.step)) {
            invalid(out, QStringLiteral("the step of %1 \"%2\" is %3; a step must be a whole number "
                                        "from 0 to 9007199254740992 (or left out)")
                             .arg(QLatin1String(what), fromStd(out.name), stepText(j["step"])));
            return false;
        }
        out.time = timeOf();
        return true;
    };
    if (type == "tag" || type == "property") {
        out.name = nameOf("name");
        if (out.name.empty())
            out.name = nameOf("key");
        if (out.name.empty()) {
            invalid(out, QStringLiteral("a tag without a \"name\""));
            return;
        }
        const Json& v = j.contains("value") ? j["value"] : Json(nullptr);
        out.tagValue = v.is_string() ? fromStd(v.get<std::string>())
                                     : (v.is_null() ? QString() : fromStd(v.dump()));
        out.kind = MetricLine::Kind::Tag;
        return;
    }
    if (type == "checkpoint") {
        out.name = nameOf("path");
        if (out.name.empty()) {
            invalid(out, QStringLiteral("a checkpoint marker without a \"path\""));
            return;
        }
        if (!readStepAndTime("checkpoint"))
            return;
        out.kind = MetricLine::Kind::Checkpoint;
        return;
    }
    if (type == "attempt") {
        out.name = nameOf("reason");
        out.time = timeOf();
        out.kind = MetricLine::Kind::Attempt;
        return;
    }
    if (type != "metric") {
        out.kind = MetricLine::Kind::Ignored; // images, tables, …: not stored yet
        return;
    }
    out.name = nameOf("name");
    if (out.name.empty()) {
        invalid(out, QStringLiteral("a metric without a \"name\""));
        return;
    }
    const Json& v = j.contains("value") ? j["value"] : Json(nullptr);
    if (const auto number = numberFromJson(v)) // a number, or "NaN", "Infinity", "-Infinity"
        out.value = *number;
    else if (v.is_boolean())
        out.value = v.get<bool>() ? 1.0 : 0.0;
    else {
        invalid(out, QStringLiteral("the value of metric \"%1\" is not a number").arg(fromStd(out.name)));
        return;
    }
    if (!readStepAndTime("metric"))
        return;
    out.kind = MetricLine::Kind::Metric;
}

} // namespace

bool parseMetricLineFast(std::string_view line, MetricLine& out) {
    Cursor c{line.data(), line.data() + line.size()};
    if (!c.expect('{'))
        return false;
    bool haveName = false, haveValue = false;
    out.step = -1;
    out.time = 0;
    for (bool first = true;; first = false) {
        c.skipSpace();
        if (c.p < c.end && *c.p == '}') {
            if (!first)
                return false; // a trailing comma is not JSON
            break;
        }
        std::string_view key;
        if (!c.simpleString(key) || !c.expect(':'))
            return false;
        if (key == "name") {
            if (!c.string(out.name) || out.name.empty())
                return false;
            haveName = true;
        } else if (key == "value") {
            if (!c.number(out.value))
                return false;
            haveValue = true;
        } else if (key == "step") {
            if (!c.isNull()) {
                if (!c.integer(out.step) || out.step < 0 || out.step > kMaxStep)
                    return false; // the full parser says what is wrong with it
            }
        } else if (key == "time") {
            if (!c.isNull() && !c.number(out.time))
                return false;
        } else if (key == "type") {
            std::string_view type;
            if (!c.simpleString(type) || type != "metric")
                return false;
        } else {
            return false;
        }
        c.skipSpace();
        if (c.p < c.end && *c.p == ',') {
            ++c.p;
            continue;
        }
        if (!c.expect('}'))
            return false;
        break;
    }
    c.skipSpace();
    if (c.p != c.end || !haveName || !haveValue)
        return false;
    out.kind = MetricLine::Kind::Metric;
    return true;
}

void parseMetricLine(std::string_view line, MetricLine& out) {
    out.error.clear();
    if (parseMetricLineFast(line, out))
        return;
    parseFull(line, out);
}

} // namespace lb
