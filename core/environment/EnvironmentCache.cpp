#include "core/environment/EnvironmentCache.h"

#include "core/environment/FileLock.h"
#include "core/estimator/Estimator.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Time.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

const QString kEnvFile = QStringLiteral("labbench-env.json");

void say(const LogSink& log, const QString& line) {
    if (log) log(QStringLiteral("labbench: ") + line);
}

bool isHash(const QString& s) {
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{16}$"));
    return re.match(s).hasMatch();
}

// The lines a failed tool printed that say what went wrong (pip and conda start them with
// "ERROR:" or "error"); else its last non-empty line.
QString failureLines(const ProcessLogResult& r) {
    QStringList errors;
    for (const QString& line : r.lastLines)
        if (line.startsWith(QLatin1String("ERROR")) || line.startsWith(QLatin1String("error")) ||
            line.contains(QLatin1String("Error:")))
            errors.append(line.trimmed());
    if (errors.isEmpty())
        for (auto it = r.lastLines.rbegin(); it != r.lastLines.rend(); ++it)
            if (!it->trimmed().isEmpty()) {
                errors.append(it->trimmed());
                break;
            }
    QString text = errors.join(QLatin1Char(' '));
    if (text.endsWith(QLatin1Char('.'))) text.chop(1);
    return text.isEmpty() ? QStringLiteral("no output") : text;
}

QString describeExit(const ProcessLogResult& r) {
    if (!r.started) return QStringLiteral("it could not be started");
    if (r.timedOut) return QStringLiteral("it ran past its time limit and was stopped");
    return r.exitCode < 0 ? QStringLiteral("it was killed by a signal")
                          : QStringLiteral("exit %1").arg(r.exitCode);
}

qint64 folderBytes(const QString& dir) {
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

QString token() {
    return QStringLiteral("%1%2")
        .arg(::getpid())
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

} // namespace

EnvironmentCache::EnvironmentCache(QString cacheDir)
    : dir_(std::move(cacheDir)) {}

QStringList EnvironmentCache::childEnvironment() const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!searchPath_.isEmpty()) env.insert(QStringLiteral("PATH"), searchPath_);
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    env.insert(QStringLiteral("PIP_NO_INPUT"), QStringLiteral("1"));
    env.insert(QStringLiteral("PIP_DISABLE_PIP_VERSION_CHECK"), QStringLiteral("1"));
    // An environment that launched us must not leak into the one we build.
    env.remove(QStringLiteral("VIRTUAL_ENV"));
    env.remove(QStringLiteral("PYTHONHOME"));
    env.remove(QStringLiteral("PIP_REQUIRE_VIRTUALENV"));
    return env.toStringList();
}

bool EnvironmentCache::isReady(const QString& hash) const {
    return QFileInfo(publishedDir(hash) + QLatin1Char('/') + kEnvFile).isFile();
}

ResolvedEnvironment EnvironmentCache::prepare(const Estimator& estimator, const LogSink& log,
                                              const QString& defaultPython) {
    ResolvedEnvironment r =
        prepare(EnvironmentSpec::fromEstimator(estimator, defaultPython, searchPath_), log);
    if (r.container) // GPUs are a property of the run, not of the cached image
        r.container->useGpu = estimator.useGpu;
    return r;
}

ResolvedEnvironment EnvironmentCache::prepare(const EnvironmentSpec& spec, const LogSink& log) {
    QElapsedTimer clock;
    clock.start();
    ResolvedEnvironment r;
    if (spec.kind == EnvironmentSpec::Kind::System) {
        r.spec = spec;
        r.python = spec.python;
    } else if (spec.kind == EnvironmentSpec::Kind::Container) {
        r = prepareContainer(spec, log);
    } else {
        r = prepareCached(spec, log);
    }
    r.seconds = clock.nsecsElapsed() / 1e9;
    return r;
}

