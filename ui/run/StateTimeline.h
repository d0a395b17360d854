#pragma once
// A run's state history drawn as a horizontal band (one coloured segment per state, width by
// time spent) above the list of transitions with their times.

#include "core/store/Entities.h"

#include <QWidget>

class QTreeWidget;

namespace lb::ui {

class StateTimeline : public QWidget {
    Q_OBJECT
public:
    explicit StateTimeline(QWidget* parent = nullptr);
    void setHistory(const QList<StateChange>& history, bool final);

private:
    class Band;
    Band* band_ = nullptr;
    QTreeWidget* list_ = nullptr;
};

} // namespace lb::ui
