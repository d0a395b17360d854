#include "core/sysmon/SampleLines.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

namespace lb::sysmon {

namespace {

void appendJsonString(std::string& out, const std::string& text) {
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace

std::string formatSampleLines(const std::vector<NamedValue>& values, long long step,
                              const std::string& isoTime, const std::string& node) {
    std::string out;
    char number[40];
    for (const NamedValue& v : values) {
        if (!std::isfinite(v.value)) continue; // JSON has no NaN; a missing point says as much
        out += "{\"name\":";
        appendJsonString(out, v.name);
        std::snprintf(number, sizeof number, "%.15g", v.value);
        out += ",\"value\":";
        out += number;
        out += ",\"time\":";
        appendJsonString(out, isoTime);
        out += ",\"step\":" + std::to_string(step) + ",\"node\":";
        appendJsonString(out, node);
        out += "}\n";
    }
    return out;
}

std::string isoTimeNow() {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    tm utc{};
    const time_t seconds = tv.tv_sec;
    ::gmtime_r(&seconds, &utc);
    char text[96]; // wide enough for any int the compiler imagines in each field
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  int(tv.tv_usec / 1000));
    return text;
}

std::string nodeName() {
    const char* slurm = std::getenv("SLURMD_NODENAME");
    if (slurm && *slurm) return slurm;
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) == 0 && host[0]) return host;
    return "localhost";
}

std::string safeFileName(const std::string& name) {
    std::string out;
    for (const char c : name) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        out += keep ? c : '_';
    }
    if (out.empty() || out == "." || out == "..") out = "node";
    return out;
}

bool appendToFile(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    const ssize_t n = ::write(fd, text.data(), text.size());
    ::close(fd);
    return n == static_cast<ssize_t>(text.size());
}

} // namespace lb::sysmon
