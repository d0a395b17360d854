#include "core/sweep/SweepDriver.h"

#include "core/compute/ComputeTarget.h"
#include "core/estimator/SecretVariables.h"
#include "core/runs/RunControl.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunHelper.h"
#include "core/lifecycle/RunLock.h"
#include "core/runs/Submit.h"
#include "core/store/Store.h"
#include "core/sweep/Sweep.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>

namespace lb::sweep {

namespace {

constexpr const char* kWho = "labbench-sweep-driver";

// At most this many children in one batch (Slurm's MaxArraySize default allows 1001 tasks).
constexpr int kMaxBatchRuns = 1000;

void note(const QString& line) { helperNote(kWho, line); }

SweepSpec specOf(const RunRecord& parent) {
    const QString path = parent.runDir + QStringLiteral("/sweep.json");
    SweepSpec spec = SweepSpec::fromJson(readJsonFile(path), path, parent.runDir);
    restoreSecrets(RunFolder(parent.runDir).secretsFile(), spec.estimator); // children need them
    spec.seedGiven = true;
    return spec;
}

QString paramsText(const SweepSpec& spec, const Json& params) {
    QStringList words;
    for (const Parameter& p : spec.parameters)
        if (params.contains(toStd(p.name)))
            words += p.scriptArguments(params[toStd(p.name)]);
    return words.join(QLatin1Char(' '));
}

} // namespace

SweepDriver::SweepDriver(Workspace& ws, const RunRecord& parent)
    : ws_(ws), id_(parent.id), runDir_(parent.runDir), spec_(specOf(parent)), sampler_(makeSampler(spec_)),
      early_(spec_.policy, spec_.maximize, spec_.primaryMetric) {
    sinceReconcile_.start();
    best_ = ws_.store().runs().tags(id_).value(kBestTag);
}

void SweepDriver::log(const QString& line) {
    appendToDriverLog(RunFolder(runDir_), isoTime(QDateTime::currentDateTimeUtc()) + QLatin1Char(' ') + line);
}

Json SweepDriver::paramsOf(const QString& childId) {
    auto it = params_.find(childId);
    if (it != params_.end())
        return *it;
    const auto tags = ws_.store().runs().tags(childId);
    Json params = Json::parse(tags.value(kParamsTag).toStdString(), nullptr, false);
    if (!params.is_object())
        params = Json::object();
    if (tags.contains(kStopTag))
        stopReasons_.insert(childId, tags.value(kStopTag));
    params_.insert(childId, params);
    return params;
}

std::vector<double> SweepDriver::primaryValues(const RunRecord& child) {
    if (auto it = finalValues_.find(child.id); it != finalValues_.end())
        return *it;
    std::vector<double> values;
    for (const MetricPoint& p : ws_.store().metrics().series(child.id, spec_.primaryMetric))
        values.push_back(p.value);
    // Final runs were ingested completely: their series never changes again.
    if (isTerminal(child.status))
        finalValues_.insert(child.id, values);
    return values;
}

RunRecord SweepDriver::submitChild(const Json& params, bool dispatch) {
    Estimator e = spec_.estimator;
    for (const Parameter& p : spec_.parameters)
        e.scriptParams += p.scriptArguments(params[toStd(p.name)]);
    e.tags.insert(kParamsTag, fromStd(params.dump()));
    SubmitOptions options;
    options.experiment = spec_.experiment;
    options.parentId = id_;
    options.dispatch = dispatch;
    const RunRecord child = submitRun(ws_, e, options);
    params_.insert(child.id, params);
    log(QStringLiteral("child %1 %2: %3")
            .arg(child.id, dispatch ? QStringLiteral("submitted") : QStringLiteral("recorded"),
                 paramsText(spec_, params)));
    return child;
}

int SweepDriver::submitAsBatch(int total, std::vector<Trial>& trials) {
    if (spec_.sampling == SamplingMethod::Bayesian) // each child waits for earlier results
        return 0;
    if (!targetTakesBatches_) {
        try {
            targetTakesBatches_ = openComputeTarget(ws_, spec_.estimator.computeTarget)->takesBatches();
        } catch (const Error& e) {
            note(e.message());
            targetTakesBatches_ = false;
        }
    }
    if (!*targetTakesBatches_)
        return 0;
    // Recorded without a follower, and locked at once: a dispatch elsewhere that took a child
    // first (the moment between record and lock) starts that one alone, which is fine.
    QList<RunRecord> batch;
    std::vector<RunLock> locks;
    int recorded = 0;
    while (!exhausted_ && total + recorded < spec_.maxTotalRuns && int(batch.size()) < kMaxBatchRuns) {
        const std::optional<Json> params = sampler_->next(total + recorded, trials);
        if (!params) {
            exhausted_ = true;
            break;
        }
        const RunRecord child = submitChild(*params, /*dispatch=*/false);
        ++recorded;
        Trial t;
        t.params = *params;
        trials.push_back(t);
        if (auto lock = RunLock::tryAcquire(RunFolder(child.runDir).lockFile())) {
            batch.append(child);
            locks.push_back(std::move(*lock));
        }
    }
    int started = 0;
    if (!batch.isEmpty()) {
        try {
            auto target = openComputeTarget(ws_, spec_.estimator.computeTarget);
            target->submitBatch(ws_, batch, spec_.maxConcurrentRuns);
            started = int(batch.size());
            log(QStringLiteral("%1 children submitted as one batch").arg(started));
        } catch (const Error& e) {
            log(QStringLiteral("the children could not start as one batch, so they start one at a time: %1")
                    .arg(e.message()));
        }
    }
    for (RunLock& lock : locks)
        lock.release();
    // Their followers follow the batch's tasks (or, after a failed batch, submit them one by one).
    try {
        openComputeTarget(ws_, spec_.estimator.computeTarget)->dispatch(ws_);
    } catch (const Error& e) {
        note(e.message());
    }
    return recorded;
}

void SweepDriver::recordBest(const QList<RunRecord>& children) {
    QList<SweepChild> rows;
    for (const RunRecord& c : children) {
        SweepChild row;
        row.run = c;
        const std::vector<double> values = primaryValues(c);
        if (!values.empty())
            row.primaryMetric = values.back();
        rows.append(row);
    }
    const auto best = bestChild(rows, spec_.maximize);
    if (!best)
        return;
    auto runs = ws_.store().runs();
    const QString value = QString::number(*best->primaryMetric, 'g', 17);
    if (best->run.id != best_ || runs.tags(id_).value(kBestValueTag) != value) {
        if (best->run.id != best_)
            log(QStringLiteral("best so far: %1 with %2 %3")
                    .arg(best->run.id, spec_.primaryMetric, QString::number(*best->primaryMetric, 'g', 6)));
        best_ = best->run.id;
        runs.setTag(id_, kBestTag, best_);
        runs.setTag(id_, kBestValueTag, value);
    }
}

void SweepDriver::finish(RunStatus status, const QString& reason, const QList<RunRecord>& children) {
    recordBest(children);
    ws_.store().runs().transition(id_, status, reason);
    writeRunJson(ws_.store(), id_);
    log(QStringLiteral("sweep %1%2").arg(toString(status), reason.isEmpty() ? QString() : QStringLiteral(": ") + reason));
}

bool SweepDriver::step() {
    auto runs = ws_.store().runs();
    const auto parent = runs.find(id_);
    if (!parent || isTerminal(parent->status))
        return true;
    QList<RunRecord> children = runs.children(id_);
    // Children whose supervisor vanished are finished here; queued ones get started when the
    // target has room (a supervisor normally does both).
    if (sinceReconcile_.elapsed() >= 1000) {
        for (RunRecord& c : children)
            if (!isTerminal(c.status))
                c = reconcileRun(ws_, c);
        try {
            openComputeTarget(ws_, spec_.estimator.computeTarget)->dispatch(ws_);
        } catch (const Error& e) {
            note(e.message());
        }
        sinceReconcile_.restart();
    }
    int active = 0;
    for (const RunRecord& c : children)
        if (!isTerminal(c.status))
            ++active;

    const bool canceled = QFileInfo::exists(RunFolder(runDir_).cancelRequest());
    const bool expired = spec_.maxDurationMinutes && parent->started.isValid() &&
                         parent->started.msecsTo(QDateTime::currentDateTimeUtc()) >
                             qint64(*spec_.maxDurationMinutes * 60000.0);
    if (canceled || expired)
        return stopEverything(canceled, children, active);
    applyPolicy(children);
    recordBest(children);
    if (!submitMore(children, active))
        return true;
    if (active > 0 || (!exhausted_ && int(children.size()) < spec_.maxTotalRuns))
        return false;
    children = runs.children(id_);
    bool anyOk = children.isEmpty();
    for (const RunRecord& c : children)
        anyOk = anyOk || c.status != RunStatus::Failed;
    if (anyOk)
        finish(RunStatus::Completed, {}, children);
    else
        finish(RunStatus::Failed, QStringLiteral("Every child run failed; 'labbench logs RUN' shows why."), children);
    return true;
}

bool SweepDriver::stopEverything(bool canceled, const QList<RunRecord>& children, int active) {
    auto runs = ws_.store().runs();
    const QString why = canceled ? QStringLiteral("Canceled by the user.")
                                 : QStringLiteral("The sweep reached max_duration_minutes (%1).")
                                       .arg(*spec_.maxDurationMinutes);
    for (const RunRecord& c : children)
        if (!isTerminal(c.status) && !stopAsked_.contains(c.id)) {
            if (!canceled) {
                runs.setTag(c.id, kStopTag, why);
                stopReasons_.insert(c.id, why);
            }
            requestCancel(ws_, c);
            stopAsked_.insert(c.id);
        }
    fixStopReasons(children);
    if (active > 0)
        return false;
    finish(canceled ? RunStatus::Canceled : RunStatus::Completed, why, children);
    return true;
}

void SweepDriver::applyPolicy(const QList<RunRecord>& children) {
    auto runs = ws_.store().runs();
    std::vector<ChildSeries> series;
    for (const RunRecord& c : children) {
        paramsOf(c.id);
        series.push_back({c.id, primaryValues(c), !isTerminal(c.status) && !stopAsked_.contains(c.id)});
    }
    for (const EarlyTermination::Stop& stop : early_.apply(series))
        for (const RunRecord& c : children)
            if (c.id == stop.id && !isTerminal(c.status)) {
                runs.setTag(c.id, kStopTag, stop.reason);
                stopReasons_.insert(c.id, stop.reason);
                requestCancel(ws_, c);
                stopAsked_.insert(c.id);
                log(QStringLiteral("child %1 stopped: %2").arg(c.id, stop.reason));
            }
    fixStopReasons(children);
}

void SweepDriver::fixStopReasons(const QList<RunRecord>& children) {
    // A child stopped by the sweep ends Canceled "by the user"; say who and why instead.
    for (const RunRecord& c : children)
        if (c.status == RunStatus::Canceled && stopReasons_.contains(c.id) && c.reason != stopReasons_.value(c.id))
            ws_.store().runs().setReason(c.id, stopReasons_.value(c.id));
}

bool SweepDriver::submitMore(const QList<RunRecord>& children, int& active) {
    // A child counts against max_concurrent_runs from submit until it is final, so the limit
    // holds however fast children come and go.
    int total = int(children.size());
    std::vector<Trial> trials;
    for (const RunRecord& c : children) {
        Trial t;
        t.params = paramsOf(c.id);
        const std::vector<double> values = primaryValues(c);
        if (!values.empty())
            t.value = values.back();
        t.finished = isTerminal(c.status);
        trials.push_back(t);
    }
    if (active == 0 && !exhausted_ && total < spec_.maxTotalRuns) {
        try {
            const int recorded = submitAsBatch(total, trials);
            active += recorded;
            total += recorded;
            if (recorded > 0)
                return true;
        } catch (const Error& e) {
            for (const RunRecord& c : ws_.store().runs().children(id_))
                if (!isTerminal(c.status))
                    requestCancel(ws_, c);
            finish(RunStatus::Failed, QStringLiteral("A child run could not be submitted: %1").arg(e.message()),
                   children);
            return false;
        }
    }
    while (!exhausted_ && active < spec_.maxConcurrentRuns && total < spec_.maxTotalRuns) {
        const std::optional<Json> params = sampler_->next(total, trials);
        if (!params) {
            exhausted_ = true;
            break;
        }
        try {
            submitChild(*params);
        } catch (const Error& e) {
            for (const RunRecord& c : children)
                if (!isTerminal(c.status))
                    requestCancel(ws_, c);
            finish(RunStatus::Failed, QStringLiteral("A child run could not be submitted: %1").arg(e.message()),
                   children);
            return false;
        }
        Trial t;
        t.params = *params;
        trials.push_back(t);
        ++active;
        ++total;
    }
    return true;
}

int driveSweep(const SweepDriverOptions& options) {
    std::signal(SIGHUP, SIG_IGN);
    std::signal(SIGPIPE, SIG_IGN);
    std::optional<HelperStart> start = startHelper(options.workspaceRoot, options.sweepId, options.lockFd, kWho,
                                                   QStringLiteral("sweep %1 already has a driver"));
    if (!start)
        return 1;
    Workspace* ws = &start->workspace;
    const std::optional<RunRecord> parent = start->record;
    std::optional<SweepDriver> driver;
    try {
        driver.emplace(*ws, *parent);
    } catch (const std::exception& e) {
        note(QString::fromUtf8(e.what()));
        ws->store().runs().transition(parent->id, RunStatus::Failed, QString::fromUtf8(e.what()));
        writeRunJson(ws->store(), parent->id);
        return 1;
    }
    int failures = 0;
    for (;;) {
        try {
            if (driver->step())
                break;
            failures = 0;
        } catch (const std::exception& e) {
            // A busy store or a half-written file: try again, but not forever.
            note(QString::fromUtf8(e.what()));
            if (++failures >= 50) {
                ws->store().runs().transition(parent->id, RunStatus::Failed,
                                              QStringLiteral("The sweep driver kept failing: %1")
                                                  .arg(QString::fromUtf8(e.what())));
                writeRunJson(ws->store(), parent->id);
                return 1;
            }
        }
        QThread::msleep(static_cast<unsigned long>(options.pollMs));
    }
    return 0;
}

} // namespace lb::sweep
