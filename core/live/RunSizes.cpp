#include "core/live/RunSizes.h"

#include "core/live/BackgroundCall.h"
#include "core/runs/RunDelete.h"
#include "core/store/RunFolders.h"

#include <QLocale>
#include <QSet>
#include <utility>

namespace lb {

RunSizes::RunSizes(QObject* parent)
    : QObject(parent) {}

void RunSizes::request(const QList<RunRecord>& runs) {
    for (const RunRecord& run : runs) {
        const bool finished = isTerminal(run.status);
        if (finished && (sizes_.contains(run.id) || measuring_.contains(run.id)) &&
            !active_.contains(run.id))
            continue; // kept, or on its way
        if (finished)
            active_.remove(run.id);
        else
            active_.insert(run.id);
        pending_.insert(run.id, run.runDir);
    }
    startNext();
}

std::optional<qint64> RunSizes::size(const QString& runId) const {
    const auto it = sizes_.find(runId);
    return it == sizes_.end() ? std::nullopt : std::optional<qint64>(*it);
}

void RunSizes::startNext() {
    if (busy_ || pending_.isEmpty()) return;
    busy_ = true;
    const QHash<QString, QString> folders = std::exchange(pending_, {});
    for (auto it = folders.begin(); it != folders.end(); ++it)
        measuring_.insert(it.key());
    runInBackground<QHash<QString, qint64>>(
        this,
        [folders] {
            QHash<QString, qint64> sizes;
            for (auto it = folders.begin(); it != folders.end(); ++it)
                sizes.insert(it.key(), it.value().isEmpty() ? 0 : diskUsage(it.value()));
            return sizes;
        },
        [this](QHash<QString, qint64> sizes) {
            busy_ = false;
            measuring_.clear();
            QStringList ids;
            for (auto it = sizes.begin(); it != sizes.end(); ++it) {
                sizes_.insert(it.key(), it.value());
                ids << it.key();
            }
            emit measured(ids);
            startNext();
        });
}

qint64 measureRunDiskUsage(Store& store, const QString& experiment) {
    QHash<QString, qint64> sizes;
    qint64 total = 0;
    for (const RunFolder& folder : runFolders(store, experiment)) {
        const qint64 bytes = diskUsage(folder.dir);
        sizes.insert(folder.runId, bytes);
        total += bytes;
    }
    recordRunDiskUsage(store, sizes);
    return total;
}

QString formatDiskSize(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace lb
