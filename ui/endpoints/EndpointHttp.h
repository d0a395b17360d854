#pragma once
// Requests from the workbench to an endpoint (its /score, /metrics, /swagger.json) without
// blocking the UI thread: Qt's asynchronous QNetworkAccessManager, with no proxy (endpoints are
// on this machine or a host the user named) and a time limit per request.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>

class QElapsedTimer;
class QNetworkAccessManager;
class QNetworkReply;

namespace lb::ui {

struct HttpAnswer {
    int status = 0; // the HTTP status; 0 when no answer came
    QByteArray body;
    QString error; // why no answer came (refused, timed out), one sentence
    double ms = 0; // from sending to the whole answer
};

class EndpointHttp : public QObject {
    Q_OBJECT
public:
    explicit EndpointHttp(QObject* parent = nullptr);

    using Done = std::function<void(const HttpAnswer&)>;
    // POSTs `body` as JSON to `url` with `key` as bearer (none when empty); `done` runs on the
    // UI thread, unless `context` (or this object) is gone by then.
    void post(const QString& url, const QString& key, const QByteArray& body, QObject* context,
              Done done, int timeoutMs = 120000);
    void get(const QString& url, const QString& key, QObject* context, Done done,
             int timeoutMs = 10000);
    // Requests sent whose answer has not come (tests wait for zero).
    int pending() const { return pending_; }

private:
    void watch(QNetworkReply* reply, QElapsedTimer clock, QObject* context, Done done);
    QNetworkAccessManager* manager_ = nullptr;
    int pending_ = 0;
};

} // namespace lb::ui
