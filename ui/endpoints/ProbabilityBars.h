#pragma once
// An image classifier's answer as bars: one per class (0–9 for MNIST) as tall as its
// probability, the most likely one in the accent colour with its value written above.

#include <QVector>
#include <QWidget>

namespace lb::ui {

class ProbabilityBars : public QWidget {
    Q_OBJECT
    // Read by tests and the state hook.
    Q_PROPERTY(QVector<double> probabilities READ probabilities)
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);

    // Shows these probabilities (index = class); empty shows the axis only.
    void setProbabilities(const QVector<double>& probabilities);
    const QVector<double>& probabilities() const { return probabilities_; }
    // The class with the highest probability, -1 when none is shown.
    int predicted() const;

    QSize sizeHint() const override { return {280, 160}; }
    QSize minimumSizeHint() const override { return {160, 100}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVector<double> probabilities_;
};

} // namespace lb::ui
