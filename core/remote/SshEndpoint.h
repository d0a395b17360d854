#pragma once
// Where and how to reach a remote machine over SSH: host, port, user, key, known_hosts and the
// host-key policy. Keys only; no password is ever asked for or stored.

#include "core/util/FieldProblem.h"
#include "core/util/Json.h"

#include <QString>

namespace lb {

struct SshEndpoint {
    QString host;            // empty: no SSH (the commands run on this machine)
    int port = 22;
    QString user;            // empty: ssh's default (the local user name / ~/.ssh/config)
    QString identity;        // private key file; empty: ssh's defaults
    QString knownHosts;      // known_hosts file; empty: ~/.ssh/known_hosts
    QString hostKeyPolicy = QStringLiteral("strict"); // strict | accept-new

    bool isLocal() const { return host.isEmpty(); }
    // "user@host" or "host".
    QString destination() const;
    // "user@host:port" for messages.
    QString display() const;

    // Each wrong field with its reason (fields "host", "user", "port", "host-key-policy",
    // "identity", "known-hosts"): a host starting with '-' (it would read as an ssh option), a
    // port outside 1-65535, an unknown policy, a missing key or known_hosts file.
    FieldProblems problems() const;
    // Throws lb::UsageError with the first of problems().
    void validate() const { throwFirstProblem(problems()); }

    // The "ssh" object of a target's settings; fromJson ignores a missing object (local).
    Json toJson() const;
    static SshEndpoint fromJson(const Json& json);
};

} // namespace lb
