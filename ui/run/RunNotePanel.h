#pragma once
// A run's note (issue 17) on its dashboard: Markdown shown rendered (QTextBrowser::setMarkdown),
// Edit turns it into a text box, Save writes it to the store and the run's run.json off the UI
// thread. A note changed elsewhere (`labbench runs note`) shows when the dashboard reloads, unless
// the user is editing.
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTextBrowser;

namespace lb::ui {

class RunNotePanel : public QWidget {
    Q_OBJECT
public:
    RunNotePanel(const QString& workspaceRoot, const QString& runId, QWidget* parent = nullptr);

    // The note as stored now (the dashboard's reload); ignored while editing.
    void showNote(const QString& markdown);
    QString note() const { return note_; }
    bool editing() const;
    void startEditing();
    // Saves the editor's text; saved() or failed() follows.
    void save();
    void cancelEditing();

    QTextBrowser* viewer() const { return viewer_; }
    QPlainTextEdit* editor() const { return editor_; }

signals:
    void saved();
    void failed(const QString& message);

private:
    QString root_, runId_, note_;
    QStackedWidget* pages_ = nullptr;
    QTextBrowser* viewer_ = nullptr;
    QPlainTextEdit* editor_ = nullptr;
    QPushButton* edit_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* error_ = nullptr;
};

} // namespace lb::ui
