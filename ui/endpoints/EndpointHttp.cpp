#include "ui/endpoints/EndpointHttp.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <memory>

namespace lb::ui {

namespace {

QNetworkRequest requestFor(const QString& url, const QString& key, int timeoutMs) {
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(timeoutMs);
    if (!key.isEmpty()) request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    return request;
}

} // namespace

EndpointHttp::EndpointHttp(QObject* parent)
    : QObject(parent) {
    manager_ = new QNetworkAccessManager(this);
    // An http_proxy meant for the internet must not see requests to this machine's endpoints.
    manager_->setProxy(QNetworkProxy::NoProxy);
}

void EndpointHttp::post(const QString& url, const QString& key, const QByteArray& body,
                        QObject* context, Done done, int timeoutMs) {
    QNetworkRequest request = requestFor(url, key, timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QElapsedTimer clock;
    clock.start();
    watch(manager_->post(request, body), clock, context, std::move(done));
}

void EndpointHttp::get(const QString& url, const QString& key, QObject* context, Done done,
                       int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    watch(manager_->get(requestFor(url, key, timeoutMs)), clock, context, std::move(done));
}

void EndpointHttp::watch(QNetworkReply* reply, QElapsedTimer clock, QObject* context, Done done) {
    ++pending_;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, clock, guard = QPointer<QObject>(context), done = std::move(done)] {
                --pending_;
                reply->deleteLater();
                if (!guard) return; // the panel that asked is gone
                HttpAnswer a;
                a.ms = double(clock.nsecsElapsed()) / 1e6;
                a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                a.body = reply->readAll();
                // An HTTP error status (400, 500) is an answer, not a failure to get one.
                if (a.status == 0)
                    a.error = reply->error() == QNetworkReply::OperationCanceledError
                                  ? tr("No answer from %1 in time.").arg(reply->url().toString())
                                  : tr("No answer from %1: %2.")
                                        .arg(reply->url().toString(), reply->errorString());
                done(a);
            });
}

} // namespace lb::ui
