#include "core/live/RunDownload.h"

#include "core/util/Error.h"
#include "core/util/SafeFile.h"
#include "core/util/SparseCopy.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace lb {

namespace {

// The parts of a relative name, or an error when it is not a plain name below its folder.
QStringList checkedParts(const QString& name, const QString& what) {
    if (name.isEmpty() || name.contains(QChar(0)))
        throw Error(
            QStringLiteral("%1 has an empty or invalid name; nothing was downloaded.").arg(what));
    if (name.startsWith(QLatin1Char('/')) || name.contains(QLatin1Char('\\')) ||
        QDir::isAbsolutePath(name))
        throw Error(QStringLiteral("The run's entry '%1' is an absolute path; it would be written "
                                   "outside the destination, so nothing was downloaded.")
                        .arg(name));
    const QStringList parts = name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString& p : parts)
        if (p == QLatin1String("..") || p == QLatin1String("."))
            throw Error(QStringLiteral("The run's entry '%1' has a '%2' part that would lead out "
                                       "of its folder; nothing was downloaded.")
                            .arg(name, p));
    if (parts.isEmpty())
        throw Error(QStringLiteral("%1 names no file; nothing was downloaded.").arg(what));
    return parts;
}

bool inside(const QString& path, const QString& folder) {
    return path == folder || path.startsWith(folder + QLatin1Char('/'));
}

// A link is followed only when it stays inside the run's folder, and never to a folder (a link
// to a parent folder would copy forever).
void checkLink(const QFileInfo& info, const QString& rootCanonical, const QString& name) {
    if (!info.isSymLink()) return;
    const QString resolved = info.canonicalFilePath();
    if (resolved.isEmpty() || !inside(resolved, rootCanonical))
        throw Error(QStringLiteral("The run's entry '%1' is a link that leads out of the run's "
                                   "folder; it was refused and nothing was downloaded.")
                        .arg(name));
    if (QFileInfo(resolved).isDir())
        throw Error(QStringLiteral("The run's entry '%1' is a link to a folder; download the "
                                   "folder it points to instead.")
                        .arg(name));
}

} // namespace

QString downloadTargetIn(const QString& destination, const QString& relativePath) {
    const QStringList parts = checkedParts(relativePath, QStringLiteral("The entry"));
    return QDir(destination).absoluteFilePath(parts.last());
}

DownloadPlan planDownload(const QString& root, const QString& relativePath, const QString& target) {
    const QStringList parts = checkedParts(relativePath, QStringLiteral("The entry"));
    const QString rootCanonical = QFileInfo(root).canonicalFilePath();
    if (rootCanonical.isEmpty())
        throw Error(QStringLiteral("The run's folder %1 is gone; nothing can be downloaded from "
                                   "it.")
                        .arg(root));
    // Walk down the entry's parts so that a link anywhere on the way is checked.
    QString source = rootCanonical;
    for (const QString& p : parts) {
        source += QLatin1Char('/') + p;
        checkLink(QFileInfo(source), rootCanonical, relativePath);
    }
    const QFileInfo sourceInfo(source);
    if (!sourceInfo.exists())
        throw Error(QStringLiteral("The run's entry '%1' no longer exists; refresh the outputs "
                                   "and try again.")
                        .arg(relativePath));

    DownloadPlan plan;
    plan.target = QDir::cleanPath(QFileInfo(target).absoluteFilePath());
    const QFileInfo targetInfo(plan.target);
    const QString parentCanonical = QFileInfo(targetInfo.absolutePath()).canonicalFilePath();
    if (parentCanonical.isEmpty())
        throw Error(QStringLiteral("The destination folder %1 does not exist; choose another.")
                        .arg(targetInfo.absolutePath()));
    if (targetInfo.isSymLink())
        throw Error(
            QStringLiteral("%1 is a link; choose another name for the download.").arg(plan.target));
    // Write below the real folder, so no link on the destination's path can redirect a file.
    plan.target = parentCanonical + QLatin1Char('/') + targetInfo.fileName();

    if (!sourceInfo.isDir()) {
        if (targetInfo.exists() && !targetInfo.isFile())
            throw Error(QStringLiteral("%1 exists and is not a file; choose another name.")
                            .arg(plan.target));
        plan.items.append({sourceInfo.canonicalFilePath(), plan.target, sourceInfo.size(), false});
        plan.totalBytes = sourceInfo.size();
        return plan;
    }
    if (targetInfo.exists())
        throw Error(QStringLiteral("%1 already exists; choose another folder so nothing is "
                                   "overwritten.")
                        .arg(plan.target));
    plan.items.append({source, plan.target, 0, true});
    QDirIterator it(source, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    QList<DownloadPlan::Item> items;
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString name = QDir(source).relativeFilePath(info.filePath());
        const QString shown = relativePath + QLatin1Char('/') + name;
        checkedParts(name, shown);
        checkLink(info, rootCanonical, shown);
        if (!info.isDir() && !info.isFile())
            throw Error(QStringLiteral("The run's entry '%1' is not a regular file (a socket or "
                                       "device); nothing was downloaded.")
                            .arg(shown));
        DownloadPlan::Item item{info.isSymLink() ? info.canonicalFilePath() : info.filePath(),
                                plan.target + QLatin1Char('/') + name, 0, info.isDir()};
        if (!item.folder) {
            item.size = QFileInfo(item.source).size();
            plan.totalBytes += item.size;
        }
        items.append(item);
    }
    // Folders first (shorter paths sort before what they hold).
    std::sort(items.begin(), items.end(),
              [](const DownloadPlan::Item& a, const DownloadPlan::Item& b) {
                  return a.target < b.target;
              });
    plan.items.append(items);
    return plan;
}

