#pragma once
// The disk space of run folders (issue 17), measured off the UI thread for the runs table's size
// column and an experiment's total. A finished run's folder no longer grows, so its size is kept
// once measured; an active run's is measured again when asked.
#include "core/store/Entities.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <optional>

namespace lb {

class RunSizes : public QObject {
    Q_OBJECT
public:
    explicit RunSizes(QObject* parent = nullptr);

    // Measures the folders of these runs that have no kept size yet (one background call at a
    // time; what is asked meanwhile follows it). measured() says which came in.
    void request(const QList<RunRecord>& runs);
    std::optional<qint64> size(const QString& runId) const;

signals:
    void measured(const QStringList& runIds);

private:
    void startNext();
    QHash<QString, qint64> sizes_;
    QHash<QString, QString> pending_; // run id -> folder, waiting for the next call
    QSet<QString> active_;            // runs whose size may still grow
    QSet<QString> measuring_;         // in the background call now
    bool busy_ = false;
};

class Store;

// Measures the folders of `experiment`'s runs (every run's when empty), keeps each size in the
// store (recordRunDiskUsage, so runs sort by size) and returns their total. Walks every file:
// call it off the UI thread.
qint64 measureRunDiskUsage(Store& store, const QString& experiment = {});

// "1.4 MB", "812 KB": a size as the workbench shows it (decimal units, as `du --si`).
QString formatDiskSize(qint64 bytes);

} // namespace lb
