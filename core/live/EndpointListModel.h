#pragma once
// The workspace's endpoints as a table for the Endpoints page: name, state, URL and the models
// served, one row per endpoint by name. QtCore only. Fed whole listings from a store watcher; a
// listing with the same names only refreshes the cells, so the selection survives a refresh.

#include "core/store/EndpointRepository.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QMetaType>

namespace lb {

class Workspace;

// What the Endpoints page loads off the UI thread: every endpoint with the state its server
// really has, and the keys of those that need one (the test panel and the charts send them).
struct EndpointListing {
    QList<EndpointRecord> endpoints;
    QHash<QString, QString> keys; // name -> bearer key, for endpoints with auth on
};

// Reads the listing, reconciling each endpoint with its lock as `endpoints list` does (a server
// that was killed shows Failed, not Healthy; one mid-launch holds its lock and stays
// Transitioning). A key that cannot be read is left out.
EndpointListing loadEndpointListing(Workspace& ws);

class EndpointListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, UrlColumn, ModelsColumn, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1, // the endpoint's name
        StateRole,                   // its state as text ("Healthy")
    };

    explicit EndpointListModel(QObject* parent = nullptr);

    void setListing(EndpointListing listing);
    const QList<EndpointRecord>& endpoints() const { return listing_.endpoints; }
    // The row of `name`, -1 when absent.
    int rowOf(const QString& name) const;
    // The endpoint called `name`, or null.
    const EndpointRecord* find(const QString& name) const;
    // Its bearer key; empty when it needs none.
    QString keyOf(const QString& name) const { return listing_.keys.value(name); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    EndpointListing listing_;
};

} // namespace lb

Q_DECLARE_METATYPE(lb::EndpointListing)
