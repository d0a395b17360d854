#pragma once
// Values a run logged once (Azure's run.log("Batch size", 128)) as a table at the top of the
// Metrics tab: name, value, and the step and time they were logged (#23 item 5). A chart of one
// point says nothing; a metric moves from here to a chart when its second point arrives.

#include <QTableWidget>

namespace lb {
struct MetricBuffers;
}

namespace lb::ui {

class OnceLoggedTable : public QTableWidget {
    Q_OBJECT
public:
    // `runLabels` name the runs in a Run column when there are several (compare).
    OnceLoggedTable(const QStringList& runIds, const QStringList& runLabels,
                    QWidget* parent = nullptr);

    // Shows every (run, metric) of `names` that holds exactly one point. Lock buffers.mutex.
    void showFrom(const MetricBuffers& buffers, const QStringList& names);
    // The metric names shown (tests).
    QStringList metricNames() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

private:
    QStringList runIds_, runLabels_;
};

} // namespace lb::ui
