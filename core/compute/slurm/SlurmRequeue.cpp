#include "core/compute/slurm/SlurmRequeue.h"

namespace lb {

namespace {

QString baseState(const SlurmJobInfo& info) { return info.state.section(QLatin1Char(' '), 0, 0).toUpper(); }

// "job 7 on n1"
QString jobWords(const SlurmJobInfo& info, const QString& jobId) {
    return info.nodes.isEmpty() ? QStringLiteral("job %1").arg(jobId)
                                : QStringLiteral("job %1 on %2").arg(jobId, info.nodes);
}

// Why the job lost its nodes, from a state that says so (PREEMPTED, NODE_FAIL).
QString lossWords(const QString& state) {
    return state == QLatin1String("NODE_FAIL") ? QStringLiteral("lost its node (NODE_FAIL)")
                                               : QStringLiteral("was preempted (PREEMPTED)");
}

} // namespace

QString SlurmRequeuePolicy::attemptWords(int restarts) const {
    return QStringLiteral("requeue %1 of at most %2; attempt %3 of the run")
        .arg(restarts)
        .arg(max_)
        .arg(restarts + 1);
}

QString SlurmRequeuePolicy::limitReason(const SlurmJobInfo& info, const QString& jobId) const {
    const QString state = baseState(info);
    const bool lostNow = state == QLatin1String("PREEMPTED") || state == QLatin1String("NODE_FAIL");
    // Slurm counts the requeues; the loss that ends the run is one more when Slurm did not
    // requeue it (yet).
    const int losses = lostNow ? info.restarts + 1 : info.restarts;
    const QString how = lostNow ? lossWords(state) : QStringLiteral("was queued again by Slurm (preemption or node failure)");
    if (max_ == 0)
        return QStringLiteral("Slurm %1 %2, and this run is not requeued (--slurm-max-requeues 0, estimator "
                              "slurm_max_requeues 0); give it a limit above 0 to let it resume from its "
                              "checkpoint, or use a partition that is not preempted.")
            .arg(jobWords(info, jobId), how);
    return QStringLiteral("Slurm %1 %2: it lost its nodes %3 times, and the run's limit is %4 requeue%5 "
                          "(--slurm-max-requeues %4, estimator slurm_max_requeues); raise it to let the job be "
                          "queued again, or use a partition that is not preempted.")
        .arg(jobWords(info, jobId), how)
        .arg(losses)
        .arg(max_)
        .arg(max_ == 1 ? QString() : QStringLiteral("s"));
}

SlurmRequeueStep SlurmRequeuePolicy::failed(const QString& reason) {
    final_ = SlurmRequeueStep{RunStatus::Failed, reason};
    return *final_;
}

std::optional<SlurmRequeueStep> SlurmRequeuePolicy::observe(const SlurmJobInfo& info, const QString& jobId,
                                                            bool cancelSent) {
    if (final_)
        return final_;
    if (cancelSent)
        return std::nullopt; // the user's cancel wins over any requeue
    const QString state = baseState(info);
    if (state == QLatin1String("RUNNING") || state == QLatin1String("PENDING"))
        seenRestarts_ = info.restarts;

    // Ended where Slurm will not queue it again by itself: Labbench does, within the limit.
    if (state == QLatin1String("PREEMPTED") || state == QLatin1String("NODE_FAIL")) {
        if (info.restarts >= max_)
            return failed(limitReason(info, jobId));
        if (requeuedAtRestarts_ != info.restarts) {
            requeuedAtRestarts_ = info.restarts;
            const QString refused = commands_.requeue(jobId);
            // "Job is pending execution": Slurm queued it again itself meanwhile.
            if (!refused.isEmpty() && !refused.contains(QLatin1String("pending"), Qt::CaseInsensitive))
                return failed(QStringLiteral("Slurm %1 %2, and `scontrol requeue` would not queue it again (%3); "
                                             "submit the run again.")
                                  .arg(jobWords(info, jobId), lossWords(state), refused.trimmed()));
        }
        return SlurmRequeueStep{RunStatus::Preempted,
                                QStringLiteral("Slurm %1 %2; Labbench queued it again (%3).")
                                    .arg(jobWords(info, jobId), lossWords(state), attemptWords(info.restarts + 1))};
    }
    // Our own cancel of a job beyond the limit, seen by a follower started after it.
    if (state == QLatin1String("CANCELLED"))
        return info.restarts > max_ ? std::optional(failed(limitReason(info, jobId))) : std::nullopt;
    if (mapSlurmState(state).final || info.restarts <= 0)
        return std::nullopt; // ended as usual, or never requeued

    if (info.restarts > max_) {
        // Queued again beyond the limit: cancelled once it can be (a COMPLETING job cannot).
        if (state != QLatin1String("COMPLETING") && commands_.cancel(jobId).isEmpty())
            return failed(limitReason(info, jobId));
        return SlurmRequeueStep{RunStatus::Preempted,
                                QStringLiteral("Slurm queued job %1 again beyond the run's limit of %2 "
                                               "(--slurm-max-requeues); Labbench cancels it.")
                                    .arg(jobId)
                                    .arg(max_)};
    }
    const QString again = QStringLiteral("Slurm took the nodes of job %1 (preemption or node failure) and "
                                         "queued it again (%2).")
                              .arg(jobId, attemptWords(info.restarts));
    const bool held = state == QLatin1String("REQUEUE_HOLD") ||
                      (state == QLatin1String("PENDING") && info.reason.startsWith(QLatin1String("JobHeld")));
    if (held)
        return SlurmRequeueStep{RunStatus::Preempted,
                                QStringLiteral("Slurm queued job %1 again but holds it (%2); `scontrol release %1` "
                                               "lets it run.")
                                    .arg(jobId, info.reason.isEmpty() ? state : info.reason)};
    if (state == QLatin1String("PENDING"))
        return SlurmRequeueStep{RunStatus::Queued, again};
    // On its way out of its nodes: COMPLETING with more restarts than when it last ran or waited.
    const bool leaving = state == QLatin1String("REQUEUED") || state == QLatin1String("REQUEUE_FED") ||
                         (state == QLatin1String("COMPLETING") && seenRestarts_ >= 0 && info.restarts > seenRestarts_);
    if (leaving)
        return SlurmRequeueStep{RunStatus::Preempted, again};
    return std::nullopt;
}

} // namespace lb
