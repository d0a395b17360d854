#include "core/live/EndpointListModel.h"

#include "core/serve/EndpointControl.h"
#include "core/serve/EndpointFolder.h"
#include "core/serve/EndpointKey.h"
#include "core/workspace/Workspace.h"

#include <algorithm>

namespace lb {

EndpointListing loadEndpointListing(Workspace& ws) {
    EndpointListing out;
    for (const EndpointRecord& stored : ws.store().endpoints().list()) {
        EndpointRecord e = stored;
        if (!isDown(stored.state)) {
            try {
                e = findEndpoint(ws, stored.name); // with the state its server really has
            } catch (const std::exception&) {
                continue; // removed between the list and the look-up
            }
        }
        if (e.auth) {
            try {
                const QString key = readEndpointKey(EndpointFolder(ws.root(), e.name).keyPath());
                if (!key.isEmpty()) out.keys.insert(e.name, key);
            } catch (const std::exception&) {
                // A key file that is not private is refused by the core; requests get a 401.
            }
        }
        out.endpoints.append(e);
    }
    return out;
}

EndpointListModel::EndpointListModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void EndpointListModel::setListing(EndpointListing listing) {
    std::stable_sort(
        listing.endpoints.begin(), listing.endpoints.end(),
        [](const EndpointRecord& a, const EndpointRecord& b) { return a.name < b.name; });
    bool sameShape = listing.endpoints.size() == listing_.endpoints.size();
    for (qsizetype i = 0; sameShape && i < listing.endpoints.size(); ++i)
        sameShape = listing.endpoints[i].name == listing_.endpoints[i].name;
    if (sameShape) {
        listing_ = std::move(listing);
        if (!listing_.endpoints.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    listing_ = std::move(listing);
    endResetModel();
}

int EndpointListModel::rowOf(const QString& name) const {
    for (int r = 0; r < listing_.endpoints.size(); ++r)
        if (listing_.endpoints[r].name == name) return r;
    return -1;
}

const EndpointRecord* EndpointListModel::find(const QString& name) const {
    const int row = rowOf(name);
    return row < 0 ? nullptr : &listing_.endpoints[row];
}

int EndpointListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(listing_.endpoints.size());
}

int EndpointListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= listing_.endpoints.size()) return {};
    const EndpointRecord& e = listing_.endpoints[index.row()];
    if (role == NameRole) return e.name;
    if (role == StateRole) return toString(e.state);
    if (role == Qt::ToolTipRole && !e.reason.isEmpty()) return e.reason;
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case NameColumn:
        return e.name;
    case StateColumn:
        return toString(e.state);
    case UrlColumn:
        return endpointUrl(e) + QStringLiteral("/score");
    case ModelsColumn:
        return e.models.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant EndpointListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StateColumn:
        return tr("State");
    case UrlColumn:
        return tr("Scoring URI");
    case ModelsColumn:
        return tr("Models");
    default:
        return {};
    }
}

} // namespace lb
