#include "core/lifecycle/RunHelper.h"

#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunIngester.h"
#include "core/util/Error.h"
#include "core/util/Time.h"

#include <cstdio>
#include <time.h>

namespace lb {

void helperNote(const char* who, const QString& text) {
    std::fprintf(stderr, "%s %s: %s\n", qPrintable(isoTime(QDateTime::currentDateTimeUtc())), who,
                 qPrintable(text));
    std::fflush(stderr);
}

void sleepMs(int ms) {
    timespec ts{ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, nullptr);
}

std::optional<HelperStart> startHelper(const QString& workspaceRoot, const QString& id, int lockFd,
                                       const char* who, const QString& busyMessage,
                                       HelperStartFailure* failure) {
    auto fail = [&](HelperStartFailure why, const QString& text) {
        helperNote(who, text);
        if (failure)
            *failure = why;
        return std::nullopt;
    };
    std::optional<Workspace> ws;
    std::optional<RunRecord> record;
    try {
        ws.emplace(Workspace::open(workspaceRoot));
        record = ws->store().runs().find(id);
        if (!record)
            throw NotFoundError(QStringLiteral("There is no run '%1' in %2.").arg(id, ws->root()));
    } catch (const std::exception& e) {
        return fail(HelperStartFailure::NotFound, QString::fromUtf8(e.what()));
    }
    std::optional<RunLock> lock = RunLock::adoptOrAcquire(lockFd, RunFolder(record->runDir).lockFile());
    if (!lock)
        return fail(HelperStartFailure::LockHeld, busyMessage.arg(record->id));
    // As it is now that the lock is held: a previous holder may have moved it on.
    if (auto now = ws->store().runs().find(record->id))
        record = std::move(now);
    if (failure)
        *failure = HelperStartFailure::None;
    return HelperStart{std::move(*ws), std::move(*record), std::move(*lock)};
}

void ingestOrRetry(RunIngester& ingester, const char* who) {
    try {
        ingester.ingest(false);
    } catch (const std::exception& e) {
        helperNote(who, QStringLiteral("ingest failed, will retry: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace lb
