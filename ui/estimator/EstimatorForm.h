#pragma once
// The estimator form: every field of an Estimator, prefilled from a script's argparse flags,
// validated as you type (the invalid field is marked with the reason; Submit waits until the
// estimator is valid), saved and loaded as JSON, submitted through RunActions.

#include "core/estimator/Estimator.h"
#include "ui/common/FieldMarks.h"
#include "ui/common/FormWords.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace lb {
class ArgparseReader;
class RunActions;
struct ScriptArguments;
} // namespace lb

namespace lb::ui {

class FormFooter;
class ScriptParamsTable;
class TouchedFields;

class EstimatorForm : public QWidget {
    Q_OBJECT
    // What an observer outside ui/estimator (the end-to-end state hook) reads by name; the form
    // is found by its object name "estimatorForm", Submit as its one "primary" button.
    Q_PROPERTY(QString title READ title)
    Q_PROPERTY(QString validationError READ validationError)
    Q_PROPERTY(bool argumentsRead READ argumentsRead)
    Q_PROPERTY(bool canSubmit READ canSubmit)
    Q_PROPERTY(QStringList scriptParams READ scriptParams)
public:
    // `actions` may be null (no workspace yet): Submit then stays disabled with a reason.
    explicit EstimatorForm(RunActions* actions, QWidget* parent = nullptr);

    // Fills every field; reads the script's arguments unless `readArguments` is false (an
    // estimator loaded or cloned keeps its own script_params).
    void setEstimator(const Estimator& estimator, bool readArguments = false);
    // The form's estimator (framework defaults not applied).
    Estimator estimator() const;
    QStringList scriptParams() const { return estimator().scriptParams; }
    void setComputeTargets(const QStringList& names);
    // Which of those are Slurm targets: the Slurm section (--time, --mem, --gres) shows while
    // one of them is chosen (EstimatorFormSlurm.cpp).
    void setSlurmTargets(const QStringList& names);
    // Where Submit goes (the window's current workspace); null disables Submit.
    void setActions(RunActions* actions);

    // Empty when valid, else the reason, in the form's words. It shows in red once the field at
    // fault was touched (or holds something), else as a grey hint (#23 item 9).
    QString validationError() const { return error_; }
    FormFooter* footer() const { return footer_; }
    TouchedFields* touchedFields() const { return touched_; }
    bool canSubmit() const;
    QPushButton* submitButton() const;
    ScriptParamsTable* paramsTable() const { return params_; }
    // A short title for the form's tab ("train.py").
    QString title() const;
    // True once the argparse read for the current script finished (or failed).
    bool argumentsRead() const { return argumentsRead_; }
    QString argumentsStatus() const;

    // Hides Load/Save/Submit (a sweep form embeds this form and has its own).
    void setFooterVisible(bool visible);

    void loadJson(const QString& path);
    void saveJson(const QString& path);
    void submit();
    // Checks now (edits check after a short pause on their own).
    void validateNow();

signals:
    void titleChanged(const QString& title);
    void submitted(const QString& runId);
    void message(const QString& text); // for the status bar
    // Fields were checked again (validationError() is current).
    void validated();
    // The user asked to tune this estimator with a hyperparameter sweep.
    void sweepRequested(const lb::Estimator& estimator);

private:
    // One builder per section of the page, top to bottom, then the footer.
    void build();
    QWidget* buildScriptSection();
    QWidget* buildParametersSection();
    QWidget* buildEnvironmentSection();
    QWidget* buildDistributionSection();
    QWidget* buildRunSection();
    QWidget* buildSlurmSection();
    void showSlurmSection();
    FormFooter* buildFooter();
    // Every edit of a field checks the form again after a short pause.
    void watchFields();

    void chooseSourceFolder();
    void chooseEntryScript();
    void addVariable();
    void removeVariable();
    void scheduleValidation();
    // Each field's estimator key, the label the form shows for it in messages, and its widget.
    QList<FieldLabel> fieldLabels() const;
    QWidget* fieldFor(const QString& key) const;
    QList<QWidget*> fields() const;
    void refreshEntryChoices();
    void readArguments();
    // A script typed by hand is read as a drop's is, once it names a file (#23 item 14).
    void readTypedScript();
    void onArguments(const QString& script, const ScriptArguments& arguments);
    void applyPreset(const QString& framework);
    // A submit found the snapshot large: asks whether to go on, and sends it again if so.
    void askAboutLargeSnapshot(quint64 request, const QString& warning);

    RunActions* actions_ = nullptr;
    ArgparseReader* reader_ = nullptr;
    QTimer validateTimer_;
    QTimer typedScriptTimer_;
    QString lastReadScript_;
    TouchedFields* touched_ = nullptr;
    QString error_;
    bool argumentsRead_ = false;
    FieldMarks marks_;
    Estimator sent_; // what Submit last sent, sent again as it was after "Submit anyway"

    QComboBox* framework_ = nullptr;
    QLineEdit* source_ = nullptr;
    QComboBox* entry_ = nullptr;
    QLineEdit* python_ = nullptr;
    ScriptParamsTable* params_ = nullptr;
    QLabel* paramsStatus_ = nullptr;
    QLineEdit* pip_ = nullptr;
    QLineEdit* conda_ = nullptr;
    QLineEdit* image_ = nullptr;
    QCheckBox* gpu_ = nullptr;
    QSpinBox* nodes_ = nullptr;
    QSpinBox* processes_ = nullptr;
    QComboBox* backend_ = nullptr;
    QSpinBox* workers_ = nullptr;
    QSpinBox* parameterServers_ = nullptr;
    QTableWidget* env_ = nullptr;
    // Which variables the loaded estimator marked secret or public (#25): kept for what the form
    // gives back, so a cloned run's --secret-env variable stays secret.
    QStringList secretVariables_, publicVariables_;
    QLineEdit* experiment_ = nullptr;
    QComboBox* target_ = nullptr;
    QSpinBox* maxDuration_ = nullptr;
    QStringList slurmTargets_;
    QWidget* slurmSection_ = nullptr;
    QLineEdit* slurmTime_ = nullptr;
    QLineEdit* slurmMem_ = nullptr;
    QLineEdit* slurmGres_ = nullptr;
    QSpinBox* slurmRequeues_ = nullptr; // -1: the default limit
    FormFooter* footer_ = nullptr;
};

} // namespace lb::ui
