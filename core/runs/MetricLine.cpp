#include "runs/MetricLine.h"

#include "util/Json.h"

#include <charconv>
#include <cmath>

namespace lb {

namespace {

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

void parseFull(std::string_view line, MetricLine& out) {
    const Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
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
    if (v.is_number())
        out.value = v.get<double>();
    else if (v.is_boolean())
        out.value = v.get<bool>() ? 1.0 : 0.0;
    else {
        invalid(out, QStringLiteral("the value of metric \"%1\" is not a number").arg(fromStd(out.name)));
        return;
    }
    out.step = -1;
    if (j.contains("step") && j["step"].is_number()) {
        const double s = j["step"].get<double>();
        if (s >= 0 && std::isfinite(s))
            out.step = static_cast<std::int64_t>(s);
    }
    out.time = j.contains("time") && j["time"].is_number() ? j["time"].get<double>() : 0.0;
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
            std::string_view name;
            if (!c.simpleString(name) || name.empty())
                return false;
            out.name.assign(name);
            haveName = true;
        } else if (key == "value") {
            if (!c.number(out.value))
                return false;
            haveValue = true;
        } else if (key == "step") {
            if (!c.isNull()) {
                if (!c.integer(out.step) || out.step < 0)
                    return false;
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
