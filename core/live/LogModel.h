#pragma once
// A list model over a LogIndex: one row per log line, read from the file a block at a time as
// the view scrolls and kept in a small cache, so a view over a 1 GB log holds only what is shown.

#include "core/live/LogIndex.h"

#include <QAbstractListModel>
#include <QHash>

#include <list>
#include <memory>

namespace lb {

class LogModel : public QAbstractListModel {
    Q_OBJECT
public:
    explicit LogModel(std::shared_ptr<LogIndex> index, QObject* parent = nullptr);

    // Takes the index's new line count (from LogTail::grew): inserts rows, refreshes an open
    // last line, resets when the file was truncated.
    void setLineCount(qint64 count);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Blocks kept in memory at most (each LogIndex::kBlock lines).
    static constexpr int kCachedBlocks = 64;

private:
    const QStringList& block(std::int64_t b) const;
    std::shared_ptr<LogIndex> index_;
    int rows_ = 0;
    int resets_ = 0;
    mutable QHash<std::int64_t, QStringList> cache_;
    mutable std::list<std::int64_t> lru_;
};

} // namespace lb
