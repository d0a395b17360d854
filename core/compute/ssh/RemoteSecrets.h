#pragma once
// The secret variables of a run on an SSH or Slurm target (#25): never on a command line there
// (ps would show them, and Slurm keeps batch scripts), but in RUN/secrets.env on that machine,
// written with mode 0600 from the helper's stdin, and sourced by the helper's supervisor (SSH)
// or the batch script (Slurm) just before the script starts.

#include "core/compute/ssh/RemoteLayout.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace lb {

class RemoteShell;
struct Estimator;

// `export NAME='value'` lines for a POSIX shell, each value quoted byte for byte.
QByteArray secretsShellScript(const QMap<QString, QString>& values);

// Writes the estimator's secret values to RUN/secrets.env there (nothing when it has none).
// Throws lb::Error.
void storeRemoteSecrets(RemoteShell& shell, const RemoteLayout& layout, const QString& runId,
                        const Estimator& e);

// The file the run's secrets are in there.
inline QString remoteSecretsFile(const RemoteLayout& layout, const QString& runId) {
    return layout.runDir(runId) + QStringLiteral("/secrets.env");
}

} // namespace lb
