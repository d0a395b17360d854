#pragma once
// The workbench's look: Fusion with a calm light palette and a few style-sheet rules
// (invalid fields, header pills, panel banners).

class QApplication;

namespace lb::ui {

void applyAppStyle(QApplication& app);

} // namespace lb::ui