ResolvedEnvironment EnvironmentCache::prepareCached(const EnvironmentSpec& spec,
                                                    const LogSink& log) {
    const QString hash = spec.hash();
    bool built = false;
    if (!isReady(hash)) {
        if (!QDir().mkpath(dir_))
            throw Error(
                QStringLiteral("Cannot create the environment cache %1; check its permissions.")
                    .arg(dir_));
        FileLock lock(lockPath(hash));
        if (!lock.tryLock()) {
            say(log, QStringLiteral("waiting for another run that is building environment %1")
                         .arg(hash));
            lock.lock();
        }
        if (!isReady(hash)) { // the other run may have finished it while we waited
            build(spec, hash, log);
            built = true;
        }
    }
    // The lock file's time records the last use, for `labbench env list`.
    ::utimensat(AT_FDCWD, QFile::encodeName(lockPath(hash)).constData(), nullptr, 0);
    ResolvedEnvironment r = describe(spec, hash);
    r.built = built;
    if (!built) say(log, QStringLiteral("using the cached environment %1 (%2)").arg(hash, r.dir));
    return r;
}

ResolvedEnvironment EnvironmentCache::describe(const EnvironmentSpec& spec,
                                               const QString& hash) const {
    ResolvedEnvironment r;
    r.spec = spec;
    r.hash = hash;
    // The build folder itself, not the link: a run keeps its paths even if the link is replaced.
    r.dir = QFileInfo(publishedDir(hash)).canonicalFilePath();
    r.python = r.dir + QStringLiteral("/bin/python");
    r.pathPrepend = {r.dir + QStringLiteral("/bin")};
    r.variables.insert(spec.kind == EnvironmentSpec::Kind::Conda ? QStringLiteral("CONDA_PREFIX")
                                                                 : QStringLiteral("VIRTUAL_ENV"),
                       r.dir);
    return r;
}

void EnvironmentCache::build(const EnvironmentSpec& spec, const QString& hash, const LogSink& log) {
    QElapsedTimer clock;
    clock.start();
    const QString builds = dir_ + QStringLiteral("/builds");
    QDir().mkpath(builds);
    removeUnpublishedBuilds(hash); // leftovers of a build that was interrupted
    const QString name = hash + QLatin1Char('-') + token();
    const QString target = builds + QLatin1Char('/') + name;
    say(log,
        QStringLiteral("building environment %1 (%2; pip: %3%4) in %5")
            .arg(hash,
                 spec.kind == EnvironmentSpec::Kind::Conda ? QStringLiteral("conda") : spec.python,
                 spec.pipPackages.isEmpty() ? QStringLiteral("none")
                                            : spec.pipPackages.join(QLatin1Char(' ')),
                 spec.condaPackages.isEmpty()
                     ? QString()
                     : QStringLiteral("; conda: ") + spec.condaPackages.join(QLatin1Char(' ')),
                 target));
    try {
        if (spec.kind == EnvironmentSpec::Kind::Conda)
            buildConda(spec, target, log);
        else if (spec.kind == EnvironmentSpec::Kind::Container)
            buildContainerVenv(spec, target, log);
        else
            buildVenv(spec, target, log);
        Json info;
        info["hash"] = toStd(hash);
        info["spec"] = spec.toJson();
        info["created"] = toStd(isoTime(QDateTime::currentDateTimeUtc()));
        info["build_seconds"] = clock.nsecsElapsed() / 1e9;
        writeJsonFile(target + QLatin1Char('/') + kEnvFile, info);
        // Publish: a link made beside the final name, then renamed onto it (atomic).
        const QString link = dir_ + QStringLiteral("/.") + name + QStringLiteral(".link");
        const QByteArray relative = QFile::encodeName(QStringLiteral("builds/") + name);
        if (::symlink(relative.constData(), QFile::encodeName(link).constData()) != 0 ||
            ::rename(QFile::encodeName(link).constData(),
                     QFile::encodeName(publishedDir(hash)).constData()) != 0) {
            QFile::remove(link);
            throw Error(
                QStringLiteral(
                    "Cannot publish the environment %1 in %2; check the folder's permissions "
                    "and free space.")
                    .arg(hash, dir_));
        }
    } catch (...) {
        QDir(target).removeRecursively();
        throw;
    }
    say(log, QStringLiteral("environment %1 is ready (%2 s)")
                 .arg(hash)
                 .arg(clock.elapsed() / 1000.0, 0, 'f', 1));
}

