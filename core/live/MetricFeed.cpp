#include "core/live/MetricFeed.h"

#include "core/store/MetricStream.h"
#include "core/store/Store.h"
#include "core/store/SystemMetricRepository.h"

namespace lb {

struct MetricFeed::State {
    std::unique_ptr<Store> store;
    std::int64_t lastVersion = -1;
    bool pending = true; // a batch limit left points unread: poll again without waiting
    QString lastError;
};

void MetricBuffers::setView(MetricSeriesBuffer::XAxis axis, double smoothing) {
    for (auto& [key, entry] : series)
        entry.buffer.setView(axis, smoothing);
    ++version;
}

std::size_t MetricBuffers::memoryBytes() const {
    std::size_t bytes = 0;
    for (const auto& [key, entry] : series)
        bytes += entry.buffer.memoryBytes();
    return bytes;
}

std::size_t MetricBuffers::pointCount() const {
    std::size_t n = 0;
    for (const auto& [key, entry] : series)
        n += entry.buffer.size();
    return n;
}

MetricFeed::MetricFeed(QString storePath, QStringList runIds, QObject* parent)
    : QObject(parent), storePath_(std::move(storePath)), runIds_(std::move(runIds)),
      state_(std::make_unique<State>()) {}

MetricFeed::~MetricFeed() { thread_.stop(); }

// One series a poll may read: a run's metric (key: the run) or a system metric (key: the node).
struct MetricFeed::SeriesRef {
    QString key;
    QString name;
    std::int64_t seriesId = 0;
    std::int64_t points = 0;
    bool system = false;
    std::int64_t superseded = 0;
};

void MetricFeed::setSystemMetricsOf(const QString& runId) {
    {
        std::lock_guard lock(runIdsMutex_);
        if (systemRun_ == runId)
            return;
        systemRun_ = runId;
    }
    runsChanged_ = true;
    thread_.wake();
}

QList<MetricFeed::SeriesRef> MetricFeed::seriesToRead(Store& store, const QStringList& runIds,
                                                      const QString& systemRun) const {
    QList<SeriesRef> refs;
    if (!systemRun.isEmpty()) {
        SystemMetricRepository repository(store.database());
        for (const SystemMetricSeries& s : repository.series(systemRun))
            refs.append({s.node, s.name, s.id, s.points, true});
        return refs;
    }
    MetricStreamReader reader(store.database());
    for (const QString& runId : runIds)
        for (const MetricSeriesInfo& info : reader.seriesOf(runId))
            refs.append({runId, info.name, info.seriesId, info.points, false, info.superseded});
    return refs;
}

QStringList MetricFeed::runIds() const {
    std::lock_guard lock(runIdsMutex_);
    return runIds_;
}

void MetricFeed::setRunIds(const QStringList& runIds) {
    {
        std::lock_guard lock(runIdsMutex_);
        if (runIds_ == runIds)
            return;
        runIds_ = runIds;
    }
    runsChanged_ = true;
    thread_.wake();
}

void MetricFeed::start(int intervalMs) {
    thread_.start([this] { poll(); }, std::chrono::milliseconds(intervalMs));
}

void MetricFeed::poll() {
    State& st = *state_;
    if (runsChanged_.exchange(false))
        st.pending = true; // new runs: read even though the store did not change
    const QStringList runIds = this->runIds();
    QString systemRun;
    {
        std::lock_guard lock(runIdsMutex_);
        systemRun = systemRun_;
    }
    try {
        // A store deleted or rebuilt (`workspace repair`) under the feed: read the one at the
        // path now. Its series hold the same points in the same order, so the buffers stay.
        if (st.store && st.store->isReplacedOnDisk()) {
            st.store.reset();
            st.lastVersion = -1;
        }
        if (!st.store) // never made afresh here: a missing store is reported (issue 25)
            st.store = std::make_unique<Store>(storePath_, /*createIfMissing=*/false);
        bool more = true;
        while (more) {
            const std::int64_t version = st.store->dataVersion();
            if (version == st.lastVersion && !st.pending)
                return;
            st.lastVersion = version;
            st.pending = false;
            more = false;
            bool changed = false;
            MetricStreamReader reader(st.store->database());
            std::vector<MetricPoint> points;
            std::vector<SystemMetricPoint> systemPoints;
            for (const SeriesRef& info : seriesToRead(*st.store, runIds, systemRun)) {
                if (!metricNames_.isEmpty() && !metricNames_.contains(info.name))
                    continue;
                std::int64_t have = 0;
                bool reread = false;
                {
                    std::lock_guard lock(buffers_->mutex);
                    auto it = buffers_->series.find({info.key, info.name});
                    if (it != buffers_->series.end()) {
                        have = it->second.nextSeq;
                        // A resumed run superseded points this buffer holds (issue 20 item 2).
                        reread = it->second.superseded != info.superseded;
                    }
                }
                if (reread)
                    have = 0;
                else if (info.points <= have)
                    continue;
                points.clear();
                std::int64_t next = have;
                // Read outside the lock: the UI may decimate meanwhile.
                if (info.system) {
                    systemPoints.clear();
                    SystemMetricRepository(st.store->database())
                        .readFrom(info.seriesId, have, batchLimit_, systemPoints);
                    for (const SystemMetricPoint& p : systemPoints)
                        points.push_back({QString(), p.value, p.step, p.time});
                    next = have + static_cast<std::int64_t>(systemPoints.size());
                } else {
                    next = reader.readFrom(info.seriesId, have, batchLimit_, points, info.points);
                }
                if (static_cast<std::int64_t>(points.size()) == batchLimit_)
                    more = st.pending = true;
                std::lock_guard lock(buffers_->mutex);
                auto& entry = buffers_->series[{info.key, info.name}];
                if (entry.seriesId == 0) {
                    entry.seriesId = info.seriesId;
                    if (!buffers_->metricNames.contains(info.name))
                        buffers_->metricNames.append(info.name);
                    // A new series follows the view the others show.
                    for (const auto& [k, e] : buffers_->series) {
                        if (&e != &entry) {
                            entry.buffer.setView(e.buffer.axis(), e.buffer.smoothing());
                            break;
                        }
                    }
                }
                if (reread) {
                    const auto axis = entry.buffer.axis();
                    const double smoothing = entry.buffer.smoothing();
                    entry.buffer = MetricSeriesBuffer();
                    entry.buffer.setView(axis, smoothing);
                }
                entry.nextSeq = next;
                entry.superseded = info.superseded;
                for (const MetricPoint& p : points)
                    entry.buffer.append(p.step, p.value, p.time);
                ++buffers_->version;
                changed = true;
            }
            if (changed)
                emit dataArrived();
        }
        st.lastError.clear();
    } catch (const std::exception& e) {
        st.store.reset();
        st.lastVersion = -1;
        st.pending = true;
        const QString message = QString::fromStdString(e.what());
        if (message != st.lastError)
            emit failed(message);
        st.lastError = message;
    }
}

} // namespace lb
