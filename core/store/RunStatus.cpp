#include "core/store/RunStatus.h"

#include <QList>

#include <array>

namespace lb {

namespace {
constexpr size_t kCount = 8;
constexpr std::array<const char*, kCount> kNames = {"Queued",    "Preparing", "Running",  "Finalizing",
                                                    "Completed", "Failed",    "Canceled", "Preempted"};

// kAllowed[from][to]. Rows: from; columns: to, in the enum's order
// (Queued, Preparing, Running, Finalizing, Completed, Failed, Canceled, Preempted).
constexpr bool kAllowed[kCount][kCount] = {
    /* Queued     */ {false, true, true, true, false, true, true, false},
    /* Preparing  */ {false, false, true, true, false, true, true, true},
    /* Running    */ {false, false, false, true, true, true, true, true},
    /* Finalizing */ {false, false, false, false, true, true, true, true},
    /* Completed  */ {false, false, false, false, false, false, false, false},
    /* Failed     */ {false, false, false, false, false, false, false, false},
    /* Canceled   */ {false, false, false, false, false, false, false, false},
    // A requeued job waits again (Queued); a scheduler that restarts it at once skips to Running.
    /* Preempted  */ {true, false, true, false, false, true, true, false},
};
} // namespace

const QList<RunStatus>& allRunStatuses() {
    static const QList<RunStatus> all = [] {
        QList<RunStatus> out;
        for (size_t i = 0; i < kCount; ++i)
            out.append(static_cast<RunStatus>(i));
        return out;
    }();
    return all;
}

QString toString(RunStatus status) { return QString::fromLatin1(kNames[static_cast<size_t>(status)]); }

std::optional<RunStatus> runStatusFromString(const QString& text) {
    for (size_t i = 0; i < kNames.size(); ++i)
        if (text.compare(QLatin1String(kNames[i]), Qt::CaseInsensitive) == 0)
            return static_cast<RunStatus>(i);
    return std::nullopt;
}

bool isTerminal(RunStatus status) {
    return status == RunStatus::Completed || status == RunStatus::Failed || status == RunStatus::Canceled;
}

bool canTransition(RunStatus from, RunStatus to) {
    return kAllowed[static_cast<size_t>(from)][static_cast<size_t>(to)];
}

} // namespace lb
