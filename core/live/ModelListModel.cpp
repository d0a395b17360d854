#include "core/live/ModelListModel.h"

#include "core/store/RunDisplayName.h"
#include "core/util/Time.h"

#include <QLocale>
#include <algorithm>

namespace lb {

ModelListModel::ModelListModel(QObject* parent)
    : QAbstractTableModel(parent) {}

QString ModelListModel::formatTags(const QMap<QString, QString>& tags) {
    QStringList out;
    for (auto it = tags.begin(); it != tags.end(); ++it)
        out.append(it.key() + QLatin1Char('=') + it.value());
    return out.join(QStringLiteral(", "));
}

void ModelListModel::setVersions(QList<ModelVersion> versions) {
    std::stable_sort(versions.begin(), versions.end(),
                     [](const ModelVersion& a, const ModelVersion& b) {
                         return a.name != b.name ? a.name < b.name : a.version < b.version;
                     });
    bool sameShape = versions.size() == versions_.size();
    for (qsizetype i = 0; sameShape && i < versions.size(); ++i)
        sameShape =
            versions[i].name == versions_[i].name && versions[i].version == versions_[i].version;
    if (sameShape) {
        versions_ = std::move(versions);
        if (!versions_.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    versions_ = std::move(versions);
    endResetModel();
}

void ModelListModel::setRuns(const QList<RunRecord>& runs) {
    runs_.clear();
    for (const RunRecord& r : runs)
        runs_.insert(r.id, r);
    if (!versions_.isEmpty())
        emit dataChanged(index(0, RunColumn), index(rowCount() - 1, RunColumn));
}

int ModelListModel::rowOf(const QString& name, int version) const {
    int found = -1;
    for (int r = 0; r < versions_.size(); ++r) {
        if (versions_[r].name != name) continue;
        if (version < 0 || versions_[r].version == version)
            found = r; // versions ascend: the last match is the newest
        if (version >= 0 && found >= 0) break;
    }
    return found;
}

int ModelListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(versions_.size());
}

int ModelListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= versions_.size()) return {};
    const ModelVersion& m = versions_[index.row()];
    switch (role) {
    case NameRole:
        return m.name;
    case VersionRole:
        return m.version;
    case RunIdRole:
        return m.runId;
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case NameColumn:
            return m.name;
        case VersionColumn:
            return role == SortRole ? QVariant(m.version) : QVariant(QString::number(m.version));
        case TagsColumn:
            return formatTags(m.tags);
        case DescriptionColumn:
            return m.description;
        case RunColumn: {
            const auto run = runs_.constFind(m.runId);
            return run == runs_.constEnd() ? m.runId : runDisplayName(*run);
        }
        case RegisteredColumn:
            return role == SortRole ? QVariant(m.created)
                                    : QVariant(QLocale().toString(m.created.toLocalTime(),
                                                                  QLocale::ShortFormat));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == RunColumn) {
            const auto run = runs_.constFind(m.runId);
            const QString about = run == runs_.constEnd() ? m.runId : runToolTip(*run);
            return tr("Open the dashboard of this run\n%1").arg(about);
        }
        if (index.column() == RegisteredColumn) return isoTime(m.created);
        return tr("%1:%2 from %3 (%4 bytes)")
            .arg(m.name)
            .arg(m.version)
            .arg(m.sourcePath)
            .arg(m.size);
    }
    return {};
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case VersionColumn:
        return tr("Version");
    case TagsColumn:
        return tr("Tags");
    case DescriptionColumn:
        return tr("Description");
    case RunColumn:
        return tr("Source run");
    case RegisteredColumn:
        return tr("Registered");
    }
    return {};
}

} // namespace lb
