// The run reader: each runs/<id>/run.json gives the run's row, state history and tags; its
// streams go through the same ingester as a live run's (metrics.jsonl, driver.log, TensorBoard
// event files, system/*.jsonl), so the points, line counts and offsets are what the supervisor had
// stored; GPU samples of older runs come from gpu_metrics.jsonl.
#include "core/lifecycle/MetricLine.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunIngester.h"
#include "core/repair/RecordReaders.h"
#include "core/store/Store.h"
#include "core/store/StoreRestore.h"
#include "core/util/Error.h"
#include "core/workspace/mirror/RecordFile.h"
#include "core/workspace/mirror/RunJson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <algorithm>
#include <string_view>

namespace lb {

namespace {

// The run.json of every run folder, oldest first, so the new rows keep the store's order.
QList<RunJsonRecord> readRunFolders(RepairContext& c) {
    QList<RunJsonRecord> records;
    const QDir runs(c.root + QStringLiteral("/runs"));
    for (const QString& id : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const RunFolder folder(runs.filePath(id));
        if (!QFileInfo::exists(folder.runJson())) {
            c.result.skipped << QStringLiteral("%1 has no run.json (a submit that never finished "
                                               "leaves such a folder); it was left as it is.")
                                    .arg(folder.dir());
            continue;
        }
        try {
            RunJsonRecord r = readRunJson(folder.runJson());
            if (r.run.id != id)
                throw Error(QStringLiteral("%1 names the run '%2', not its folder's name '%3'; "
                                           "fix the file, then repair again.")
                                .arg(folder.runJson(), r.run.id, id));
            records.append(std::move(r));
        } catch (const Error& e) {
            c.result.skipped << e.message();
        }
    }
    std::stable_sort(records.begin(), records.end(),
                     [](const RunJsonRecord& a, const RunJsonRecord& b) {
                         if (a.run.created != b.run.created) return a.run.created < b.run.created;
                         if (a.run.experiment != b.run.experiment)
                             return a.run.experiment < b.run.experiment;
                         return a.run.number < b.run.number;
                     });
    return records;
}

// A run.json without a number (none is written without one) gets the next free one.
void numberRuns(QList<RunJsonRecord>& records) {
    QHash<QString, int> highest;
    for (const RunJsonRecord& r : records)
        highest[r.run.experiment] = std::max(highest.value(r.run.experiment), r.run.number);
    for (RunJsonRecord& r : records)
        if (r.run.number < 1) r.run.number = ++highest[r.run.experiment];
}

// GPU samples that supervisors before issue 19 stored as the run's metrics: gpu_metrics.jsonl holds
// each one with its step and time. (Runs since keep them in RUN/system/, which the ingester reads.)
std::int64_t restoreGpuSamples(RepairContext& c, const RunRecord& run) {
    const QString path = RunFolder(run.runDir).gpuMetricsFile();
    if (!QFileInfo::exists(path) && !QFileInfo(path).isSymLink()) return 0;
    QByteArray bytes;
    try {
        bytes = readRegularFile(path, qint64(1) << 30);
    } catch (const Error& e) {
        c.result.notes << QStringLiteral("Run %1 is back without its GPU samples: %2")
                              .arg(run.id, e.message());
        return 0;
    }
    std::vector<MetricPoint> points;
    MetricLine parsed;
    qsizetype consumed = 0;
    for (qsizetype start = 0; start < bytes.size();) {
        const qsizetype nl = bytes.indexOf('\n', start);
        if (nl < 0) break; // a sample cut short by a crash
        parseMetricLine(
            std::string_view(bytes.constData() + start, static_cast<size_t>(nl - start)), parsed);
        if (parsed.kind == MetricLine::Kind::Metric)
            points.push_back(
                {QString::fromStdString(parsed.name), parsed.value, parsed.step, parsed.time});
        start = consumed = nl + 1;
    }
    if (!points.empty())
        c.store.metrics().append(run.id, points, QFileInfo(path).fileName(), consumed, 0);
    return static_cast<std::int64_t>(points.size());
}

// The run's streams, as its supervisor ingested them: a run that ended is read to the end,
// a partial last line included, like finalizeRun does; its kept files are listed again.
void ingestRunFiles(RepairContext& c, const RunRecord& run) {
    int skippedLines = 0;
    // GPU samples first: the supervisor takes its first one as the script starts, before the
    // script can log anything, so their series come first in the store's order, as here.
    restoreGpuSamples(c, run);
    RunIngester ingester(c.store, run.id, run.runDir, [&](const QString&) { ++skippedLines; });
    const bool ended = isTerminal(run.status);
    ingester.ingest(ended);
    c.metricPoints += c.store.metrics().count(run.id);
    if (ended) c.store.runs().setFiles(run.id, listKeptFiles(RunFolder(run.runDir)));
    if (skippedLines > 0)
        c.result.notes << QStringLiteral("Run %1: %2 record(s) of its metric streams were skipped "
                                         "again, as when it ran (its driver.log says why).")
                              .arg(run.id)
                              .arg(skippedLines);
}

} // namespace

void restoreRuns(RepairContext& c) {
    QList<RunJsonRecord> records = readRunFolders(c);
    numberRuns(records);
    for (const RunJsonRecord& r : records) {
        try {
            restoreRun(c.store.database(), r.run, r.history, r.tags, r.note);
        } catch (const Error& e) {
            c.result.skipped << QStringLiteral("%1: %2").arg(RunFolder(r.run.runDir).runJson(),
                                                             e.message());
            continue;
        }
        ingestRunFiles(c, r.run);
        // The stream's own tag lines were applied again on ingest; run.json has the tags as the
        // run last had them (a tag the user removed since stays removed).
        if (r.tagsComplete) replaceRunTags(c.store.database(), r.run.id, r.tags);
        ++c.result.restored;
    }
}

} // namespace lb