void EnvironmentCache::buildVenv(const EnvironmentSpec& spec, const QString& target,
                                 const LogSink& log) {
    QStringList args{QStringLiteral("-m"), QStringLiteral("venv")};
    if (spec.systemSitePackages) args << QStringLiteral("--system-site-packages");
    args << target;
    const ProcessLogResult venv =
        runLogged(spec.python, args, log, childEnvironment(), stepTimeoutMs_);
    if (venv.exitCode != 0)
        throw Error(QStringLiteral(
                        "Creating a virtual environment with %1 failed (%2: %3); install its venv "
                        "module (Debian: apt-get install python3-venv) or choose another "
                        "interpreter with --python.")
                        .arg(spec.python, describeExit(venv), failureLines(venv)));
    pipInstall(target + QStringLiteral("/bin/python"), spec.pipPackages, log);
}

void EnvironmentCache::buildConda(const EnvironmentSpec& spec, const QString& target,
                                  const LogSink& log) {
    QString tool;
    for (const char* name : {"mamba", "micromamba", "conda"}) {
        tool = findProgram(QString::fromLatin1(name), searchPath_);
        if (!tool.isEmpty()) break;
    }
    if (tool.isEmpty())
        throw Error(
            QStringLiteral("conda_packages (%1) need conda or mamba, and neither conda, mamba nor "
                           "micromamba was found on PATH; install Miniforge (it brings both) or "
                           "drop --conda.")
                .arg(spec.condaPackages.join(QStringLiteral(", "))));
    QStringList packages = spec.condaPackages;
    const auto names = [&](const QString& wanted) {
        return std::any_of(packages.begin(), packages.end(), [&](const QString& p) {
            return p == wanted || p.startsWith(wanted + QLatin1Char('=')) ||
                   p.startsWith(wanted + QLatin1Char('>')) ||
                   p.startsWith(wanted + QLatin1Char('<'));
        });
    };
    if (!names(QStringLiteral("python"))) packages << QStringLiteral("python");
    if (!spec.pipPackages.isEmpty() && !names(QStringLiteral("pip")))
        packages << QStringLiteral("pip");
    const ProcessLogResult create =
        runLogged(tool,
                  QStringList{QStringLiteral("create"), QStringLiteral("--yes"),
                              QStringLiteral("--prefix"), target} +
                      packages,
                  log, childEnvironment(), stepTimeoutMs_);
    if (create.exitCode != 0)
        throw Error(QStringLiteral(
                        "%1 could not create the environment with %2 (%3: %4); check the package "
                        "names and channels (the full output is in the run's log).")
                        .arg(QFileInfo(tool).fileName(), packages.join(QStringLiteral(", ")),
                             describeExit(create), failureLines(create)));
    if (!spec.pipPackages.isEmpty())
        pipInstall(target + QStringLiteral("/bin/python"), spec.pipPackages, log);
}

void EnvironmentCache::pipInstall(const QString& python, const QStringList& packages,
                                  const LogSink& log) {
    if (packages.isEmpty()) return;
    // Each requirement is its own argv word; nothing here passes through a shell.
    const QStringList args = QStringList{QStringLiteral("-m"),
                                         QStringLiteral("pip"),
                                         QStringLiteral("install"),
                                         QStringLiteral("--no-input"),
                                         QStringLiteral("--progress-bar"),
                                         QStringLiteral("off")} +
                             packages;
    const ProcessLogResult pip = runLogged(python, args, log, childEnvironment(), stepTimeoutMs_);
    if (pip.exitCode != 0)
        throw Error(
            QStringLiteral(
                "pip could not install %1 (%2): %3; check the package names and versions "
                "(pip's full output is in the run's log).")
                .arg(packages.join(QStringLiteral(", ")), describeExit(pip), failureLines(pip)));
}

