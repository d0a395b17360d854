#include "ui/run/RunDashboard.h"

#include "ui/charts/MetricChartsPanel.h"
#include "ui/common/DashboardHeader.h"
#include "ui/common/ElidedLabel.h"
#include "ui/common/StatusIcons.h"
#include "core/estimator/Estimator.h"
#include "core/estimator/SecretVariables.h"
#include "core/lifecycle/RunFolder.h"
#include "core/live/RunActions.h"
#include "core/live/RunFilesModel.h"
#include "core/live/StoreWatcher.h"
#include "core/live/WorkspaceModel.h"
#include "ui/models/RegisterModelDialog.h"
#include "ui/run/ImagesStrip.h"
#include "ui/run/LogView.h"
#include "ui/run/OutputsPanel.h"
#include "ui/run/RunNotePanel.h"
#include "ui/run/StateTimeline.h"
#include "core/store/RunDisplayName.h"
#include "core/sweep/Sweep.h"
#include "core/util/Error.h"

#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace lb::ui {

RunDashboard::RunDashboard(const QString& workspaceRoot, const QString& storePath,
                           const QString& runId, RunActions* actions, QWidget* parent)
    : QWidget(parent), workspaceRoot_(workspaceRoot), runId_(runId), actions_(actions) {
    setObjectName(QStringLiteral("runDashboard"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    // Buttons beside the title while they fit, wrapped below it in narrow windows; the title
    // elides and the facts wrap, so status, target and buttons always stay visible.
    const DashboardHeader header = makeDashboardHeader(layout, QStringLiteral("runHeader"), runId);
    title_ = header.title;
    status_ = header.status;
    facts_ = header.facts;
    reason_ = header.detail;
    reason_->setObjectName(QStringLiteral("runReason"));
    error_ = header.error;
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName(QStringLiteral("cancelRun"));
    clone_ = new QPushButton(tr("Clone"));
    // A new attempt of a Failed or Canceled run from its last checkpoint (issue 20 item 2).
    resume_ = new QPushButton(tr("Resume"));
    resume_->setObjectName(QStringLiteral("resumeRun"));
    resume_->setEnabled(false);
    register_ = new QPushButton(tr("Register model"));
    outputs_ = new QPushButton(tr("Open outputs folder"));
    // Enabled once the run has Completed: the registry takes only a completed run's outputs.
    register_->setEnabled(false);
    register_->setToolTip(tr("Register a file or folder of the outputs as a model (once the run "
                             "has completed)."));
    cancel_->setObjectName(QStringLiteral("cancelRun"));
    clone_->setObjectName(QStringLiteral("cloneRun"));
    register_->setObjectName(QStringLiteral("registerModel"));
    outputs_->setObjectName(QStringLiteral("openOutputs"));
    for (QPushButton* b : {cancel_, resume_, clone_, register_, outputs_})
        header.addButton(b);

    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("dashboardSections"));
    tabs_->setDocumentMode(true);
    charts_ = new MetricChartsPanel(storePath, {runId}, {runId});
    tabs_->addTab(charts_, tr("Metrics"));
    system_ = new MetricChartsPanel(storePath, {}, {});
    system_->setObjectName(QStringLiteral("systemCharts"));
    system_->followSystemMetricsOf(runId);
    tabs_->addTab(system_, tr("System"));
    log_ = new LogView(QString()); // replaced once the run's folder is known
    tabs_->addTab(log_, tr("Log"));
    timeline_ = new StateTimeline;
    tabs_->addTab(timeline_, tr("Timeline"));
    estimator_ = new QPlainTextEdit;
    estimator_->setReadOnly(true);
    estimator_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    tabs_->addTab(estimator_, tr("Estimator"));
    images_ = new ImagesStrip;
    tabs_->addTab(images_, tr("Images"));
    files_ = new RunFilesModel(this);
    outputsPanel_ = new OutputsPanel(files_);
    tabs_->addTab(outputsPanel_, tr("Outputs"));
    note_ = new RunNotePanel(workspaceRoot, runId);
    tabs_->addTab(note_, tr("Note"));
    layout->addWidget(tabs_, 1);

    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (!actions_)
            return;
        cancel_->setEnabled(false);
        cancel_->setText(tr("Canceling…"));
        actions_->cancel(runId_);
    });
    if (actions_) {
        connect(actions_, &RunActions::cancelFailed, this,
                [this](const QString& id, const QString& m) {
                    if (id != runId_)
                        return;
                    cancel_->setText(tr("Cancel"));
                    cancel_->setEnabled(true);
                    showError(m);
                });
    }
    connect(resume_, &QPushButton::clicked, this, [this] {
        if (!actions_)
            return;
        resume_->setEnabled(false);
        resume_->setText(tr("Resuming…"));
        actions_->resume(runId_);
    });
    if (actions_) {
        connect(actions_, &RunActions::resumed, this, [this](const QString& id, int attempt) {
            if (id != runId_)
                return;
            resume_->setText(tr("Resume"));
            emit message(tr("Run %1: attempt %2 started.").arg(id).arg(attempt));
        });
        connect(actions_, &RunActions::resumeFailed, this, [this](const QString& id, const QString& m) {
            if (id != runId_)
                return;
            resume_->setText(tr("Resume"));
            resume_->setEnabled(true);
            showError(m);
        });
    }
    connect(clone_, &QPushButton::clicked, this, [this] {
        if (!detail_)
            return;
        try {
            Estimator e = Estimator::fromJson(Json::parse(detail_->run.estimatorJson.toStdString()),
                                              tr("run %1").arg(runId_));
            // The stored estimator says "***" for secrets; the copy gets their real values.
            restoreSecrets(RunFolder(detail_->run.runDir).secretsFile(), e);
            emit cloneRequested(e);
        } catch (const std::exception& e) {
            showError(tr("This run's estimator cannot be read (%1).").arg(e.what()));
        }
    });
    connect(register_, &QPushButton::clicked, this, [this] {
        if (!detail_)
            return;
        auto* dialog = RegisterModelDialog::openFor(this, workspaceRoot_, *detail_);
        connect(dialog, &RegisterModelDialog::registered, this, [this](const ModelVersion& m) {
            emit message(tr("Registered model %1:%2.").arg(m.name).arg(m.version));
        });
        connect(dialog, &RegisterModelDialog::showModelRequested, this,
                &RunDashboard::modelRequested);
    });
    connect(outputs_, &QPushButton::clicked, this, [this] {
        if (detail_)
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(detail_->snapshotDir + QStringLiteral("/outputs")));
    });

    const QString id = runId;
    watcher_ = new StoreWatcher(
        workspaceRoot,
        [id](Workspace& w) {
            return QVariant::fromValue(RunDetailPtr(std::make_shared<RunDetail>(RunDetail::load(w, id))));
        },
        300, this);
    connect(watcher_, &StoreWatcher::loaded, this,
            [this](const QVariant& v) { onDetail(v.value<RunDetailPtr>()); });
    connect(watcher_, &StoreWatcher::failed, this, &RunDashboard::showError);
    watcher_->start();
    clock_.setInterval(1000);
    connect(&clock_, &QTimer::timeout, this, &RunDashboard::tick);
    clock_.start();
}

