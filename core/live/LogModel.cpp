#include "core/live/LogModel.h"

#include <limits>

namespace lb {

LogModel::LogModel(std::shared_ptr<LogIndex> index, QObject* parent)
    : QAbstractListModel(parent), index_(std::move(index)), resets_(index_->resets()) {
    setLineCount(index_->lineCount());
}

void LogModel::setLineCount(qint64 count) {
    const int rows = static_cast<int>(std::min<qint64>(count, std::numeric_limits<int>::max()));
    if (index_->resets() != resets_ || rows < rows_) {
        resets_ = index_->resets();
        beginResetModel();
        cache_.clear();
        lru_.clear();
        rows_ = rows;
        endResetModel();
        return;
    }
    // The last cached block may hold an open (growing) line or miss new lines: drop it.
    if (rows_ > 0) {
        const std::int64_t lastBlock = (rows_ - 1) / LogIndex::kBlock;
        cache_.remove(lastBlock);
        lru_.remove(lastBlock);
        emit dataChanged(index(rows_ - 1), index(rows_ - 1), {Qt::DisplayRole});
    }
    if (rows > rows_) {
        beginInsertRows({}, rows_, rows - 1);
        rows_ = rows;
        endInsertRows();
    }
}

int LogModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

const QStringList& LogModel::block(std::int64_t b) const {
    auto it = cache_.find(b);
    if (it != cache_.end()) {
        lru_.remove(b);
        lru_.push_front(b);
        return *it;
    }
    if (static_cast<int>(lru_.size()) >= kCachedBlocks) {
        cache_.remove(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(b);
    return *cache_.insert(b, index_->lines(b * LogIndex::kBlock, LogIndex::kBlock));
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const std::int64_t row = index.row();
    const QStringList& lines = block(row / LogIndex::kBlock);
    const qsizetype at = static_cast<qsizetype>(row % LogIndex::kBlock);
    return at < lines.size() ? lines[at] : QString();
}

} // namespace lb
