#pragma once
// The workspace browser's tree as a QAbstractItemModel (QtCore only; icons are the view's job):
//
//   Experiments → <experiment> → runs (status, live duration)
//   Compute targets → <target>
//   Models → <model> → versions
//   Data folders → <folder>
//
// It is fed whole snapshots from a StoreWatcher; a snapshot with the same shape only refreshes
// the cells (no reset, so selection and expansion stay).

#include "core/live/WorkspaceSnapshot.h"

#include <QAbstractItemModel>
#include <QDateTime>

#include <deque>
#include <vector>

namespace lb {

class WorkspaceModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum class NodeKind {
        Category,
        Experiment,
        Run,
        ComputeTarget,
        Model,
        ModelVersion,
        DataFolder,
        Endpoint,
    };
    enum Column { NameColumn, StatusColumn, DurationColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, // NodeKind as int
        KeyRole,                     // run id, experiment/target/model name, folder path
        StatusRole,                  // run or endpoint state ("Running", "Healthy"); else empty
        VersionRole,                 // model version number
        RunDirRole,                  // a run's folder
    };

    explicit WorkspaceModel(QObject* parent = nullptr);

    void setSnapshot(WorkspaceSnapshotPtr snapshot);
    const WorkspaceSnapshotPtr& snapshot() const { return snapshot_; }
    // The clock durations are measured against (tests pin it; null = now).
    void setClock(const QDateTime& now) { clock_ = now; }
    // Emits dataChanged for the durations of active runs; call once a second.
    void refreshLiveColumns();

    // The index of a run (column 0), invalid when it is not in the tree.
    QModelIndex indexOfRun(const QString& runId) const;
    const RunRecord* runAt(const QModelIndex& index) const;

    // "3 s", "4 min 05 s", "2 h 03 min"; for a run that has not started, empty.
    static QString formatDuration(qint64 seconds);
    static qint64 runSeconds(const RunRecord& run, const QDateTime& now);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Node {
        NodeKind kind = NodeKind::Category;
        QString title;
        QString key;
        Node* parent = nullptr;
        int row = 0;
        std::vector<Node*> children;
        const void* payload = nullptr; // RunRecord, ComputeTargetRecord or ModelVersion
    };
    Node* nodeOf(const QModelIndex& index) const;
    // An experiment's status cell: its runs, and its sweeps apart.
    static QString experimentCounts(const Node& experiment);
    void build(const WorkspaceSnapshot& s, std::deque<Node>& nodes, Node*& root) const;
    static QStringList shapeOf(const Node* root);
    QVariant runData(const RunRecord& run, int column, int role) const;

    WorkspaceSnapshotPtr snapshot_;
    std::deque<Node> nodes_;
    Node* root_ = nullptr;
    QHash<QString, Node*> runNodes_;
    QDateTime clock_;
};

} // namespace lb
