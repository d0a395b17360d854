#pragma once
// The runs table (issue 17): one row per run that a RunSearch selects, one column per chosen key
// (attributes, metric summaries, parameters, tags). Filtering and sorting run as SQL on the store:
// the model never sorts or filters rows itself, sort() asks the store for a new order. Rows arrive
// in pages as the view scrolls (canFetchMore/fetchMore), loaded off the UI thread by a
// StoreWatcher. The table stays live from the store's data version: changed cells get dataChanged,
// new and vanished runs insert and remove rows, a new order moves them (layoutChanged, selection
// kept); only a new search or new columns reset it. A last "size" column shows each run folder's
// disk space, measured off the UI thread (RunSizes) once its row has been shown.
#include "core/query/RunQuery.h"
#include "core/store/Entities.h"
#include "core/store/RunSearch.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QList>
#include <QMutex>

#include <memory>

namespace lb {

class RunSizes;
class StoreWatcher;

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        RunIdRole = Qt::UserRole + 1, // the row's run id (every column)
        ValueRole,                    // the raw value: double, int, text or null
        StatusRole,                   // the run's status text
    };
    static constexpr int kPageSize = 200;

    explicit RunsTableModel(QObject* parent = nullptr);
    ~RunsTableModel() override;

    // Starts watching the workspace at `root` (loads off the UI thread).
    void setWorkspace(const QString& root);
    // A new filter, experiment or archived choice: the table loads again from its first page.
    void setSearch(const RunSearch& search);
    RunSearch search() const;
    void setColumns(const QList<query::Key>& columns);
    const QList<query::Key>& columns() const { return columns_; }
    // The size column after the chosen ones (on by default); it is not a query key, so it does
    // not sort.
    void setShowSizes(bool show);
    bool showsSizes() const { return showSizes_; }
    int sizeColumn() const { return showSizes_ ? int(columns_.size()) : -1; }

    // How many runs the search selects in all (the loaded rows may be fewer).
    int totalMatching() const { return total_; }
    QString runId(int row) const;
    int rowOf(const QString& runId) const;
    // Milliseconds from the last setSearch/sort to the rows it asked for being in the model.
    qint64 lastLoadMs() const { return lastLoadMs_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // Orders by the column's key in SQL (metrics by the column's summary).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // One page as the watcher thread loads it.
    struct Page {
        quint64 generation = 0;
        QList<RunRecord> runs;
        QList<QList<QVariant>> values;
        int total = 0;
    };

signals:
    // A search the store could not run (the text of the error), or the workspace could not open.
    void loadFailed(const QString& message);
    // Rows for the current search arrived (first page after a new search, or a live update).
    void loaded();

private:
    void applyPage(const std::shared_ptr<const Page>& page);
    void applyLiveUpdate(const Page& page);
    void restartLoad(bool reset);
    void sizesMeasured(const QStringList& runIds);
    QVariant sizeData(const RunRecord& run, int role) const;
    void queueSize(const RunRecord& run) const;
    void measureQueuedSizes() const;

    std::unique_ptr<StoreWatcher> watcher_;
    RunSizes* sizes_;
    bool showSizes_ = true;
    // Runs whose size cell a view asked for before it was measured: measured together once that
    // paint is over, so only rows on screen are measured, and never against their first paint.
    mutable QList<RunRecord> sizeQueue_;
    mutable bool sizeQueueScheduled_ = false;
    QList<query::Key> columns_;
    QList<RunRecord> runs_;
    QList<QList<QVariant>> values_;
    int total_ = 0;
    int wanted_ = kPageSize; // rows asked of the store: grows with fetchMore
    quint64 generation_ = 1; // changes with each new search or columns
    bool resetPending_ = true; // the next page replaces every row (a new search)
    bool loadTimed_ = false;
    QElapsedTimer sinceRequest_;
    qint64 lastLoadMs_ = -1;

    // What the watcher thread reads: a copy under the lock.
    mutable QMutex lock_;
    RunSearch search_;
    QList<query::Key> threadColumns_;
    int threadWanted_ = kPageSize;
    quint64 threadGeneration_ = 1;
};

} // namespace lb
