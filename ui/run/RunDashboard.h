#pragma once
// One run, live: a header (status, duration, target, exit code; Cancel, Resume, Clone, Register model,
// Open outputs folder) over tabs for metrics, the driver log, the state timeline, the estimator,
// the outputs and the run's note (Markdown, editable). Every piece is fed by a core producer on
// its own thread; an unreadable run (deleted folder, broken store) shows the reason in the panel.

#include "core/live/RunDetail.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeView;

namespace lb {
class RunActions;
class RunFilesModel;
class StoreWatcher;
struct Estimator;
} // namespace lb

namespace lb::ui {

class ImagesStrip;
class LogView;
class MetricChartsPanel;
class OutputsPanel;
class RunNotePanel;
class StateTimeline;

class RunDashboard : public QWidget {
    Q_OBJECT
    // Read by the end-to-end state hook, which finds a dashboard by its object name
    // ("runDashboard") and its sections by theirs ("dashboardSections").
    Q_PROPERTY(QString runId READ runId CONSTANT)
    Q_PROPERTY(QString status READ statusName)
    // The tab's tooltip (WorkbenchTabs::followTitle): id, experiment, key parameters.
    Q_PROPERTY(QString titleToolTip READ titleToolTip)
public:
    RunDashboard(const QString& workspaceRoot, const QString& storePath, const QString& runId,
                 RunActions* actions, QWidget* parent = nullptr);
    ~RunDashboard() override;

    const QString& runId() const { return runId_; }
    MetricChartsPanel* charts() const { return charts_; }
    // The System tab: the run's system metrics, a line per node (issue 19).
    MetricChartsPanel* systemCharts() const { return system_; }
    LogView* log() const { return log_; }
    RunFilesModel* files() const { return files_; }
    ImagesStrip* images() const { return images_; }
    OutputsPanel* outputsPanel() const { return outputsPanel_; }
    RunNotePanel* notePanel() const { return note_; }
    const RunDetailPtr& detail() const { return detail_; }
    QTabWidget* sections() const { return tabs_; }
    // The header's line of facts and the whole reason of a failed or canceled run (tests).
    QLabel* factsLabel() const { return facts_; }
    QLabel* reasonLabel() const { return reason_; }
    // The run's one display name (core/store/RunDisplayName.h), as the tree and legends say it.
    QString title() const;
    QString titleToolTip() const;
    // The run's state as stored ("Running"), empty until the first load.
    QString statusName() const;

signals:
    void cloneRequested(const lb::Estimator& estimator);
    void titleChanged(const QString& title);
    void message(const QString& text);
    // The run turned out to be a sweep's parent (its own dashboard shows it better).
    void sweepDetected(const QString& runId);
    // A registered model's confirmation link was followed (#23 item 13).
    void modelRequested(const QString& name, int version);

private:
    void onDetail(const RunDetailPtr& detail);
    void showError(const QString& message);
    void tick();
    QString workspaceRoot_;
    QString runId_;
    RunActions* actions_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    RunDetailPtr detail_;
    QTimer clock_;
    QLabel* title_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* facts_ = nullptr;
    QLabel* reason_ = nullptr;
    QLabel* error_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* clone_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* register_ = nullptr;
    QPushButton* outputs_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    MetricChartsPanel* charts_ = nullptr;
    MetricChartsPanel* system_ = nullptr;
    LogView* log_ = nullptr;
    StateTimeline* timeline_ = nullptr;
    QPlainTextEdit* estimator_ = nullptr;
    RunFilesModel* files_ = nullptr;
    ImagesStrip* images_ = nullptr;
    OutputsPanel* outputsPanel_ = nullptr;
    RunNotePanel* note_ = nullptr;
};

} // namespace lb::ui
