#include "core/runs/RunGpuMetrics.h"

#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QFile>

#include <fcntl.h>
#include <unistd.h>

namespace lb {

namespace {

// Appends the points as metrics.jsonl lines in one O_APPEND write, as the script's helper does.
void appendSamples(const QString& path, const std::vector<MetricPoint>& points) {
    QByteArray lines;
    for (const MetricPoint& p : points)
        lines += QByteArray::fromStdString(
                     Json{{"name", toStd(p.name)}, {"value", p.value}, {"step", p.step}, {"time", p.time}}.dump()) +
                 '\n';
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    [[maybe_unused]] const ssize_t n = ::write(fd, lines.constData(), static_cast<size_t>(lines.size()));
    ::close(fd);
}

} // namespace

RunGpuMetrics::RunGpuMetrics(Store& store, QString runId, const QString& devices, QString samplesFile,
                             int intervalMs)
    : store_(store), runId_(std::move(runId)), samplesFile_(std::move(samplesFile)), intervalMs_(intervalMs) {
    for (const QString& d : devices.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int index = d.trimmed().toInt(&ok);
        if (ok)
            devices_.append(index);
    }
    if (devices_.isEmpty())
        return;
    auto monitor = std::make_unique<GpuMonitor>();
    if (monitor->available())
        monitor_ = std::move(monitor);
}

RunGpuMetrics::~RunGpuMetrics() = default;

void RunGpuMetrics::poll() {
    if (!monitor_ || (sinceLast_.isValid() && sinceLast_.elapsed() < intervalMs_))
        return;
    sinceLast_.start();
    std::vector<MetricPoint> points;
    const double now = nowUnixSeconds();
    for (const GpuSample& s : monitor_->sample()) {
        // The local target's GPU numbers are NVML's indices (PCI order); see LocalTarget.
        if (!devices_.contains(s.index))
            continue;
        for (const auto& [name, value] : GpuMonitor::metrics(s))
            points.push_back({name, value, step_, now});
    }
    ++step_;
    if (points.empty())
        return;
    appendSamples(samplesFile_, points);
    try {
        store_.metrics().append(runId_, points);
    } catch (const std::exception&) {
        // A busy store costs one sample, never the run.
    }
}

} // namespace lb