void runDownload(const DownloadPlan& plan, const std::function<bool(qint64, qint64)>& progress) {
    bool createdFolder = false;
    const auto undo = [&] {
        if (createdFolder) QDir(plan.target).removeRecursively();
    };
    const QString base =
        plan.items.value(0).folder ? plan.target : QFileInfo(plan.target).absolutePath();
    qint64 done = 0;
    try {
        for (const DownloadPlan::Item& item : plan.items) {
            if (item.folder) {
                // mkdir (not mkpath): the folder must be new, never one found in its place.
                if (!QDir().mkdir(item.target))
                    throw Error(QStringLiteral("Cannot create %1; check that the destination is "
                                               "writable and has no such folder yet.")
                                    .arg(item.target));
                createdFolder = createdFolder || item.target == plan.target;
                continue;
            }
            // The folder the file lands in, as it really is now, must be the destination's.
            const QString parent =
                QFileInfo(QFileInfo(item.target).absolutePath()).canonicalFilePath();
            if (parent.isEmpty() || !inside(parent, base))
                throw Error(QStringLiteral("Refused to write %1: it is not below the destination.")
                                .arg(item.target));
            // A FIFO or link swapped in since the plan is refused, never waited on (#25).
            const SafeFile in = SafeFile::open(item.source, FollowLinks::No);
            QSaveFile out(item.target);
            if (!out.open(QIODevice::WriteOnly))
                throw Error(QStringLiteral("Cannot write %1 (%2); choose another destination.")
                                .arg(item.target, out.errorString()));
            // Holes stay holes: a sparse 2 GB output is not 2 GB on the destination's disk.
            const qint64 before = done;
            const bool copied = copyKeepingHoles(in, out.handle(), item.target, [&](std::int64_t offset) {
                done = before + offset;
                return !progress || progress(done, plan.totalBytes);
            });
            if (!copied) {
                out.cancelWriting();
                throw Error(QStringLiteral("Download canceled."));
            }
            if (!out.commit())
                throw Error(QStringLiteral("Cannot write %1 (%2); is the disk full?")
                                .arg(item.target, out.errorString()));
        }
    } catch (...) {
        undo();
        throw;
    }
    if (progress) progress(done, plan.totalBytes);
}

DownloadJob::DownloadJob(QString root, QString relativePath, QString target, QObject* parent)
    : QObject(parent)
    , root_(std::move(root))
    , relativePath_(std::move(relativePath))
    , target_(std::move(target)) {}

DownloadJob::~DownloadJob() {
    cancel_ = true;
    if (thread_.joinable()) thread_.join();
}

void DownloadJob::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
        try {
            const DownloadPlan plan = planDownload(root_, relativePath_, target_);
            QElapsedTimer since;
            since.start();
            runDownload(plan, [&](qint64 done, qint64 total) {
                // At most ~20 progress signals a second reach the UI.
                if (done == total || since.elapsed() >= 50) {
                    since.restart();
                    emit progress(done, total);
                }
                return !cancel_.load();
            });
            emit finished(plan.target);
        } catch (const std::exception& e) {
            emit failed(QString::fromStdString(e.what()));
        }
    });
}

} // namespace lb
