#pragma once
// The pip environment of a run on a remote target (SSH or Slurm): the same spec and hash as the
// local EnvironmentCache (EnvironmentSpec::forRemote), kept there under REMOTE_DIR/environments
// and built or reused by labbench-remote.sh's prepare-env while the run is Preparing.

#include "core/compute/ssh/RemoteLayout.h"

#include <QStringList>
#include <optional>

namespace lb {

struct Estimator;

struct RemoteEnvironment {
    QString root;   // the cache there: REMOTE_DIR/environments
    QString hash;   // EnvironmentSpec::hash()
    QString python; // the interpreter that builds it, as named there
    QStringList packages;

    // The published environment (a link to its build folder).
    QString dir() const { return root + QLatin1Char('/') + hash; }
    // `ROOT HASH PYTHON PKG...`: the words after `prepare-env RUN`.
    QStringList prepareWords() const;
    // `--venv ROOT HASH PYTHON N PKG...`: the words `start RUN MAX GRACE` takes before `--`.
    QStringList startWords() const;
};

// The environment a run needs there; nullopt when it asks for no pip packages. Throws
// lb::Error for a package that is refused (see EnvironmentSpec::forRemote).
std::optional<RemoteEnvironment> remoteEnvironment(const Estimator& estimator,
                                                   const RemoteLayout& layout,
                                                   const QString& targetPython);

// What remote targets check at submit: conda packages, and container images unless the target
// runs them (`containers`: SSH), are refused (with `installHint` saying where to install them
// instead); an image is not combined with pip packages there; pip packages must pass
// forRemote(). Throws lb::Error.
void checkRemoteEnvironment(const Estimator& estimator, const QString& targetName,
                            const QString& targetPython, const QString& installHint,
                            bool containers = false);

} // namespace lb
