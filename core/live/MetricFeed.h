#pragma once
// Live metric histories of one or more runs: a background thread reads new points from the
// store (only past what it already holds) into MetricSeriesBuffers under a lock and emits one
// signal; charts coalesce redraws on their own timer and decimate under the same lock.

#include "core/live/MetricSeriesBuffer.h"
#include "core/live/PollThread.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace lb {

class Store;

// The buffers of every (run, metric) a feed follows. Lock `mutex` around every access.
struct MetricBuffers {
    struct Key {
        QString runId;
        QString name;
        bool operator<(const Key& o) const {
            return runId != o.runId ? runId < o.runId : name < o.name;
        }
    };
    struct Entry {
        MetricSeriesBuffer buffer;
        std::int64_t seriesId = 0;
        std::int64_t nextSeq = 0;    // where the next read starts (superseded points are skipped)
        std::int64_t superseded = 0; // the store's count when read: a change means read afresh
    };
    mutable std::mutex mutex;
    std::map<Key, Entry> series;
    QStringList metricNames; // every metric name seen, in order of first appearance
    std::uint64_t version = 0; // bumped on every change

    // Applies one view setting to every series (under the lock).
    void setView(MetricSeriesBuffer::XAxis axis, double smoothing);
    std::size_t memoryBytes() const;
    std::size_t pointCount() const;
};

class MetricFeed : public QObject {
    Q_OBJECT
public:
    MetricFeed(QString storePath, QStringList runIds, QObject* parent = nullptr);
    ~MetricFeed() override;

    const std::shared_ptr<MetricBuffers>& buffers() const { return buffers_; }
    QStringList runIds() const;
    // Follows these runs from the next poll on (a sweep's children appear while it runs); the
    // buffers of runs already read stay.
    void setRunIds(const QStringList& runIds);
    // Reads only these metrics (empty: all); set before start().
    void setMetricNames(const QStringList& names) { metricNames_ = names; }
    // Follows the system metrics of one run (issue 19) instead of the runs' own metrics: the
    // buffers are keyed by node where they are by run otherwise, so a chart draws a line per
    // node. Empty: the runs' metrics again.
    void setSystemMetricsOf(const QString& runId);
    // Starts polling every `intervalMs` (the first read at once).
    void start(int intervalMs = 250);
    void stop() { thread_.stop(); }
    // Most points read per series per poll: keeps one poll short and memory use bounded.
    void setBatchLimit(std::int64_t points) { batchLimit_ = points; }

signals:
    // New points or series arrived (emitted from the feed's thread; queued to receivers).
    void dataArrived();
    void failed(const QString& message);

private:
    void poll();
    struct SeriesRef;
    QList<SeriesRef> seriesToRead(Store& store, const QStringList& runIds,
                                  const QString& systemRun) const;
    QString storePath_;
    mutable std::mutex runIdsMutex_;
    QStringList runIds_;
    QString systemRun_; // under runIdsMutex_
    QStringList metricNames_;
    std::shared_ptr<MetricBuffers> buffers_ = std::make_shared<MetricBuffers>();
    std::int64_t batchLimit_ = 500000;
    PollThread thread_;
    // Owned by the thread.
    struct State;
    std::unique_ptr<State> state_;
    std::atomic<bool> runsChanged_{false}; // setRunIds asks the thread for a full read
};

} // namespace lb
