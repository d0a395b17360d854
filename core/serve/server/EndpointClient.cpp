#include "core/serve/server/EndpointClient.h"

#include <httplib.h>

namespace lb {

namespace {

// The address to connect to: a server bound to every address is reached on loopback.
std::string connectHost(const QString& host) {
    if (host == QLatin1String("0.0.0.0") || host.isEmpty()) return "127.0.0.1";
    if (host == QLatin1String("::")) return "::1";
    return host.toStdString();
}

httplib::Headers headersFor(const QString& key) {
    httplib::Headers h;
    if (!key.isEmpty()) h.emplace("Authorization", "Bearer " + key.toStdString());
    return h;
}

EndpointResponse fromResult(const httplib::Result& r, const EndpointRecord& e) {
    EndpointResponse out;
    if (!r) {
        out.error = QStringLiteral("No answer from %1:%2 (%3); see 'labbench endpoints show %4'.")
                        .arg(e.host)
                        .arg(e.port)
                        .arg(QString::fromStdString(httplib::to_string(r.error())), e.name);
        return out;
    }
    out.status = r->status;
    out.body = QByteArray::fromStdString(r->body);
    return out;
}

} // namespace

EndpointResponse invokeEndpoint(const EndpointRecord& e, const QString& key, const QByteArray& body,
                                const QString& contentType, int timeoutSeconds) {
    httplib::Client client(connectHost(e.host), e.port);
    client.set_read_timeout(timeoutSeconds, 0);
    client.set_write_timeout(timeoutSeconds, 0);
    return fromResult(client.Post("/score", headersFor(key), body.constData(),
                                  static_cast<size_t>(body.size()), contentType.toStdString()),
                      e);
}

EndpointResponse getFromEndpoint(const EndpointRecord& e, const QString& key, const QString& path,
                                 int timeoutSeconds) {
    httplib::Client client(connectHost(e.host), e.port);
    client.set_read_timeout(timeoutSeconds, 0);
    return fromResult(client.Get(path.toStdString(), headersFor(key)), e);
}

} // namespace lb
