#pragma once
// One look at a remote run: what `labbench-remote.sh poll` printed (new bytes of driver.log
// and metrics.jsonl after the given offsets, whether the run ended, and exit.json when it did).

#include <QByteArray>
#include <QString>

#include <optional>

namespace lb {

struct RemotePoll {
    QString state;        // running | ended | gone
    std::optional<QByteArray> scheduler; // `scontrol show job -o` output when a job id was given
    QByteArray log;       // driver.log bytes after the offset asked for
    qint64 logSize = 0;   // driver.log's size there
    QByteArray metrics;
    qint64 metricsSize = 0;
    std::optional<QByteArray> exitJson; // when state is ended

    // True when both files were read to their end (nothing left after this chunk).
    bool drained(qint64 logOffset, qint64 metricsOffset) const {
        return logOffset + log.size() >= logSize && metricsOffset + metrics.size() >= metricsSize;
    }

    // Throws lb::Error when the text is not what the helper prints (a wrong helper version).
    static RemotePoll parse(const QByteArray& text);
};

} // namespace lb
