#pragma once
// Calling an endpoint over HTTP from Labbench itself (`labbench endpoints invoke`, later the
// workbench's test panel), on the same cpp-httplib as the server.

#include "core/store/EndpointRepository.h"

#include <QByteArray>
#include <QString>

namespace lb {

struct EndpointResponse {
    int status = 0; // the HTTP status; 0 when no answer came
    QByteArray body;
    QString error; // why no answer came (connection refused, time-out)
};

// POSTs `body` to the endpoint's /score with `key` as bearer (none when empty).
EndpointResponse invokeEndpoint(const EndpointRecord& endpoint, const QString& key,
                                const QByteArray& body,
                                const QString& contentType = QStringLiteral("application/json"),
                                int timeoutSeconds = 120);

// GETs a path ("/health", "/metrics") of the endpoint.
EndpointResponse getFromEndpoint(const EndpointRecord& endpoint, const QString& key,
                                 const QString& path, int timeoutSeconds = 10);

} // namespace lb
