#pragma once
// Where a remote target keeps things on its machine (under the target's remote_dir):
//
//   DIR/runs/<id>/            the run folder, same protocol as a local one (RunFolder.h)
//   DIR/environments/<hash>   pip environments of runs, as in the local cache (EnvironmentCache.h)
//   DIR/.labbench/share/      Labbench's helpers: remote/labbench-remote.sh, python/ (metrics)

#include <QString>

namespace lb {

struct RemoteLayout {
    QString root;
    QString runDir(const QString& runId) const { return root + QStringLiteral("/runs/") + runId; }
    QString environmentsDir() const { return root + QStringLiteral("/environments"); }
    QString shareDir() const { return root + QStringLiteral("/.labbench/share"); }
    QString helper() const { return shareDir() + QStringLiteral("/remote/labbench-remote.sh"); }
    QString pythonDir() const { return shareDir() + QStringLiteral("/python"); }
};

} // namespace lb
