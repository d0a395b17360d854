#pragma once
// Register model, from a run dashboard: a file or folder of the run's outputs, a model name
// (checked as `labbench models register` checks it), tags (key=value, one a line) and a
// description. The copy into the registry runs through core (ModelRegistry) on a background
// thread; the dialog reports the version it got, or the reason it was refused.

#include "core/store/Entities.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace lb {
class RunFilesModel;
struct RunDetail;
} // namespace lb

namespace lb::ui {

class RegisterModelDialog : public QDialog {
    Q_OBJECT
public:
    // `files` are the run's kept files (RunDetail::files); only those under outputs/ are offered.
    RegisterModelDialog(QString workspaceRoot, QString runId, const QList<RunFile>& files,
                        const QString& suggestedName = {}, QWidget* parent = nullptr);

    QTreeView* filesView() const { return files_; }
    QLineEdit* nameEdit() const { return name_; }
    QPlainTextEdit* tagsEdit() const { return tags_; }
    QLineEdit* descriptionEdit() const { return description_; }
    QPushButton* registerButton() const { return register_; }

    // Selects the file or folder at `path` ("outputs/model.npz"); false when it is not offered.
    bool choosePath(const QString& path);
    QString chosenPath() const;
    // Why Register is held back (or why the registry refused), empty when all is fine.
    QString problem() const;
    bool busy() const { return busy_; }
    // After a registration: "Registered mnist version 3." with a link to it (#23 item 13).
    QLabel* confirmationLabel() const { return confirmation_; }

    // The name a chosen output proposes: its file name without extensions ("model" for
    // outputs/model.npz, "resnet" for outputs/resnet/), else empty when that is no model name.
    static QString nameFromPath(const QString& path);

    // The dialog for a run's dashboard: window-modal over `parent`, deleted on close, the name
    // proposed from the run's experiment, else (for "default", which names nothing) from the
    // chosen output.
    static RegisterModelDialog* openFor(QWidget* parent, const QString& workspaceRoot,
                                        const RunDetail& detail);

signals:
    void registered(const lb::ModelVersion& version);
    // The confirmation's link was followed: show this version in the Models page.
    void showModelRequested(const QString& name, int version);

private:
    void validate();
    // Proposes a name for the chosen output until the user types one.
    void proposeName();
    void confirm(const ModelVersion& version);
    void runRegister();
    QString root_;
    QString runId_;
    RunFilesModel* model_ = nullptr;
    QTreeView* files_ = nullptr;
    QLineEdit* name_ = nullptr;
    QPlainTextEdit* tags_ = nullptr;
    QLineEdit* description_ = nullptr;
    QLabel* problem_ = nullptr;
    QLabel* confirmation_ = nullptr;
    QPushButton* register_ = nullptr;
    QPushButton* close_ = nullptr;
    QString fallbackName_;
    bool nameTyped_ = false;
    bool busy_ = false;
};

} // namespace lb::ui
