#pragma once
// A 28×28 drawing canvas for trying an MNIST classifier: the mouse paints with a soft round
// brush (as a pen on paper gives MNIST's anti-aliased strokes), and pixels() gives the image in
// [0, 1], row by row, as the native endpoint expects it.

#include <QVector>
#include <QWidget>

namespace lb::ui {

class DigitCanvas : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSide = 28;

    explicit DigitCanvas(QWidget* parent = nullptr);

    // 784 values in [0, 1], row-major (row 0 at the top).
    const QVector<float>& pixels() const { return pixels_; }
    // True when nothing has been drawn since the last clear.
    bool isBlank() const;
    void clear();

    QSize sizeHint() const override { return {kSide * 8, kSide * 8}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }

signals:
    // A stroke ended (the mouse was released).
    void strokeFinished();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    // The square the grid is drawn in, and a widget point in grid units (cells).
    QRectF gridRect() const;
    QPointF toGrid(const QPointF& widgetPoint) const;
    // Paints the brush along the segment from the last point to `to` (grid units).
    void strokeTo(const QPointF& to);
    void dab(const QPointF& centre);

    QVector<float> pixels_;
    QPointF last_;
    bool drawing_ = false;
};

} // namespace lb::ui
