#include "ui/run/RunNotePanel.h"

#include "core/lifecycle/RunFinish.h"
#include "core/live/BackgroundCall.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"
#include "ui/common/AppStyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace lb::ui {

RunNotePanel::RunNotePanel(const QString& workspaceRoot, const QString& runId, QWidget* parent)
    : QWidget(parent), root_(workspaceRoot), runId_(runId) {
    viewer_ = new QTextBrowser;
    viewer_->setObjectName(QStringLiteral("runNoteView"));
    viewer_->setOpenExternalLinks(true);
    viewer_->setPlaceholderText(tr("No note yet. Edit to write one in Markdown."));
    editor_ = new QPlainTextEdit;
    editor_->setObjectName(QStringLiteral("runNoteEditor"));
    editor_->setPlaceholderText(tr("Markdown: **bold**, `code`, - lists, [links](https://…)"));
    pages_ = new QStackedWidget;
    pages_->addWidget(viewer_);
    pages_->addWidget(editor_);
    edit_ = new QPushButton(tr("Edit"));
    edit_->setObjectName(QStringLiteral("runNoteEdit"));
    save_ = new QPushButton(tr("Save"));
    save_->setObjectName(QStringLiteral("runNoteSave"));
    // Not "Cancel": the dashboard's Cancel stops the run, and one page must not offer two.
    cancel_ = new QPushButton(tr("Discard"));
    cancel_->setObjectName(QStringLiteral("runNoteDiscard"));
    error_ = makeErrorBanner();
    auto* bar = new QHBoxLayout;
    bar->addStretch();
    bar->addWidget(edit_);
    bar->addWidget(cancel_);
    bar->addWidget(save_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(error_);
    layout->addWidget(pages_, 1);
    layout->addLayout(bar);
    save_->hide();
    cancel_->hide();
    connect(edit_, &QPushButton::clicked, this, &RunNotePanel::startEditing);
    connect(save_, &QPushButton::clicked, this, &RunNotePanel::save);
    connect(cancel_, &QPushButton::clicked, this, &RunNotePanel::cancelEditing);
}

bool RunNotePanel::editing() const { return pages_->currentWidget() == editor_; }

void RunNotePanel::showNote(const QString& markdown) {
    if (editing() || markdown == note_)
        return;
    note_ = markdown;
    viewer_->setMarkdown(markdown);
}

void RunNotePanel::startEditing() {
    editor_->setPlainText(note_);
    pages_->setCurrentWidget(editor_);
    edit_->hide();
    save_->show();
    cancel_->show();
    editor_->setFocus();
}

void RunNotePanel::cancelEditing() {
    pages_->setCurrentWidget(viewer_);
    edit_->show();
    save_->hide();
    cancel_->hide();
}

void RunNotePanel::save() {
    const QString text = editor_->toPlainText();
    save_->setEnabled(false);
    const QString root = root_, id = runId_;
    runInBackground<QString>(
        this,
        [root, id, text] {
            try {
                Workspace ws = Workspace::open(root);
                ws.store().runs().setNote(id, text);
                writeRunJson(ws.store(), id); // repair brings it back from run.json
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
            return QString();
        },
        [this, text](QString error) {
            save_->setEnabled(true);
            if (!error.isEmpty()) {
                error_->setText(error);
                error_->show();
                emit failed(error);
                return;
            }
            error_->hide();
            cancelEditing();
            note_ = QString(); // shown afresh even if the text equals the old one
            showNote(text);
            emit saved();
        });
}

} // namespace lb::ui
