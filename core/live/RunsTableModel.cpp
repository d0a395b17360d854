#include "core/live/RunsTableModel.h"

#include "core/live/RunColumns.h"
#include "core/live/RunSizes.h"
#include "core/live/StoreWatcher.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QHash>
#include <QSet>
#include <QTimer>
#include <utility>

namespace lb {

using PagePtr = std::shared_ptr<const RunsTableModel::Page>;

} // namespace lb

Q_DECLARE_METATYPE(lb::PagePtr)

namespace lb {

RunsTableModel::RunsTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , sizes_(new RunSizes(this)) {
    connect(sizes_, &RunSizes::measured, this, &RunsTableModel::sizesMeasured);
    for (auto a : {query::Attribute::Status, query::Attribute::Name, query::Attribute::Start,
                   query::Attribute::Duration, query::Attribute::Target}) {
        query::Key k;
        k.attribute = a;
        columns_ << k;
    }
    threadColumns_ = columns_;
}

// The watcher's thread reads this model's search under lock_: stop it before any member goes.
RunsTableModel::~RunsTableModel() {
    watcher_.reset();
}

void RunsTableModel::setWorkspace(const QString& root) {
    watcher_ = std::make_unique<StoreWatcher>(
        root,
        [this](Workspace& ws) -> QVariant {
            RunSearch search;
            QList<query::Key> columns;
            auto page = std::make_shared<Page>();
            {
                QMutexLocker locker(&lock_);
                search = search_;
                columns = threadColumns_;
                page->generation = threadGeneration_;
                search.limit = threadWanted_;
            }
            search.offset = 0;
            page->runs = ws.store().runs().search(search);
            page->total = ws.store().runs().countMatching(search);
            page->values = runColumnValues(ws.store(), page->runs, columns);
            return QVariant::fromValue(PagePtr(page));
        },
        300);
    connect(watcher_.get(), &StoreWatcher::loaded, this,
            [this](const QVariant& v) { applyPage(v.value<PagePtr>()); });
    connect(watcher_.get(), &StoreWatcher::failed, this, &RunsTableModel::loadFailed);
    sinceRequest_.start();
    watcher_->start();
}

void RunsTableModel::setSearch(const RunSearch& search) {
    {
        QMutexLocker locker(&lock_);
        search_ = search;
    }
    restartLoad(true);
}

RunSearch RunsTableModel::search() const {
    QMutexLocker locker(&lock_);
    return search_;
}

void RunsTableModel::setColumns(const QList<query::Key>& columns) {
    beginResetModel();
    columns_ = columns;
    for (auto& row : values_)
        row = QList<QVariant>(columns.size());
    endResetModel();
    {
        QMutexLocker locker(&lock_);
        threadColumns_ = columns;
    }
    restartLoad(false);
}

void RunsTableModel::setShowSizes(bool show) {
    if (show == showSizes_) return;
    beginResetModel();
    showSizes_ = show;
    endResetModel(); // the view asks for the size cells it shows, which queues them
}

void RunsTableModel::sizesMeasured(const QStringList& runIds) {
    if (!showSizes_) return;
    for (const QString& id : runIds) {
        const int row = rowOf(id);
        if (row >= 0) emit dataChanged(index(row, sizeColumn()), index(row, sizeColumn()));
    }
}

void RunsTableModel::restartLoad(bool reset) {
    {
        QMutexLocker locker(&lock_);
        if (reset) threadWanted_ = kPageSize;
        generation_ = ++threadGeneration_;
    }
    if (reset) wanted_ = kPageSize;
    resetPending_ = resetPending_ || reset;
    loadTimed_ = false;
    sinceRequest_.restart();
    if (watcher_) watcher_->refreshNow();
}

void RunsTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= columnCount()) return;
    query::Key key;
    if (column == sizeColumn())
        key.attribute = query::Attribute::Size; // the sizes the store keeps (measureRunDiskUsage)
    else
        key = columns_[column];
    {
        QMutexLocker locker(&lock_);
        search_.sortKey = key;
        search_.descending = order == Qt::DescendingOrder;
    }
    restartLoad(false); // a new order of the same rows: moved, not reset
}

bool RunsTableModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && runs_.size() < total_ && wanted_ <= runs_.size();
}

void RunsTableModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid()) return;
    wanted_ = int(runs_.size()) + kPageSize;
    {
        QMutexLocker locker(&lock_);
        threadWanted_ = wanted_;
    }
    if (watcher_) watcher_->refreshNow();
}

void RunsTableModel::applyPage(const PagePtr& page) {
    if (!page || page->generation != generation_)
        return; // the answer to a search, order or column set that has been replaced since
    if (resetPending_) {
        beginResetModel();
        runs_ = page->runs;
        values_ = page->values;
        total_ = page->total;
        endResetModel();
        resetPending_ = false;
    } else {
        total_ = page->total;
        applyLiveUpdate(*page);
    }
    // Sizes already shown are asked again (RunSizes measures only active runs' again); the rest
    // when a view first shows them.
    if (showSizes_) {
        QList<RunRecord> shown;
        for (const RunRecord& run : std::as_const(runs_))
            if (sizes_->size(run.id)) shown << run;
        if (!shown.isEmpty()) sizes_->request(shown);
    }
    if (!loadTimed_) {
        lastLoadMs_ = sinceRequest_.elapsed();
        loadTimed_ = true;
    }
    emit loaded();
}

