#include "core/lifecycle/ExitRecord.h"

#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QFileInfo>

namespace lb {

void ExitRecord::write(const QString& path) const {
    Json j;
    j["exit_code"] = exitCode ? Json(*exitCode) : Json(nullptr);
    j["signal"] = signal ? Json(*signal) : Json(nullptr);
    j["end_time"] = toStd(isoTime(endTime));
    j["canceled"] = canceled;
    j["timed_out"] = timedOut;
    j["reason"] = toStd(reason);
    writeJsonFile(path, j);
}

std::optional<ExitRecord> ExitRecord::read(const QString& path) {
    if (!QFileInfo::exists(path))
        return std::nullopt;
    try {
        const Json j = readJsonFile(path, FollowLinks::No); // the run's folder: no link is followed
        ExitRecord r;
        if (j.contains("exit_code") && j["exit_code"].is_number_integer())
            r.exitCode = j["exit_code"].get<int>();
        if (j.contains("signal") && j["signal"].is_number_integer())
            r.signal = j["signal"].get<int>();
        r.endTime = parseIsoTime(fromStd(j.value("end_time", std::string())));
        r.canceled = j.value("canceled", false);
        r.timedOut = j.value("timed_out", false);
        r.reason = fromStd(j.value("reason", std::string()));
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace lb
