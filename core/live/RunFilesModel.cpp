#include "core/live/RunFilesModel.h"

#include <QHash>

#include <algorithm>

namespace lb {

RunFilesModel::RunFilesModel(QObject* parent) : QAbstractItemModel(parent) {
    nodes_.emplace_back();
    root_ = &nodes_.back();
    root_->folder = true;
}

QString RunFilesModel::formatSize(qint64 bytes) {
    if (bytes < 1024)
        return tr("%1 B").arg(bytes);
    const char* units[] = {"KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

void RunFilesModel::setFiles(const QList<RunFile>& files) {
    QList<RunFile> sorted = files;
    std::sort(sorted.begin(), sorted.end(),
              [](const RunFile& a, const RunFile& b) { return a.path < b.path; });
    bool same = sorted.size() == files_.size();
    for (qsizetype i = 0; same && i < sorted.size(); ++i)
        same = sorted[i].path == files_[i].path && sorted[i].size == files_[i].size;
    if (same)
        return;
    beginResetModel();
    files_ = sorted;
    nodes_.clear();
    nodes_.emplace_back();
    root_ = &nodes_.back();
    root_->folder = true;
    QHash<QString, Node*> folders;
    for (const RunFile& f : files_) {
        const QStringList parts = f.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        Node* parent = root_;
        QString prefix;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            prefix += (prefix.isEmpty() ? QString() : QStringLiteral("/")) + parts[i];
            const bool last = i + 1 == parts.size();
            Node* n = last ? nullptr : folders.value(prefix);
            if (!n) {
                nodes_.emplace_back();
                n = &nodes_.back();
                n->name = parts[i];
                n->path = prefix;
                n->folder = !last;
                n->parent = parent;
                n->row = static_cast<int>(parent->children.size());
                parent->children.push_back(n);
                if (!last)
                    folders.insert(prefix, n);
            }
            if (last) {
                n->size = f.size;
                for (Node* p = parent; p; p = p->parent)
                    p->size += f.size;
            }
            parent = n;
        }
    }
    endResetModel();
}

RunFilesModel::Node* RunFilesModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_;
}

QModelIndex RunFilesModel::index(int row, int column, const QModelIndex& parent) const {
    const Node* p = nodeOf(parent);
    if (row < 0 || column < 0 || column >= ColumnCount ||
        row >= static_cast<int>(p->children.size()) || (parent.isValid() && parent.column() != 0))
        return {};
    return createIndex(row, column, p->children[static_cast<std::size_t>(row)]);
}

QModelIndex RunFilesModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    const Node* n = nodeOf(child);
    if (!n->parent || n->parent == root_)
        return {};
    return createIndex(n->parent->row, 0, n->parent);
}

int RunFilesModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int RunFilesModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant RunFilesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* n = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? n->name : formatSize(n->size);
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                            : QVariant();
    case Qt::ToolTipRole:
    case PathRole:
        return n->path;
    case SizeRole:
        return n->size;
    case IsFolderRole:
        return n->folder;
    default:
        return {};
    }
}

QVariant RunFilesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Name") : tr("Size");
}

} // namespace lb
