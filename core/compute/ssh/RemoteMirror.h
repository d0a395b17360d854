#pragma once
// The local copy of the files a remote run writes while it runs (issue 19 item 1):
// snapshot/logs/** and system/*.jsonl of the run folder there, kept at the same relative paths
// of the local run folder, where the RunIngester (TensorBoard files) and the GUI find them.
//
// Each poll sends manifest() on the helper's stdin ("OFFSET PATH" per file held here: offsets
// come from the local sizes, so a broken connection resumes where the files stop) and hands
// every chunk the helper sent to apply(). A chunk starts up to 64 bytes before the local end;
// those bytes are compared with the local copy, and when they differ (the file was rewritten
// there) the next manifest asks for the file from 0 and its copy is replaced whole, by a rename,
// so that a reader sees either the old file or a new one that it reads again from its start.
//
// Paths are refused unless they stay inside those two trees (no "..", no empty or "." part,
// no control character), and every write goes through folder descriptors opened with
// O_NOFOLLOW: no name a run chooses can make a write land outside its folder.

#include "core/compute/ssh/RemotePoll.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace lb {

class RemoteMirror {
public:
    explicit RemoteMirror(QString runDir);

    // The manifest for the next poll.
    QByteArray manifest();
    // Writes one chunk into the local copy. Throws lb::Error when the local folder cannot be
    // written; a path it refuses is noted in refusals() and skipped.
    void apply(const MirroredChunk& chunk);
    // True when no file waits for a rewrite from 0 (asked for in the next manifest).
    bool settled() const { return rewrites_.isEmpty(); }
    // One sentence per path refused since the last call (for the follower's log).
    QStringList takeRefusals();

    // The rule on paths, on its own for tests.
    static bool isMirroredPath(const QByteArray& path);

private:
    void replace(const QByteArray& path, const QByteArray& bytes);
    void append(const QByteArray& path, const QByteArray& bytes);

    QString runDir_;
    QHash<QByteArray, bool> known_;    // paths held here (values unused)
    QHash<QByteArray, bool> rewrites_; // paths to ask for from 0
    QStringList refusals_;
};

} // namespace lb
