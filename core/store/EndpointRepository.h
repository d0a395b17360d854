#pragma once
// The workspace's endpoints (issue 18): registered model versions served over HTTP by a detached
// labbench-serve process, each with a state history like a run's.

#include "core/store/EndpointLimits.h"
#include "core/store/EndpointState.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace lb {

class Database;

// One endpoint: what it serves and how, and where its server stands.
struct EndpointRecord {
    QString name;
    QString kind = QStringLiteral("native"); // "native" (model.npz in C++) or "score" (score.py)
    QStringList models;                      // "name:version", at least one
    QString host = QStringLiteral("127.0.0.1");
    int port = 0;
    int workers = 1;         // score.py worker processes
    bool auth = false;       // requests need "Authorization: Bearer KEY" (always off loopback)
    QString entry;           // score.py, relative to the endpoint's source copy
    QString sourceDir;       // the folder the user deployed from (copied into the endpoint)
    QStringList pipPackages; // the score.py environment's packages (none: the system python)
    int batchDelayUs = 0;    // native dynamic batching window; 0: off
    int requestTimeoutS = EndpointLimits().requestTimeoutS; // to send a request
    int runTimeoutS = EndpointLimits().runTimeoutS;         // score.py's run(), per request
    EndpointState state = EndpointState::Transitioning;
    QString reason;  // why it is Failed or Unhealthy
    qint64 pid = 0;  // the labbench-serve process that looks after it (0: none)
    QString logPath; // endpoints/<name>/serve.log
    QDateTime created;
    QDateTime updated; // the last state change
};

struct EndpointStateChange {
    EndpointState state;
    QDateTime time;
    QString reason;
};

class EndpointRepository {
public:
    explicit EndpointRepository(Database& db)
        : db_(db) {}

    // Records a new endpoint as Transitioning (its first history entry). Returns false (and
    // changes nothing) when the name is taken.
    bool add(const EndpointRecord& endpoint);
    // Replaces what the endpoint serves and how (a redeploy); state and history are kept.
    void updateConfig(const EndpointRecord& endpoint);
    // Migration 7: the time limits of endpoints deployed before the store held them, from the
    // limits.json in each endpoint's folder (beside its log); an endpoint without a readable one
    // keeps the defaults.
    void backfillLimitsFromFolders();
    std::optional<EndpointRecord> find(const QString& name);
    QList<EndpointRecord> list(); // by name
    QList<EndpointStateChange> history(const QString& name);
    // Moves the endpoint to `to` when canTransition() allows it from its state now (checked under
    // the write lock) and notes it in its history; false otherwise. A reason replaces the old
    // one; moving to Healthy clears it.
    bool transition(const QString& name, EndpointState to, const QString& reason = {});
    void setPid(const QString& name, qint64 pid);
    bool remove(const QString& name);

private:
    Database& db_;
};

// Inserts an endpoint as it was, with its history (for `workspace repair`). Throws lb::Error
// when one with the same name is there.
void restoreEndpoint(Database& db, const EndpointRecord& endpoint,
                     const QList<EndpointStateChange>& history);

} // namespace lb
