#pragma once
// The runs table page (issue 17): a query box with MLflow's search grammar (errors shown where
// they are), an experiment choice, archived runs on demand, a column chooser remembered per
// experiment, and the table itself (RunsTableModel: sorted and filtered in SQL, paged, live).
// It asks its owner to open a run or compare runs; it knows nothing of the main window.
#include "core/query/RunQuery.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace lb {
class RunsTableModel;
}

namespace lb::ui {

class RunsTablePage : public QWidget {
    Q_OBJECT
public:
    explicit RunsTablePage(const QString& workspaceRoot, QWidget* parent = nullptr);

    RunsTableModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    // Shows one experiment's runs (empty: every experiment), with its remembered columns.
    void setExperiment(const QString& experiment);
    void setQuery(const QString& text);
    QStringList selectedRunIds() const;
    // The query box's error, empty when the query parses.
    QString queryError() const;

    // Archives (or restores) the selected runs; their run.json says so too.
    void archiveSelected(bool archived);
    // Plans the delete of the selected runs off the UI thread, asks with what it frees (unless
    // `confirmed`), then deletes with a progress bar; refusals are shown, nothing is half done.
    void deleteSelected(bool confirmed = false);
    // What the delete confirmation asks: "Delete 3 runs? Delete would free 12.4 MB. …"
    static QString deleteQuestion(int runs, qint64 bytes);
    // The disk space the shown experiment's runs (archived ones too) use, once measured; -1 before.
    qint64 diskTotal() const { return diskTotal_; }

signals:
    void openRunRequested(const QString& runId);
    void compareRequested(const QStringList& runIds);
    // A delete finished: how many runs went, or why none did.
    void deleteFinished(int removed, const QString& error);
    // The experiment's disk total was measured (off the UI thread).
    void diskTotalMeasured(qint64 bytes);

private:
    void applyQuery();
    void chooseColumns();
    void applyColumns(const QList<query::Key>& keys, bool remember);
    QList<query::Key> rememberedColumns() const;
    void updateCount();
    void measureDiskTotal();

    QString root_;
    QString experiment_;
    RunsTableModel* model_;
    QTableView* view_;
    QLineEdit* query_;
    QLabel* queryError_;
    QComboBox* experiments_;
    QCheckBox* archived_;
    QLabel* count_;
    QLabel* diskTotalLabel_;
    qint64 diskTotal_ = -1;
    int diskGeneration_ = 0; // answers for an experiment shown before are dropped
    QPushButton* compare_;
    QPushButton* archive_;
    QPushButton* delete_;
};

} // namespace lb::ui
