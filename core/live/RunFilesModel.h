#pragma once
// A run's kept files (outputs/, logs/) as a tree of folders and files with sizes; a folder's
// size is the sum of what it holds.

#include "core/store/Entities.h"

#include <QAbstractItemModel>

#include <deque>

namespace lb {

class RunFilesModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, SizeRole, IsFolderRole };

    explicit RunFilesModel(QObject* parent = nullptr);
    // Replaces the files (paths relative to the snapshot, "outputs/model.npz"). No reset when
    // nothing changed.
    void setFiles(const QList<RunFile>& files);

    // "12 B", "3.4 KB", "1.2 MB", "5.0 GB".
    static QString formatSize(qint64 bytes);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node {
        QString name;
        QString path;
        qint64 size = 0;
        bool folder = false;
        Node* parent = nullptr;
        int row = 0;
        std::vector<Node*> children;
    };
    Node* nodeOf(const QModelIndex& index) const;
    QList<RunFile> files_;
    std::deque<Node> nodes_;
    Node* root_ = nullptr;
};

} // namespace lb
