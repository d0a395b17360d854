#pragma once
// The layout of a dashboard header: a lead widget (title, status, facts) with trailing widgets
// (buttons) on its right while they fit, and wrapped onto rows below it when the window is too
// narrow, so nothing is ever cut off or pushes the window wider.

#include <QLayout>

namespace lb::ui {

class HeaderLayout : public QLayout {
public:
    explicit HeaderLayout(QWidget* parent = nullptr);
    ~HeaderLayout() override;

    // The first widget added is the lead; the rest trail it.
    void addLead(QWidget* widget);
    void addTrailing(QWidget* widget);
    // The lead keeps at least this width beside the buttons before they wrap below it.
    void setLeadMinimumWidth(int width) { leadMinimum_ = width; }
    // True when the trailing widgets sit on rows of their own (after the last layout).
    bool wrapped() const { return wrapped_; }

    void addItem(QLayoutItem* item) override;
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    int count() const override;
    QSize sizeHint() const override;
    QSize minimumSize() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    void setGeometry(const QRect& rect) override;
    Qt::Orientations expandingDirections() const override { return Qt::Horizontal; }

private:
    int arrange(const QRect& rect, bool apply) const;
    QList<QLayoutItem*> items_;
    int leadMinimum_ = 240;
    mutable bool wrapped_ = false;
};

} // namespace lb::ui
