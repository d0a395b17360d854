#pragma once
// .labbenchignore / .amlignore: gitignore patterns that keep files out of a run's snapshot.

#include <QByteArray>
#include <QString>
#include <QStringView>
#include <QVector>

namespace lb {

// One line of an ignore file, parsed as git does (see gitignore(5)):
//   blank lines and "#..." lines are skipped ("\#" is a literal '#'); trailing spaces are dropped
//   unless escaped ("\ "); "!" negates ("\!" is a literal '!'); a trailing "/" matches folders
//   only; a "/" at the start or in the middle anchors the pattern to the ignore file's folder,
//   otherwise it matches a name at any depth below it. Globs: "*" and "?" never match "/",
//   "[a-z]", "[!x]", "[^x]" and "[[:alpha:]]" classes, "\x" escapes, "**/" = zero or more
//   folders, "/**" = everything inside, "/**/" = zero or more folders between.
struct IgnorePattern {
    QString glob;         // without the "!", the trailing "/" and a leading "/"
    bool negated = false;
    bool directoryOnly = false;
    bool anchored = false; // matched against the whole path below the ignore file's folder
    int line = 0;          // 1-based line in its file, for messages
};

// Parses the text of an ignore file into its patterns, in file order.
QVector<IgnorePattern> parseIgnoreFile(const QByteArray& text);

// git's wildmatch with WM_PATHNAME: does `glob` match all of `path` ('/'-separated)?
bool globMatches(QStringView glob, QStringView path);

// The ignore files of a source tree, folder by folder, as a stack that follows a depth-first
// walk. As in git: a deeper file overrides a shallower one, within a file the last matching
// pattern wins, and nothing inside an ignored folder can be re-included (the walk never enters
// it). In each folder .amlignore is read before .labbenchignore, so Labbench's file wins where
// both match.
class IgnoreRules {
public:
    // The file names read in every folder, in the order they are applied.
    static const QStringList& fileNames();
    // Names skipped whatever the ignore files say: ".git" and "__pycache__".
    static bool alwaysSkipped(QStringView name);

    // Adds the patterns of one ignore file that lives in `folder` (relative to the source root,
    // "" for the root itself, no trailing '/').
    void add(const QString& folder, const QVector<IgnorePattern>& patterns);
    // Reads the ignore files (fileNames()) in `absoluteFolder`, which is `folder` below the root.
    // Throws lb::Error naming a file that exists but cannot be read.
    void addFolder(const QString& absoluteFolder, const QString& folder);

    // Whether `path` (relative to the root, '/'-separated) is ignored. Only rules of folders
    // that contain `path` apply.
    bool isIgnored(const QString& path, bool isDirectory) const;

    // The stack depth, and a way back to it when the walk leaves a folder.
    int depth() const { return int(levels_.size()); }
    void truncate(int depth) { levels_.resize(depth); }

private:
    struct Level {
        QString folder;
        QVector<IgnorePattern> patterns;
    };
    QVector<Level> levels_;
};

} // namespace lb
