#pragma once
// A one-line label that shrinks below its text's width and shows "…" instead of being cut or
// widening the window (long run ids in narrow dashboards). text() stays the whole text; the
// tooltip shows it while it is elided.

#include <QLabel>

namespace lb::ui {

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(const QString& text = {}, QWidget* parent = nullptr);
    QSize minimumSizeHint() const override;
    // True when the last paint had to elide.
    bool isElided() const;

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace lb::ui
