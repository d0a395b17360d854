#pragma once
// The start tab: what the workbench does and the one gesture to begin (drop a script).

#include <QWidget>

namespace lb::ui {

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

signals:
    void newEstimatorRequested();
};

} // namespace lb::ui
