#pragma once
// The workspace's cache of run environments (environments/): one Python virtual environment
// (or conda environment) per EnvironmentSpec, built once and reused by every later run that asks
// for the same interpreter and packages.
//
//   environments/<hash>            published environment: a symbolic link to its build folder
//   environments/<hash>.lock       flock-held while it is built or removed
//   environments/builds/<hash>-<t> the environment itself (labbench-env.json says what it is)
//
// A build happens in a fresh folder under builds/ and becomes visible only by renaming a link
// onto environments/<hash> once pip has succeeded, so a failed or interrupted install is never
// taken for a ready environment. (Virtual environments cannot be moved after pip wrote their
// scripts, hence a link is renamed rather than the folder.) Two processes that ask for the same
// new environment at once build it once: the second waits on the lock and then reuses it.

#include "core/environment/ContainerLaunch.h"
#include "core/environment/EnvironmentSpec.h"
#include "core/environment/ProcessLog.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace lb {

struct Estimator;

// How to launch a script in a prepared environment.
struct ResolvedEnvironment {
    EnvironmentSpec spec;
    QString hash;                     // empty for the system environment
    QString dir;                      // the environment's folder (venv/conda prefix)
    QString python;                   // the interpreter to start .py scripts with
    QStringList pathPrepend;          // folders to put first on PATH (the environment's bin/)
    QMap<QString, QString> variables; // VIRTUAL_ENV or CONDA_PREFIX
    std::optional<ContainerLaunch> container; // set for custom_docker_image: wrap the command
    bool built = false; // this call built it (false: reused or nothing to build)
    double seconds = 0; // how long prepare() took
};

// One cached environment, as `labbench env list` shows it.
struct CachedEnvironment {
    QString hash;
    QString dir;
    Json spec;
    QDateTime created;
    QDateTime lastUsed;
    double buildSeconds = 0;
    qint64 bytes = 0;
};

class EnvironmentCache {
public:
    explicit EnvironmentCache(QString cacheDir);

    // The PATH used to find interpreters, conda/mamba and docker/podman (default: this
    // process's PATH).
    void setSearchPath(const QString& path) { searchPath_ = path; }
    // How long one pip/conda/pull step may take (default 30 minutes).
    void setStepTimeoutMs(int ms) { stepTimeoutMs_ = ms; }

    // Builds or reuses the environment the estimator asks for; progress and pip's own output go
    // to `log` line by line. `defaultPython` is the compute target's interpreter (empty:
    // "python3"). Throws lb::Error with the reason the run fails in Preparing: pip's error lines,
    // a missing conda/mamba or container engine, an interpreter that is not there.
    ResolvedEnvironment prepare(const Estimator& estimator, const LogSink& log,
                                const QString& defaultPython = {});
    ResolvedEnvironment prepare(const EnvironmentSpec& spec, const LogSink& log);

    // Published environments, by hash.
    QList<CachedEnvironment> list() const;
    // Removes the environment whose hash is `hashOrPrefix` (a unique prefix is enough). Throws
    // lb::NotFoundError when none matches, lb::Error when it is ambiguous or being built.
    QString remove(const QString& hashOrPrefix);
    // Removes every environment that is not being built (and leftovers of interrupted builds);
    // returns how many environments it removed.
    int removeAll();

    const QString& dir() const { return dir_; }

private:
    QString publishedDir(const QString& hash) const { return dir_ + QLatin1Char('/') + hash; }
    QString lockPath(const QString& hash) const {
        return dir_ + QLatin1Char('/') + hash + QStringLiteral(".lock");
    }
    bool isReady(const QString& hash) const;
    void build(const EnvironmentSpec& spec, const QString& hash, const LogSink& log);
    void buildVenv(const EnvironmentSpec& spec, const QString& target, const LogSink& log);
    void buildConda(const EnvironmentSpec& spec, const QString& target, const LogSink& log);
    void pipInstall(const QString& python, const QStringList& packages, const LogSink& log);
    void removeUnpublishedBuilds(const QString& hash) const;
    ResolvedEnvironment describe(const EnvironmentSpec& spec, const QString& hash) const;
    ResolvedEnvironment prepareContainer(const EnvironmentSpec& spec, const LogSink& log);
    // Venv and Conda specs, and a venv built in an image: built once under the lock, then reused.
    ResolvedEnvironment prepareCached(const EnvironmentSpec& spec, const LogSink& log);
    void buildContainerVenv(const EnvironmentSpec& spec, const QString& target, const LogSink& log);
    QStringList childEnvironment() const;

    QString dir_;
    QString searchPath_;
    int stepTimeoutMs_ = 30 * 60 * 1000;
};

} // namespace lb