ResolvedEnvironment EnvironmentCache::prepareContainer(const EnvironmentSpec& spec,
                                                       const LogSink& log) {
    ContainerLaunch launch;
    launch.engine = findContainerEngine(searchPath_);
    launch.image = spec.image;
    launch.cdi = cdiConfigured();
    const QString engine = QFileInfo(launch.engine).fileName();
    const QStringList inspectArgs{QStringLiteral("image"), QStringLiteral("inspect"),
                                  QStringLiteral("--format"), QStringLiteral("{{.Id}}"),
                                  spec.image};
    ProcessLogResult inspect = runLogged(launch.engine, inspectArgs, {}, childEnvironment(), 60000);
    if (inspect.exitCode != 0) {
        say(log, QStringLiteral("pulling the image %1 with %2").arg(spec.image, engine));
        const ProcessLogResult pull = runLogged(launch.engine, {QStringLiteral("pull"), spec.image},
                                                log, childEnvironment(), stepTimeoutMs_);
        if (pull.exitCode != 0)
            throw Error(
                QStringLiteral("%1 could not pull the image %2 (%3: %4); check the image name, the "
                               "registry login and that the %1 service is running.")
                    .arg(engine, spec.image, describeExit(pull), failureLines(pull)));
        inspect = runLogged(launch.engine, inspectArgs, {}, childEnvironment(), 60000);
    } else {
        say(log,
            QStringLiteral("using the image %1 (%2)").arg(spec.image, inspect.lastLines.value(0)));
    }
    ResolvedEnvironment r;
    if (!spec.pipPackages.isEmpty()) {
        // pip on an image: a venv built inside the image, cached per (image id, packages), and
        // mounted read-only into the runs that use it. A new image under the same tag has a new
        // id, hence a new environment.
        EnvironmentSpec withId = spec;
        withId.imageId = inspect.lastLines.value(0).trimmed();
        if (inspect.exitCode != 0 || withId.imageId.isEmpty())
            throw Error(QStringLiteral("%1 cannot say the id of the image %2 ('%1 image inspect' "
                                       "failed); check that the image exists.")
                            .arg(engine, spec.image));
        r = prepareCached(withId, log);
        r.pathPrepend.clear(); // the host's PATH is not passed into the container
        launch.readOnlyMounts = {r.dir};
    } else {
        r.spec = spec;
        r.python = spec.python;
    }
    r.container = launch;
    return r;
}

void EnvironmentCache::buildContainerVenv(const EnvironmentSpec& spec, const QString& target,
                                          const LogSink& log) {
    // The venv is made by the image's own interpreter, in the folder it is later mounted at, so
    // its paths and its links to the image's python hold in every run of that image.
    const QString engine = findContainerEngine(searchPath_);
    const QString builds = QFileInfo(target).absolutePath();
    const auto inImage = [&](const QStringList& command) {
        QStringList argv{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--user"),
                         QStringLiteral("%1:%2").arg(::getuid()).arg(::getgid()),
                         // pip needs the network; the host's is the one that is set up.
                         QStringLiteral("--network"), QStringLiteral("host"), QStringLiteral("-v"),
                         builds + QLatin1Char(':') + builds, QStringLiteral("-e"),
                         QStringLiteral("HOME=/tmp"), QStringLiteral("-e"),
                         QStringLiteral("PIP_NO_INPUT=1"), QStringLiteral("-e"),
                         QStringLiteral("PIP_DISABLE_PIP_VERSION_CHECK=1"), QStringLiteral("-e"),
                         QStringLiteral("PYTHONUNBUFFERED=1")};
        // pip's own settings (PIP_INDEX_URL, PIP_CERT, …) apply in the image as on the host.
        for (const QString& name : QProcessEnvironment::systemEnvironment().keys())
            if (name.startsWith(QLatin1String("PIP_"))) argv << QStringLiteral("-e") << name;
        argv << spec.image;
        return runLogged(engine, argv + command, log, childEnvironment(), stepTimeoutMs_);
    };
    QStringList venvArgs{spec.python, QStringLiteral("-m"), QStringLiteral("venv")};
    if (spec.systemSitePackages) venvArgs << QStringLiteral("--system-site-packages");
    const ProcessLogResult venv = inImage(venvArgs << target);
    if (venv.exitCode != 0)
        throw Error(QStringLiteral("Creating a virtual environment with %1 in the image %2 failed "
                                   "(%3: %4); install python3-venv in the image, or drop --pip.")
                        .arg(spec.python, spec.image, describeExit(venv), failureLines(venv)));
    const ProcessLogResult pip = inImage(
        QStringList{target + QStringLiteral("/bin/python"), QStringLiteral("-m"),
                    QStringLiteral("pip"), QStringLiteral("install"), QStringLiteral("--no-input"),
                    QStringLiteral("--progress-bar"), QStringLiteral("off")} +
        spec.pipPackages);
    if (pip.exitCode != 0)
        throw Error(
            QStringLiteral("pip could not install %1 in the image %2 (%3): %4; check the package "
                           "names and versions (pip's full output is in the run's log).")
                .arg(spec.pipPackages.join(QStringLiteral(", ")), spec.image, describeExit(pip),
                     failureLines(pip)));
}

