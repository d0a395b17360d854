#include "core/live/LogTail.h"

namespace lb {

LogTail::LogTail(const QString& path, QObject* parent)
    : QObject(parent), index_(std::make_shared<LogIndex>(path)) {}

LogTail::~LogTail() {
    cancel_ = true;
    thread_.stop();
}

void LogTail::start(int intervalMs) {
    thread_.start([this] { tick(); }, std::chrono::milliseconds(intervalMs));
}

void LogTail::search(const QString& text, qint64 fromLine, bool forward) {
    {
        std::lock_guard lock(searchMutex_);
        pending_ = Search{text, fromLine, forward};
    }
    cancel_ = true;
    thread_.wake();
}

void LogTail::tick() {
    // Index in slices so a search request or a stop is never stuck behind a 1 GB first read.
    do {
        if (index_->update(32 << 20))
            emit grew(index_->lineCount());
        std::optional<Search> s;
        {
            std::lock_guard lock(searchMutex_);
            s.swap(pending_);
            if (s)
                cancel_ = false;
        }
        if (s)
            emit found(s->text, index_->find(s->text, s->from, s->forward, &cancel_));
    } while (index_->behind() && !cancel_.load());
}

} // namespace lb
