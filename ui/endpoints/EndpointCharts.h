#pragma once
// Live request-rate and latency charts of one endpoint, reusing the run dashboards' MetricChart
// over the core's MetricBuffers. Once a second it scrapes the endpoint's GET /metrics
// asynchronously (never blocking the window), turns two scrapes into rates (core/live/
// EndpointRates) and appends them; redraws are coalesced on a short timer, as
// MetricChartsPanel does, and happen only when the buffers changed.

#include "core/live/EndpointRates.h"

#include <QTimer>
#include <QWidget>
#include <memory>
#include <optional>

class QLabel;

namespace lb {
struct MetricBuffers;
}

namespace lb::ui {

class EndpointHttp;
class MetricChart;

class EndpointCharts : public QWidget {
    Q_OBJECT
public:
    EndpointCharts(EndpointHttp* http, QWidget* parent = nullptr);
    ~EndpointCharts() override;

    // Follows `baseUrl` (http://host:port) with `key`; a new endpoint starts empty charts.
    // Polling runs only while `up` (a stopped endpoint has nothing to scrape).
    void setEndpoint(const QString& name, const QString& baseUrl, const QString& key, bool up);
    void setPollInterval(int ms) { poll_.setInterval(ms); }

    MetricChart* rateChart() const { return rate_; }
    MetricChart* latencyChart() const { return latency_; }
    // Scrapes answered so far (tests).
    int scrapes() const { return scrapes_; }

private:
    void scrape();
    void onScrape(const QByteArray& text);
    void append(const QString& series, const QString& metric, double value, double time);
    QString name_;
    QString url_;
    QString key_;
    EndpointHttp* http_ = nullptr;
    std::shared_ptr<MetricBuffers> buffers_;
    MetricChart* rate_ = nullptr;
    MetricChart* latency_ = nullptr;
    QLabel* summary_ = nullptr;
    QTimer poll_;
    QTimer redraw_;
    bool inFlight_ = false;
    int scrapes_ = 0;
    std::int64_t step_ = 0;
    std::optional<ScoreCounters> last_;
    qint64 lastMs_ = 0;
};

} // namespace lb::ui
