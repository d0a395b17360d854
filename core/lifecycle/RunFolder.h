#pragma once
// The run folder protocol, the same on every target (see DESIGN.md):
//
//   runs/<id>/run.json          estimator, target, state history (written atomically)
//   runs/<id>/snapshot/         the script's working directory; outputs/, logs/ and
//                               checkpoints/ (LABBENCH_CHECKPOINT_DIR) are kept
//   runs/<id>/driver.log        stdout + stderr of the script (supervisor warnings too)
//   runs/<id>/metrics.jsonl     one JSON object a line: {"name","value","step","time"}
//   runs/<id>/exit.json         exit code, signal, end time (written by the supervisor)
//   runs/<id>/exit-attempt-N.json  attempt N's exit.json, set aside when the run is resumed
//   runs/<id>/supervisor.lock   flock-held by the live supervisor (absent holder = it is gone)
//   runs/<id>/cancel.request    created by whoever asks the run to stop, from any process
//   runs/<id>/process.json      pid, process group and start time of the script
//   runs/<id>/supervisor.log    the supervisor's own diagnostics
//   runs/<id>/gpu_metrics.jsonl the GPU samples the supervisor stored (metrics.jsonl's shape),
//                               so `workspace repair` brings them back
//   runs/<id>/secrets.json      values of the run's secret variables, mode 0600 (#25)

#include <QString>
#include <QStringList>

namespace lb {

class RunFolder {
public:
    explicit RunFolder(QString dir) : dir_(std::move(dir)) {}

    const QString& dir() const { return dir_; }
    QString runJson() const { return dir_ + QStringLiteral("/run.json"); }
    QString snapshotDir() const { return dir_ + QStringLiteral("/snapshot"); }
    // Where the script's checkpoints go (#20): kept like outputs/, so a later attempt finds them.
    QString checkpointDir() const { return snapshotDir() + QStringLiteral("/checkpoints"); }
    QString driverLog() const { return dir_ + QStringLiteral("/driver.log"); }
    QString metricsFile() const { return dir_ + QStringLiteral("/metrics.jsonl"); }
    QString exitJson() const { return dir_ + QStringLiteral("/exit.json"); }
    QString lockFile() const { return dir_ + QStringLiteral("/supervisor.lock"); }
    QString cancelRequest() const { return dir_ + QStringLiteral("/cancel.request"); }
    QString processJson() const { return dir_ + QStringLiteral("/process.json"); }
    QString supervisorLog() const { return dir_ + QStringLiteral("/supervisor.log"); }
    QString gpuMetricsFile() const { return dir_ + QStringLiteral("/gpu_metrics.jsonl"); }
    QString secretsFile() const { return dir_ + QStringLiteral("/secrets.json"); }

    // The names ingest offsets are stored under.
    static QString driverLogName() { return QStringLiteral("driver.log"); }
    static QString metricsName() { return QStringLiteral("metrics.jsonl"); }

    // The folders under snapshot/ whose files are kept and listed with the run.
    static QStringList keptFolders() {
        return {QStringLiteral("outputs"), QStringLiteral("logs"), QStringLiteral("checkpoints")};
    }

private:
    QString dir_;
};

} // namespace lb
