#pragma once
// The sweep form, on top of the estimator form: a Sweep page (parameter space, sampling and
// seed, primary metric and goal, early termination and its fields, run limits) beside the
// embedded estimator form. Every change is checked through the core's sweep-spec parser
// (lb::checkSweepForm), the refused field marked with the reason; Submit creates the sweep
// through core (SweepActions) and reports its id; Save/Load JSON read and write the same spec
// file `labbench sweep submit` takes.

#include "core/live/SweepFormSpec.h"
#include "ui/common/FieldMarks.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace lb {
class SweepActions;
}

namespace lb::ui {

class EstimatorForm;
class FormFooter;
class ParameterSpaceTable;
class TouchedFields;

class SweepForm : public QWidget {
    Q_OBJECT
public:
    // `workspaceRoot` empty: no workspace yet, Submit stays disabled with a reason.
    explicit SweepForm(const QString& workspaceRoot, QWidget* parent = nullptr);

    void setWorkspaceRoot(const QString& root);
    void setEstimator(const Estimator& estimator);
    void setComputeTargets(const QStringList& names);
    EstimatorForm* estimatorForm() const { return estimator_; }
    ParameterSpaceTable* parameterTable() const { return params_; }

    SweepFormData formData() const;
    void setFormData(const SweepFormData& data);
    // The spec JSON the form stands for (what Save writes).
    Json specJson() const;
    // Checks now (edits check after a short pause on their own).
    void validateNow();
    const SweepFormCheck& check() const { return check_; }
    // The reason Submit is disabled, in the form's words, or empty. Red once the field at fault
    // was touched or holds something, else a grey hint in the footer (#23 item 9).
    QString validationError() const { return error_; }
    FormFooter* footer() const { return footer_; }
    // "12 combinations" beside Max total runs: what a grid would run (#23 item 12).
    QString combinationsText() const;
    QSpinBox* seedBox() const { return seed_; }
    QLineEdit* metricEdit() const { return metric_; }
    bool canSubmit() const;
    QPushButton* submitButton() const;
    QString title() const;

    void loadJson(const QString& path);
    void saveJson(const QString& path);
    void submit();

signals:
    void titleChanged(const QString& title);
    void submitted(const QString& sweepId);
    void message(const QString& text);

private:
    // One builder per section of the Sweep page, top to bottom, then the footer.
    QWidget* buildSweepPage();
    QWidget* buildSpaceSection();
    QWidget* buildSamplingSection();
    QWidget* buildMetricSection();
    QWidget* buildPolicySection();
    QWidget* buildLimitsSection();
    FormFooter* buildFooter();
    // Every edit of a Sweep page field checks the form again after a short pause.
    void watchFields();
    void scheduleValidation();
    void updatePolicyFields();
    // Seed means nothing to a grid, which runs every combination in order.
    void updateSamplingFields();
    void updateCombinations();
    // What the last check refused, first to last, each with the field it belongs to and the
    // reason in the form's words.
    struct Refusal {
        QWidget* field = nullptr;
        QString text;
        bool loud = true;
    };
    QList<Refusal> refusals() const;
    // Red for a field the user touched or that holds something (see EstimatorForm).
    bool shownLoud(QWidget* field) const;

    QString root_;
    SweepActions* actions_ = nullptr;
    SweepFormCheck check_;
    QString error_;
    TouchedFields* touched_ = nullptr;
    QLabel* combinations_ = nullptr;
    QTimer validateTimer_;
    FieldMarks marks_;

    QTabWidget* tabs_ = nullptr;
    EstimatorForm* estimator_ = nullptr;
    ParameterSpaceTable* params_ = nullptr;
    QComboBox* method_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QLineEdit* metric_ = nullptr;
    QComboBox* goal_ = nullptr;
    QComboBox* policy_ = nullptr;
    QSpinBox* interval_ = nullptr;
    QSpinBox* delay_ = nullptr;
    QComboBox* slackKind_ = nullptr;
    QDoubleSpinBox* slack_ = nullptr;
    QDoubleSpinBox* truncation_ = nullptr;
    QSpinBox* maxTotal_ = nullptr;
    QSpinBox* maxConcurrent_ = nullptr;
    QDoubleSpinBox* maxDuration_ = nullptr;
    QLineEdit* experiment_ = nullptr;
    QLabel* paramsError_ = nullptr;
    FormFooter* footer_ = nullptr;
};

} // namespace lb::ui
