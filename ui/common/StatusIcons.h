#pragma once
// Icons and colours for run states and browser nodes, painted once (no image files to ship).

#include <QColor>
#include <QIcon>
#include <QString>

namespace lb::ui {

// The colour of a run or endpoint state ("Running" blue, "Completed" and "Healthy" green,
// "Failed" red, …).
QColor statusColor(const QString& status);
// A round icon in the state's colour; active states carry a ring.
QIcon statusIcon(const QString& status);
// Icons for the browser's categories and nodes: "experiments", "experiment", "targets",
// "target", "models", "model", "version", "endpoints", "endpoint", "data", "folder".
QIcon nodeIcon(const QString& kind);

} // namespace lb::ui
