#include "core/models/ModelFiles.h"

#include "core/util/Error.h"
#include "core/util/SparseCopy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

namespace lb {

namespace {

bool isInside(const QString& canonicalPath, const QString& canonicalRoot) {
    return canonicalPath == canonicalRoot ||
           canonicalPath.startsWith(canonicalRoot + QLatin1Char('/'));
}

class TreeCopier {
public:
    TreeCopier(QString allowedRoot, QString displayRoot)
        : root_(std::move(allowedRoot))
        , display_(std::move(displayRoot)) {}

    std::int64_t copy(const QString& source, const QString& destination) {
        const QFileInfo info(source);
        QString real = info.absoluteFilePath();
        if (info.isSymLink()) {
            real = info.canonicalFilePath();
            if (real.isEmpty() || !isInside(real, root_))
                throw Error(
                    QStringLiteral("%1 is a symbolic link that leads outside the run's folder; "
                                   "replace it with the file itself before registering.")
                        .arg(shown(source)));
        }
        const QFileInfo target(real);
        if (target.isDir()) return copyDir(real, destination);
        if (!target.isFile())
            throw Error(QStringLiteral(
                            "%1 is not a regular file or folder; register files and folders only.")
                            .arg(shown(source)));
        QFile::remove(destination); // never there in practice: the destination is fresh
        // Holes stay holes: a sparse checkpoint takes no more disk in the registry (#25).
        copyFileKeepingHoles(real, destination);
        return target.size();
    }

private:
    std::int64_t copyDir(const QString& dir, const QString& destination) {
        const QString canonical = QFileInfo(dir).canonicalFilePath();
        if (visiting_.contains(canonical))
            throw Error(QStringLiteral(
                            "%1 contains a symbolic link back into itself; remove the loop before "
                            "registering.")
                            .arg(shown(dir)));
        visiting_.insert(canonical);
        if (!QDir().mkpath(destination))
            throw Error(QStringLiteral("Cannot create %1; check free space and permissions.")
                            .arg(destination));
        std::int64_t bytes = 0;
        const auto entries = QDir(dir).entryInfoList(
            QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
        for (const QFileInfo& e : entries)
            bytes += copy(e.absoluteFilePath(), destination + QLatin1Char('/') + e.fileName());
        visiting_.remove(canonical);
        return bytes;
    }

    QString shown(const QString& path) const {
        return path.startsWith(display_ + QLatin1Char('/')) ? path.mid(display_.size() + 1) : path;
    }

    QString root_, display_;
    QSet<QString> visiting_;
};

} // namespace

QString resolveInside(const QString& root, const QString& relativePath) {
    const QString path = relativePath.trimmed();
    if (path.isEmpty())
        throw UsageError(QStringLiteral(
            "--path is empty; name a file or folder of the run, like outputs/model.npz."));
    if (QDir::isAbsolutePath(path) || path.startsWith(QLatin1Char('~')))
        throw Error(
            QStringLiteral("The path %1 is absolute; give it relative to the run's folder, like "
                           "outputs/model.npz.")
                .arg(path));
    if (path.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        throw Error(
            QStringLiteral("The path %1 contains '..'; give a path inside the run's folder, like "
                           "outputs/model.npz.")
                .arg(path));
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    const QString candidate = QDir::cleanPath(root + QLatin1Char('/') + path);
    const QFileInfo info(candidate);
    if (canonicalRoot.isEmpty() || (!info.exists() && !info.isSymLink()))
        throw NotFoundError(
            QStringLiteral("The run has no file or folder %1; 'labbench files RUN' lists what it "
                           "left.")
                .arg(path));
    const QString canonical = info.canonicalFilePath();
    if (canonical.isEmpty() || !isInside(canonical, canonicalRoot) || canonical == canonicalRoot)
        throw Error(
            QStringLiteral("The path %1 leads outside the run's folder (through a symbolic link); "
                           "register a file the run wrote itself.")
                .arg(path));
    return canonical;
}

std::int64_t copyTree(const QString& source, const QString& destination,
                      const QString& allowedRoot) {
    const QString root = QFileInfo(allowedRoot).canonicalFilePath();
    TreeCopier copier(root, root);
    try {
        return copier.copy(source, destination);
    } catch (...) {
        if (QFileInfo(destination).isDir())
            QDir(destination).removeRecursively();
        else
            QFile::remove(destination);
        throw;
    }
}

} // namespace lb