// Brings the rows to the page's runs without a reset: removes vanished runs, appends new ones,
// moves rows into the page's order (persistent indexes follow their run), updates changed cells.
void RunsTableModel::applyLiveUpdate(const Page& page) {
    QSet<QString> wantedIds;
    for (const RunRecord& r : page.runs)
        wantedIds.insert(r.id);
    for (int row = int(runs_.size()) - 1; row >= 0; --row) {
        if (wantedIds.contains(runs_[row].id)) continue;
        beginRemoveRows({}, row, row);
        runs_.removeAt(row);
        values_.removeAt(row);
        endRemoveRows();
    }
    QSet<QString> haveIds;
    for (const RunRecord& r : runs_)
        haveIds.insert(r.id);
    QList<qsizetype> added;
    for (qsizetype i = 0; i < page.runs.size(); ++i)
        if (!haveIds.contains(page.runs[i].id)) added << i;
    if (!added.isEmpty()) {
        beginInsertRows({}, int(runs_.size()), int(runs_.size() + added.size() - 1));
        for (qsizetype i : added) {
            runs_.append(page.runs[i]);
            values_.append(page.values[i]);
        }
        endInsertRows();
    }
    // Same set of runs now; put them in the page's order.
    bool sameOrder = true;
    for (qsizetype i = 0; i < runs_.size() && sameOrder; ++i)
        sameOrder = runs_[i].id == page.runs[i].id;
    if (!sameOrder) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        QHash<QString, int> newRow;
        for (qsizetype i = 0; i < page.runs.size(); ++i)
            newRow.insert(page.runs[i].id, int(i));
        const QModelIndexList before = persistentIndexList();
        QModelIndexList after;
        for (const QModelIndex& index : before)
            after << createIndex(newRow.value(runs_[index.row()].id), index.column());
        runs_ = page.runs;
        values_ = page.values;
        changePersistentIndexList(before, after);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
    // Cells whose value or status moved on.
    for (qsizetype i = 0; i < page.runs.size(); ++i) {
        const bool changed = !sameOrder || values_[i] != page.values[i] ||
                             runs_[i].status != page.runs[i].status ||
                             runs_[i].name != page.runs[i].name;
        runs_[i] = page.runs[i];
        values_[i] = page.values[i];
        if (changed && !columns_.isEmpty())
            emit dataChanged(index(int(i), 0), index(int(i), int(columns_.size()) - 1));
    }
}

QString RunsTableModel::runId(int row) const {
    return row >= 0 && row < runs_.size() ? runs_[row].id : QString();
}

int RunsTableModel::rowOf(const QString& runId) const {
    for (qsizetype i = 0; i < runs_.size(); ++i)
        if (runs_[i].id == runId) return int(i);
    return -1;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(runs_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(columns_.size()) + (showSizes_ ? 1 : 0);
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= runs_.size() || index.column() >= columnCount())
        return {};
    const RunRecord& run = runs_[index.row()];
    if (index.column() == sizeColumn()) return sizeData(run, role);
    const QVariant value = values_[index.row()].value(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(value);
    case Qt::ToolTipRole:
        return QStringLiteral("%1 · run %2 of %3")
            .arg(run.name.isEmpty() ? run.id : run.name)
            .arg(run.number)
            .arg(run.experiment);
    case Qt::TextAlignmentRole:
        return value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Int
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case RunIdRole:
        return run.id;
    case ValueRole:
        return value;
    case StatusRole:
        return toString(run.status);
    default:
        return {};
    }
}

void RunsTableModel::queueSize(const RunRecord& run) const {
    sizeQueue_ << run;
    if (sizeQueueScheduled_) return;
    sizeQueueScheduled_ = true;
    QTimer::singleShot(0, this, [this] { measureQueuedSizes(); });
}

void RunsTableModel::measureQueuedSizes() const {
    sizeQueueScheduled_ = false;
    sizes_->request(std::exchange(sizeQueue_, {}));
}

QVariant RunsTableModel::sizeData(const RunRecord& run, int role) const {
    const std::optional<qint64> bytes = sizes_->size(run.id);
    if (!bytes && (role == Qt::DisplayRole || role == ValueRole)) queueSize(run);
    switch (role) {
    case Qt::DisplayRole:
        return bytes ? formatDiskSize(*bytes) : QStringLiteral("…");
    case Qt::ToolTipRole:
        return QStringLiteral("Disk space of %1").arg(run.runDir);
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case RunIdRole:
        return run.id;
    case ValueRole:
        return bytes ? QVariant(*bytes) : QVariant();
    case StatusRole:
        return toString(run.status);
    default:
        return {};
    }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount() ||
        role != Qt::DisplayRole)
        return {};
    return section == sizeColumn() ? QStringLiteral("size") : columns_[section].text();
}

} // namespace lb
