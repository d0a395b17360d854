#pragma once
// The workbench's look: Fusion with a calm light palette and a few style-sheet rules
// (invalid fields, header pills, panel banners).

#include <QString>

class QApplication;
class QLabel;

namespace lb::ui {

void applyAppStyle(QApplication& app);

// A panel's error banner (styled by applyAppStyle's #errorBanner rule): word-wrapped, hidden
// until there is something to say.
QLabel* makeErrorBanner();

// A quiet note (hints, facts, "nothing here yet"): grey by the #muted rule, word-wrapped.
QLabel* makeMutedLabel(const QString& text = {});

} // namespace lb::ui
