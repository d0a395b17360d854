#pragma once
// Follows one log file from a background thread: indexes what was appended (LogIndex) and
// reports the new line count; runs searches there too, so neither blocks the UI thread.

#include "core/live/LogIndex.h"
#include "core/live/PollThread.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace lb {

class LogTail : public QObject {
    Q_OBJECT
public:
    explicit LogTail(const QString& path, QObject* parent = nullptr);
    ~LogTail() override;

    const std::shared_ptr<LogIndex>& index() const { return index_; }
    void start(int intervalMs = 200);
    void stop() { thread_.stop(); }

    // Searches on the tail's thread; the answer comes as found(). A newer search cancels an
    // older one.
    void search(const QString& text, qint64 fromLine, bool forward);

signals:
    void grew(qint64 lineCount);
    void found(const QString& text, qint64 line); // -1: not found

private:
    void tick();
    std::shared_ptr<LogIndex> index_;
    PollThread thread_;
    std::mutex searchMutex_;
    struct Search {
        QString text;
        qint64 from = 0;
        bool forward = true;
    };
    std::optional<Search> pending_;
    std::atomic<bool> cancel_{false};
};

} // namespace lb