RunDashboard::~RunDashboard() = default;

QString RunDashboard::title() const {
    if (!detail_)
        return runId_;
    return runDisplayName(detail_->run); // one name everywhere (#23 item 10)
}

QString RunDashboard::titleToolTip() const {
    return detail_ ? runToolTip(detail_->run) : runId_;
}

QString RunDashboard::statusName() const {
    return detail_ ? toString(detail_->run.status) : QString();
}

void RunDashboard::showError(const QString& message) {
    error_->setText(message);
    error_->show();
}

void RunDashboard::onDetail(const RunDetailPtr& detail) {
    if (!detail)
        return;
    const bool first = !detail_;
    detail_ = detail;
    error_->hide();
    const RunRecord& run = detail->run;
    if (first) {
        // The log view follows driver.log in the run's folder, now that it is known.
        const int index = tabs_->indexOf(log_);
        auto* log = new LogView(run.runDir + QStringLiteral("/driver.log"));
        tabs_->removeTab(index);
        delete log_;
        log_ = log;
        tabs_->insertTab(index, log_, tr("Log"));
        estimator_->setPlainText(QString::fromStdString(
            Json::parse(run.estimatorJson.toStdString(), nullptr, false).dump(2)));
        images_->setRunDir(run.runDir);
        outputsPanel_->setRoot(detail->snapshotDir);
        emit titleChanged(title());
        if (detail->tags.contains(sweep::kSweepTag))
            emit sweepDetected(runId_);
        // A failed run's story is at the end of its log, not on an empty Metrics tab
        // (#23 item 3). The log follows its tail, so it opens scrolled to the end.
        if (run.status == RunStatus::Failed) {
            log_->setFollow(true);
            tabs_->setCurrentWidget(log_);
        }
    }
    if (title_->text() != title()) {
        title_->setText(title());
        emit titleChanged(title()); // renamed (runs rename): the tab follows
    }
    title_->setToolTip(titleToolTip());
    const QString status = toString(run.status);
    status_->setText(status);
    status_->setStyleSheet(QStringLiteral("background: %1;").arg(statusColor(status).name()));
    const bool final = isTerminal(run.status);
    // Nothing changes in the store while the disk is full: a live run is looked at again now
    // and then, so the dashboard notices such a pause and its end.
    watcher_->setForcedReloadMs(final ? 0 : 5000);
    cancel_->setEnabled(!final && actions_);
    if (final)
        cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(final ? tr("The run has ended.") : tr("Stop the run (SIGTERM, then SIGKILL)"));
    register_->setEnabled(run.status == RunStatus::Completed);
    // Shown where it can be used (a Failed, Canceled or Preempted run); the tooltip says why not
    // when a run that ended that way cannot go on (another target kind, its folder gone).
    const bool resumable = run.status == RunStatus::Failed || run.status == RunStatus::Canceled ||
                           run.status == RunStatus::Preempted;
    resume_->setVisible(resumable);
    if (resume_->text() == tr("Resume"))
        resume_->setEnabled(resumable && actions_ && detail->resumeRefusal.isEmpty());
    resume_->setToolTip(!detail->resumeRefusal.isEmpty()
                            ? detail->resumeRefusal
                            : tr("Start attempt %1 of this run from its last checkpoint")
                                  .arg(detail->attempts.isEmpty() ? 2 : detail->attempts.last().number + 1));
    // Red for a failure; a cancel's or a policy's reason is news, not an alarm.
    reason_->setStyleSheet(run.status == RunStatus::Failed ? QStringLiteral("color: #cf222e;")
                                                           : QStringLiteral("color: #57606a;"));
    timeline_->setHistory(detail->history, final);
    timeline_->setAttempts(detail->attempts);
    files_->setFiles(detail->files);
    outputsPanel_->setRunEnded(final);
    note_->showNote(detail->note);
    tick();
}

void RunDashboard::tick() {
    if (!detail_)
        return;
    const RunRecord& run = detail_->run;
    QStringList facts;
    facts << tr("id %1").arg(run.id);
    facts << tr("target %1").arg(run.computeTarget);
    const qint64 seconds = WorkspaceModel::runSeconds(run, QDateTime::currentDateTimeUtc());
    facts << (seconds >= 0 ? tr("duration %1").arg(WorkspaceModel::formatDuration(seconds))
                           : tr("not started"));
    facts << (run.exitCode ? tr("exit code %1").arg(*run.exitCode) : tr("exit code —"));
    facts_->setText(joinFacts(facts));
    // The reason whole, on lines of its own: cut at 160 characters it stopped mid-word
    // ("unrecognized argume", #23 item 3). Selectable, so it can be copied into a search.
    // A live run that cannot go on (a full disk) says so until it can (#20 item 4).
    const QString reason = run.reason.isEmpty() ? detail_->paused : run.reason;
    if (reason_->text() != reason)
        reason_->setText(reason);
    reason_->setVisible(!reason.isEmpty());
    if (!isTerminal(run.status))
        timeline_->setHistory(detail_->history, false);
}

} // namespace lb::ui
