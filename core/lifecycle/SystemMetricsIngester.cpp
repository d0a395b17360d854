#include "core/lifecycle/SystemMetricsIngester.h"

#include "core/store/Store.h"
#include "core/store/SystemMetricRepository.h"
#include "core/util/Json.h"
#include "core/util/SafeFile.h"
#include "core/util/Time.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <cmath>
#include <vector>

namespace lb {

namespace {

constexpr std::int64_t kChunkBytes = 4 << 20; // one transaction's worth; a sample is ~100 bytes
constexpr int kMostWarnings = 10;             // a broken file must not flood driver.log

// One line of RUN/system/<node>.jsonl; false with `why` when it is not one.
bool parseSystemLine(std::string_view text, const QString& fileNode, SystemMetricPoint& p,
                     QString& why) {
    const Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        why = QStringLiteral("not a JSON object");
        return false;
    }
    const auto name = j.find("name");
    const auto value = j.find("value");
    if (name == j.end() || !name->is_string() || name->get<std::string>().empty()) {
        why = QStringLiteral("no \"name\"");
        return false;
    }
    if (value == j.end() || !value->is_number()) {
        why = QStringLiteral("no numeric \"value\"");
        return false;
    }
    p.name = QString::fromStdString(name->get<std::string>());
    p.value = value->get<double>();
    const auto node = j.find("node");
    p.node = node != j.end() && node->is_string() && !node->get<std::string>().empty()
                 ? QString::fromStdString(node->get<std::string>())
                 : fileNode;
    const auto step = j.find("step");
    p.step = step != j.end() && step->is_number_integer()
                 ? std::max<std::int64_t>(0, step->get<std::int64_t>())
                 : 0;
    const auto time = j.find("time");
    p.time = 0;
    if (time != j.end() && time->is_string())
        p.time = unixSeconds(parseIsoTime(QString::fromStdString(time->get<std::string>())));
    else if (time != j.end() && time->is_number())
        p.time = time->get<double>();
    if (!(p.time > 0)) p.time = nowUnixSeconds();
    return true;
}

} // namespace

SystemMetricsIngester::SystemMetricsIngester(Store& store, QString runId, QString systemDir,
                                             std::function<void(const QString&)> warn)
    : store_(store)
    , runId_(std::move(runId))
    , systemDir_(std::move(systemDir))
    , warn_(std::move(warn)) {}

bool SystemMetricsIngester::ingest(bool final) {
    if (final || !sinceListed_.isValid() || sinceListed_.elapsed() >= 500) {
        sinceListed_.start();
        files_.clear();
        const QFileInfo dir(systemDir_);
        if (!dir.isDir() || dir.isSymLink()) return false; // the script cannot point us elsewhere
        static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9._-]+\\.jsonl$"));
        for (const QString& name : QDir(systemDir_)
                                       .entryList({QStringLiteral("*.jsonl")},
                                                  QDir::Files | QDir::NoSymLinks, QDir::Name))
            if (safe.match(name).hasMatch()) files_.append(name);
    }
    bool any = false;
    for (const QString& name : files_)
        any = ingestFile(name, final) || any;
    return any;
}

bool SystemMetricsIngester::ingestFile(const QString& fileName, bool final) {
    const QString key = QStringLiteral("system/") + fileName;
    Offset& at = offsets_[fileName];
    if (at.bytes < 0) {
        const auto stored = store_.runs().ingestOffset(runId_, key);
        at = {stored.bytes, stored.lines};
    }
    const std::optional<SafeFile> file =
        SafeFile::openIfRegular(systemDir_ + QLatin1Char('/') + fileName);
    if (!file) return false;
    const QString fileNode = fileName.chopped(6); // without ".jsonl"
    bool any = false;
    for (;;) {
        const std::int64_t size = file->size();
        if (size <= at.bytes) return any;
        const QByteArray chunk = file->readAt(at.bytes, std::min(size - at.bytes, kChunkBytes));
        if (chunk.isEmpty()) return any;
        const bool atEnd = at.bytes + chunk.size() >= size;
        std::vector<SystemMetricPoint> points;
        std::int64_t consumed = 0, lines = at.lines;
        SystemMetricPoint p;
        QString why;
        for (qsizetype start = 0; start < chunk.size();) {
            qsizetype nl = chunk.indexOf('\n', start);
            if (nl < 0 && !(final && atEnd)) break; // a partial last line waits
            const qsizetype end = nl < 0 ? chunk.size() : nl;
            ++lines;
            const std::string_view text(chunk.constData() + start,
                                        static_cast<size_t>(end - start));
            if (!text.empty() && text.find_first_not_of(" \r\t") != std::string_view::npos) {
                if (parseSystemLine(text, fileNode, p, why))
                    points.push_back(p);
                else if (warn_ && warnings_++ < kMostWarnings)
                    warn_(QStringLiteral("labbench: skipped line %1 of system/%2 (%3)")
                              .arg(lines)
                              .arg(fileName, why));
            }
            start = nl < 0 ? chunk.size() : nl + 1;
            consumed = start;
        }
        if (consumed == 0) {
            if (chunk.size() < kChunkBytes) return any;
            consumed = chunk.size(); // 4 MB without a newline is no sample: skip it
            ++lines;
        }
        SystemMetricRepository(store_.database())
            .append(runId_, points, key, at.bytes + consumed, lines);
        at.bytes += consumed;
        at.lines = lines;
        pointsStored_ += static_cast<std::int64_t>(points.size());
        any = true;
    }
}

} // namespace lb
