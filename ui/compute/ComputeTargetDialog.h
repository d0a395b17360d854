#pragma once
// Creating or editing one compute target: the fields of its kind (local, ssh, slurm) as the
// CLI's `compute create` options, checked by core (draftComputeTarget) on every change, each
// invalid field marked with its reason and Save held back until all are fine. Test connection
// runs the real `compute test` check on the settings as they stand, on a background thread;
// the dialog stays responsive and may be closed while it runs. Save writes through core on a
// background thread too; the browser then updates from the store.

#include "core/compute/TargetSettings.h"

#include <QDialog>
#include <QHash>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace lb::ui {

class TouchedFields;

class ComputeTargetDialog : public QDialog {
    Q_OBJECT
public:
    // A dialog for a new target of `kind` (names in `takenNames` are refused), or, with
    // `existing`, for editing it (name and kind fixed).
    ComputeTargetDialog(QString workspaceRoot, QString kind, QStringList takenNames,
                        std::optional<ComputeTargetRecord> existing = std::nullopt,
                        QWidget* parent = nullptr);
    ~ComputeTargetDialog() override;

    const QString& kind() const { return kind_; }
    bool editing() const { return existing_.has_value(); }
    // The editor of a field ("port", "remote-dir", …): a QLineEdit, or a QComboBox for
    // host-key-policy. Null for a field this kind does not have.
    QWidget* editor(const QString& field) const { return editors_.value(field); }
    void setValue(const QString& field, const QString& value);
    QString value(const QString& field) const;
    // The reason shown under a field; empty when it is fine.
    QString problemShown(const QString& field) const;
    const TargetDraft& draft() const { return draft_; }

    QPushButton* saveButton() const { return save_; }
    QPushButton* testButton() const { return test_; }
    bool testing() const { return testing_; }
    // "Connecting to …" while a test or save runs; empty otherwise.
    QString busyText() const;
    // The answer of the last test: what was found, or the error. Empty before the first one.
    QString testAnswer() const;
    bool lastTestOk() const { return lastTestOk_; }
    // The detected GPUs' check boxes (local targets), once detection answered.
    QList<QCheckBox*> gpuBoxes() const { return gpuBoxes_; }

signals:
    void saved(const QString& name);
    void testFinished(bool ok, const QString& answer);

protected:
    // Files named in fields (key, known_hosts) may appear while the dialog is in the background.
    void changeEvent(QEvent* event) override;

private:
    void addField(QFormLayout* form, const QString& field);
    void validate();
    void runTest();
    void runSave();
    void detectGpus();
    void syncGpuBoxes();
    void setBusy(const QString& text);
    void growToFit();

    QString root_;
    QString kind_;
    QStringList taken_;
    std::optional<ComputeTargetRecord> existing_;
    TargetDraft draft_;
    QHash<QString, QWidget*> editors_;
    QHash<QString, QLabel*> problems_;
    TouchedFields* touched_ = nullptr;
    QHBoxLayout* gpuRow_ = nullptr;
    QLabel* gpuInfo_ = nullptr;
    QList<QCheckBox*> gpuBoxes_;
    QLabel* answer_ = nullptr;
    QLabel* busy_ = nullptr;
    QWidget* progress_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* test_ = nullptr;
    bool testing_ = false;
    bool saving_ = false;
    bool lastTestOk_ = false;
};

} // namespace lb::ui
