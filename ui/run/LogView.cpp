#include "ui/run/LogView.h"

#include "core/live/LogModel.h"
#include "core/live/LogTail.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace lb::ui {

LogView::LogView(const QString& logPath, QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("driverLog"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto* bar = new QHBoxLayout;
    search_ = new QLineEdit;
    search_->setPlaceholderText(tr("Search the log (Enter: next, Shift+Enter: previous)"));
    search_->setClearButtonEnabled(true);
    bar->addWidget(search_, 1);
    auto* previous = new QPushButton(tr("Previous"));
    auto* next = new QPushButton(tr("Next"));
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addSpacing(12);
    follow_ = new QCheckBox(tr("Follow"));
    follow_->setChecked(true);
    bar->addWidget(follow_);
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("muted"));
    status_->setMinimumWidth(140);
    status_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar->addWidget(status_);
    layout->addLayout(bar);

    tail_ = new LogTail(logPath, this);
    model_ = new LogModel(tail_->index(), this);
    view_ = new QListView;
    view_->setModel(model_);
    view_->setUniformItemSizes(true); // row heights without asking for every row's text
    view_->setLayoutMode(QListView::Batched);
    view_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setStyleSheet(QStringLiteral("QListView { background: #0d1117; color: #e6edf3; "
                                        "selection-background-color: #264f78; "
                                        "selection-color: white; border-radius: 4px; }"));
    layout->addWidget(view_, 1);

    connect(tail_, &LogTail::grew, this, &LogView::onGrew);
    connect(tail_, &LogTail::found, this, [this](const QString& text, qint64 line) {
        if (text != search_->text())
            return;
        if (line < 0) {
            status_->setText(tr("“%1” not found").arg(text));
            return;
        }
        setFollow(false);
        const QModelIndex index = model_->index(static_cast<int>(line));
        view_->setCurrentIndex(index);
        view_->scrollTo(index, QAbstractItemView::PositionAtCenter);
        status_->setText(tr("line %L1").arg(line + 1));
    });
    connect(search_, &QLineEdit::returnPressed, this, [this] { find(true); });
    connect(next, &QPushButton::clicked, this, [this] { find(true); });
    connect(previous, &QPushButton::clicked, this, [this] { find(false); });
    connect(follow_, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            view_->scrollToBottom();
    });
    // Scrolling up stops following; back at the bottom resumes it.
    connect(view_->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        const bool atBottom = value >= view_->verticalScrollBar()->maximum();
        if (!atBottom && follow_->isChecked() && view_->verticalScrollBar()->isSliderDown())
            follow_->setChecked(false);
    });
    tail_->start();
}

LogView::~LogView() { tail_->stop(); }

void LogView::onGrew(qint64 lines) {
    model_->setLineCount(lines);
    if (search_->text().isEmpty())
        status_->setText(tr("%L1 lines").arg(lines));
    if (follow_->isChecked())
        view_->scrollToBottom();
}

void LogView::setFollow(bool on) {
    follow_->setChecked(on);
    if (on)
        view_->scrollToBottom(); // already checked: toggled() does not come
}

bool LogView::following() const { return follow_->isChecked(); }

bool LogView::atEnd() const {
    const QScrollBar* bar = view_->verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void LogView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    // After the layout has given the list its height: only then is "the bottom" known.
    if (follow_->isChecked())
        QTimer::singleShot(0, view_, [view = view_] { view->scrollToBottom(); });
}

void LogView::find(bool forward) {
    const QString text = search_->text();
    if (text.isEmpty())
        return;
    const int current = view_->currentIndex().isValid() ? view_->currentIndex().row() : -1;
    const qint64 from = forward ? current + 1 : std::max(0, current - 1);
    status_->setText(tr("searching…"));
    tail_->search(text, from, forward);
}

int LogView::lineCount() const { return model_->rowCount(); }

QStringList LogView::tailLines(int count) const {
    QStringList lines;
    const int rows = model_->rowCount();
    for (int r = std::max(0, rows - count); r < rows; ++r)
        lines.append(model_->index(r).data().toString());
    return lines;
}

} // namespace lb::ui
