#pragma once
// A run's state history drawn as a horizontal band (one coloured segment per state, width by
// time spent) above the list of transitions with their times, and, for a run resumed or
// requeued, its attempts (issue 20 item 2).

#include "core/store/Entities.h"
#include "core/store/RunAttempts.h"

#include <QWidget>

class QTreeWidget;

namespace lb::ui {

class StateTimeline : public QWidget {
    Q_OBJECT
public:
    explicit StateTimeline(QWidget* parent = nullptr);
    void setHistory(const QList<StateChange>& history, bool final);
    // Shown when there is more than one.
    void setAttempts(const QList<RunAttempt>& attempts);
    QTreeWidget* attemptsList() const { return attempts_; }

private:
    class Band;
    Band* band_ = nullptr;
    QTreeWidget* list_ = nullptr;
    QTreeWidget* attempts_ = nullptr;
};

} // namespace lb::ui