void EnvironmentCache::removeUnpublishedBuilds(const QString& hash) const {
    const QString published = QFileInfo(publishedDir(hash)).canonicalFilePath();
    const QDir builds(dir_ + QStringLiteral("/builds"));
    for (const QFileInfo& entry :
         builds.entryInfoList({hash + QStringLiteral("-*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (entry.isSymLink() || entry.canonicalFilePath() == published) continue;
        QDir(entry.absoluteFilePath()).removeRecursively();
    }
}

QList<CachedEnvironment> EnvironmentCache::list() const {
    QList<CachedEnvironment> result;
    const QDir dir(dir_);
    for (const QFileInfo& entry :
         dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System, QDir::Name)) {
        if (!isHash(entry.fileName()) || !entry.isSymLink() || !isReady(entry.fileName())) continue;
        CachedEnvironment e;
        e.hash = entry.fileName();
        e.dir = entry.canonicalFilePath();
        try {
            const Json info = readJsonFile(e.dir + QLatin1Char('/') + kEnvFile);
            e.spec = info.value("spec", Json::object());
            e.created = parseIsoTime(fromStd(info.value("created", std::string())));
            e.buildSeconds = info.value("build_seconds", 0.0);
        } catch (const Error&) {
            continue; // unreadable: not a usable environment either
        }
        const QFileInfo lock(lockPath(e.hash));
        e.lastUsed = lock.exists() ? lock.lastModified().toUTC() : e.created;
        e.bytes = folderBytes(e.dir);
        result.append(e);
    }
    return result;
}

QString EnvironmentCache::remove(const QString& hashOrPrefix) {
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{1,16}$"));
    if (!hex.match(hashOrPrefix).hasMatch())
        throw UsageError(
            QStringLiteral("'%1' is not an environment hash; 'labbench env list' shows them.")
                .arg(hashOrPrefix));
    QStringList matches;
    for (const QString& name :
         QDir(dir_).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System))
        if (isHash(name) && name.startsWith(hashOrPrefix)) matches.append(name);
    if (matches.isEmpty())
        throw NotFoundError(
            QStringLiteral("There is no cached environment %1; 'labbench env list' shows them.")
                .arg(hashOrPrefix));
    if (matches.size() > 1)
        throw Error(QStringLiteral("'%1' matches %2 environments (%3); give more of the hash.")
                        .arg(hashOrPrefix)
                        .arg(matches.size())
                        .arg(matches.join(QStringLiteral(", "))));
    const QString hash = matches.first();
    FileLock lock(lockPath(hash));
    if (!lock.tryLock())
        throw Error(
            QStringLiteral(
                "The environment %1 is being built or removed by another process; try again "
                "when that is done.")
                .arg(hash));
    const QString target = QFileInfo(publishedDir(hash)).canonicalFilePath();
    // Unpublish first, so nobody picks it up while its files go away.
    QFile::remove(publishedDir(hash));
    const QString builds = QFileInfo(dir_ + QStringLiteral("/builds")).canonicalFilePath();
    if (!target.isEmpty() && !builds.isEmpty() && target.startsWith(builds + QLatin1Char('/')))
        QDir(target).removeRecursively();
    removeUnpublishedBuilds(hash);
    return hash;
}

int EnvironmentCache::removeAll() {
    int removed = 0;
    QSet<QString> hashes;
    for (const QString& name :
         QDir(dir_).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System))
        if (isHash(name)) hashes.insert(name);
    for (const QString& name :
         QDir(dir_ + QStringLiteral("/builds")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (isHash(name.left(16))) hashes.insert(name.left(16));
    for (const QString& hash : hashes) {
        FileLock lock(lockPath(hash));
        if (!lock.tryLock()) continue; // being built right now: leave it alone
        const bool published = QFileInfo(publishedDir(hash)).isSymLink();
        lock.unlock();
        if (published) {
            remove(hash);
            ++removed;
        } else {
            FileLock again(lockPath(hash));
            if (again.tryLock()) removeUnpublishedBuilds(hash);
        }
    }
    return removed;
}

} // namespace lb
