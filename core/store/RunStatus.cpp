#include "core/store/RunStatus.h"

#include <array>

namespace lb {

namespace {
constexpr std::array<const char*, 7> kNames = {"Queued",     "Preparing", "Running",  "Finalizing",
                                               "Completed",  "Failed",    "Canceled"};
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
    if (isTerminal(from) || from == to)
        return false;
    if (to == RunStatus::Failed || to == RunStatus::Canceled)
        return true;
    if (to == RunStatus::Completed)
        return from == RunStatus::Running || from == RunStatus::Finalizing;
    return static_cast<int>(to) > static_cast<int>(from);
}

} // namespace lb
