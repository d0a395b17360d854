#pragma once
// The snapshot: a copy of a run's source_directory, taken at submit time, that the script runs in.

#include <QString>
#include <QStringList>

namespace lb {

// Azure ML's limit for a snapshot: 300 MB.
inline constexpr qint64 kDefaultSnapshotLimit = 300LL * 1024 * 1024;
// Well below the limit, a snapshot this big is most likely data or checkpoints by mistake: the
// submit goes ahead with a warning that names the biggest items (#23 item 4).
inline constexpr qint64 kSnapshotWarnBytes = 50LL * 1024 * 1024;
inline constexpr qint64 kSnapshotWarnFiles = 5000;

struct SnapshotOptions {
    qint64 sizeLimitBytes = kDefaultSnapshotLimit; // 0 or less: no limit
    // Absolute folders never copied even when they lie inside the source (the workspace, the
    // run folder). The destination and any folder holding a Labbench workspace (config.json
    // next to labbench.db) are always left out.
    QStringList excludedFolders;
    qint64 warnBytes = kSnapshotWarnBytes; // 0 or less: never warn about the size
    qint64 warnFiles = kSnapshotWarnFiles; // 0 or less: never warn about the count
};

struct SnapshotResult {
    qint64 files = 0;         // regular files copied
    qint64 bytes = 0;         // their total size
    qint64 directories = 0;   // folders created below the destination
    qint64 links = 0;         // symbolic links recreated
    QStringList skippedLinks; // links left out (leading outside the source, or dangling), relative
    // Set when the snapshot is over warnBytes or warnFiles: the size, the biggest items and the
    // ignore file that would leave them out. Empty otherwise.
    QString warning;
};

// Copies `source` into `destination` (created if missing; existing files there are never
// overwritten: a clash is an error).
//
// What is copied: everything except what .amlignore / .labbenchignore files (gitignore
// semantics, see IgnoreRules.h) exclude, ".git" and "__pycache__" at any depth, special files
// (fifos, sockets, devices), the destination itself and excluded/workspace folders. Files are
// plain copies (copy_file_range, no hard links, since the script may change them) keeping their
// permission bits and modification time.
//
// Symbolic links are never followed. A link whose target resolves inside `source` is recreated
// as a link (an absolute target is rewritten relative, so it points into the snapshot); a link
// that leads outside `source` or dangles is left out and listed in skippedLinks, so nothing in
// a run folder leads outside it.
//
// The whole tree is scanned and its size checked BEFORE anything is copied: over the limit,
// lb::Error names the total, the limit, the biggest files and how to ignore them, and nothing
// is written. Errors name the file and the reason.
SnapshotResult takeSnapshot(const QString& source, const QString& destination,
                            const SnapshotOptions& options);
SnapshotResult takeSnapshot(const QString& source, const QString& destination,
                            qint64 sizeLimitBytes = kDefaultSnapshotLimit);

// What takeSnapshot(source, …, options) would say before copying, with nothing written: throws
// the same lb::Error (a missing source, a tree over the limit), else returns the same warning
// (empty when the snapshot is not large). The workbench asks with it before it submits (#23).
QString snapshotWarning(const QString& source, const SnapshotOptions& options);

// "1.5 MB", "300 MB", "812 bytes": sizes as the messages show them (1 MB = 1024 * 1024 bytes).
QString formatSize(qint64 bytes);

} // namespace lb
