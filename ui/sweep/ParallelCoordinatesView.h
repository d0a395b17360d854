#pragma once
// A sweep's parameters → primary metric as parallel coordinates: a vertical axis per parameter
// and one for the metric, a polyline per child coloured by its metric (pale blue worst, deep red
// best; grey while it has none), the best child drawn last and thick. It paints what
// lb::parallelCoordinates computed; a click on a line reports that child.

#include "core/live/SweepCoordinates.h"

#include <QWidget>

namespace lb::ui {

class ParallelCoordinatesView : public QWidget {
    Q_OBJECT
public:
    explicit ParallelCoordinatesView(QWidget* parent = nullptr);

    void setData(ParallelData data);
    const ParallelData& data() const { return data_; }
    // The colour a line of this quality (0 worst … 1 best; < 0 none) is drawn in.
    static QColor lineColor(double quality);
    // Where a line crosses each axis, in widget coordinates (NaN positions are skipped).
    QList<QPointF> linePoints(const ParallelLine& line) const;
    QSize sizeHint() const override { return {560, 300}; }
    QSize minimumSizeHint() const override { return {240, 180}; }

signals:
    void childClicked(const QString& runId);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRectF plotRect() const;
    double axisX(int axis) const;
    ParallelData data_;
};

} // namespace lb::ui
