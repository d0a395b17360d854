#include "core/remote/SshEndpoint.h"

#include "core/util/Error.h"

#include <QFileInfo>

namespace lb {

QString SshEndpoint::destination() const {
    return user.isEmpty() ? host : user + QLatin1Char('@') + host;
}

QString SshEndpoint::display() const {
    return QStringLiteral("%1:%2").arg(destination()).arg(port);
}

FieldProblems SshEndpoint::problems() const {
    FieldProblems out;
    if (isLocal())
        return out;
    auto add = [&](const char* field, const QString& message) {
        out.append({QString::fromLatin1(field), message});
    };
    if (host.startsWith(QLatin1Char('-')) || host.contains(QLatin1Char(' ')) || host.contains(QLatin1Char('@')))
        add("host", QStringLiteral("'%1' is not a host name; give a name or address like "
                                   "login.example.org (and the user separately).")
                        .arg(host));
    if (user.startsWith(QLatin1Char('-')) || user.contains(QLatin1Char('@')) || user.contains(QLatin1Char(' ')))
        add("user", QStringLiteral("'%1' is not a user name; give the remote account's name (--user).")
                        .arg(user));
    if (port < 1 || port > 65535)
        add("port", QStringLiteral("The port %1 is outside 1-65535; give the port sshd listens on "
                                   "(--port).")
                        .arg(port));
    if (hostKeyPolicy != QLatin1String("strict") && hostKeyPolicy != QLatin1String("accept-new"))
        add("host-key-policy", QStringLiteral("The host-key policy '%1' is unknown; use strict or accept-new.")
                                   .arg(hostKeyPolicy));
    if (!identity.isEmpty() && !QFileInfo(identity).isFile())
        add("identity", QStringLiteral("The key file %1 does not exist; give the private key file (--identity).")
                            .arg(identity));
    if (!knownHosts.isEmpty() && hostKeyPolicy == QLatin1String("strict") && !QFileInfo(knownHosts).isFile())
        add("known-hosts", QStringLiteral("The known_hosts file %1 does not exist; create it (ssh-keyscan) "
                                          "or use the host-key policy accept-new.")
                               .arg(knownHosts));
    return out;
}

Json SshEndpoint::toJson() const {
    Json j;
    j["host"] = toStd(host);
    j["port"] = port;
    j["user"] = toStd(user);
    j["identity"] = toStd(identity);
    j["known_hosts"] = toStd(knownHosts);
    j["host_key_policy"] = toStd(hostKeyPolicy);
    return j;
}

SshEndpoint SshEndpoint::fromJson(const Json& j) {
    SshEndpoint e;
    if (!j.is_object())
        return e;
    e.host = fromStd(j.value("host", std::string()));
    e.port = j.value("port", 22);
    e.user = fromStd(j.value("user", std::string()));
    e.identity = fromStd(j.value("identity", std::string()));
    e.knownHosts = fromStd(j.value("known_hosts", std::string()));
    e.hostKeyPolicy = fromStd(j.value("host_key_policy", std::string("strict")));
    return e;
}

} // namespace lb
