#pragma once
// One look at a remote run: what `labbench-remote.sh poll` printed (new bytes of driver.log
// and metrics.jsonl after the given offsets, the chunks of the mirrored files, whether the run
// ended, and exit.json when it did).

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace lb {

// Bytes of one mirrored file (snapshot/logs/**, system/*.jsonl) as the helper sent them: `bytes`
// are the file's bytes from `start`, and the file held `size` bytes when it was listed.
struct MirroredChunk {
    QByteArray path; // relative to the run folder there, exactly as the remote side names it
    qint64 start = 0;
    QByteArray bytes;
    qint64 size = 0;
    bool complete() const { return start + bytes.size() >= size; }
};

// The "mirror" line: what is left for the next poll, and the checkpoints folder in short.
struct MirrorSummary {
    qint64 more = 0; // files with bytes not sent for lack of room in this poll
    qint64 checkpointCount = 0;
    qint64 checkpointBytes = 0;
    bool checkpointsChanged = false; // one was written since the last poll
};

struct RemotePoll {
    QString state;        // running | ended | gone
    std::optional<QByteArray> scheduler; // `scontrol show job -o` output when a job id was given
    QByteArray log;       // driver.log bytes after the offset asked for
    qint64 logSize = 0;   // driver.log's size there
    QByteArray metrics;
    qint64 metricsSize = 0;
    std::vector<MirroredChunk> files;
    std::optional<MirrorSummary> mirror; // absent from a helper that mirrors nothing
    std::optional<QByteArray> exitJson; // when state is ended

    // True when both logs were read to their end and every mirrored file was sent whole
    // (nothing left after this chunk).
    bool drained(qint64 logOffset, qint64 metricsOffset) const {
        if (logOffset + log.size() < logSize || metricsOffset + metrics.size() < metricsSize)
            return false;
        if (mirror && mirror->more > 0)
            return false;
        for (const MirroredChunk& f : files)
            if (!f.complete())
                return false;
        return true;
    }

    // Throws lb::Error when the text is not what the helper prints (a wrong helper version).
    static RemotePoll parse(const QByteArray& text);
};

} // namespace lb
