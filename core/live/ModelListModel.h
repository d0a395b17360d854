#pragma once
// The registered model versions as a table (one row per version, by name then version): name,
// version, tags, description, source run, registered time. QtCore only; the Models page shows
// it. Fed whole lists; a list with the same versions only refreshes the cells.

#include "core/store/Entities.h"

#include <QAbstractTableModel>
#include <QHash>

namespace lb {

class ModelListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        VersionColumn,
        TagsColumn,
        DescriptionColumn,
        RunColumn,
        RegisteredColumn,
        ColumnCount
    };
    enum Role {
        NameRole = Qt::UserRole + 1, // the model's name
        VersionRole,                 // its version number
        RunIdRole,                   // the run it was registered from
        SortRole,                    // what the column sorts by (numbers as numbers)
    };

    explicit ModelListModel(QObject* parent = nullptr);

    void setVersions(QList<ModelVersion> versions);
    // The source runs, by id: the Source run column shows their display names (core/store/
    // RunDisplayName.h) and tooltips; a run not given shows its id.
    void setRuns(const QList<RunRecord>& runs);
    const QList<ModelVersion>& versions() const { return versions_; }
    // The row of name:version (-1: the newest version of `name`); -1 when absent.
    int rowOf(const QString& name, int version = -1) const;
    // "a=1, b=2".
    static QString formatTags(const QMap<QString, QString>& tags);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ModelVersion> versions_;
    QHash<QString, RunRecord> runs_;
};

// What the Models page loads in one go: the versions and the runs they came from.
struct ModelListData {
    QList<ModelVersion> versions;
    QList<RunRecord> runs;
};

} // namespace lb

Q_DECLARE_METATYPE(QList<lb::ModelVersion>)
Q_DECLARE_METATYPE(lb::ModelListData)
