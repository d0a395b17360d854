#pragma once
// An endpoint's folder in the workspace, endpoints/<name>/:
//
//   endpoint.json   the record's mirror (core/workspace/mirror/EndpointFile.h)
//   serve.log       the server's log: its notes, the workers' output, run() tracebacks
//   serve.lock      flock-held by the labbench-serve process that looks after the endpoint
//   key             the bearer key, mode 0600
//   limits.json     the request and run() time limits (core/store/EndpointLimits.h)
//   source/         a copy of the score.py folder taken at deploy time
//   model-dir/      AZUREML_MODEL_DIR when the endpoint serves several models: <name>/<version>

#include <QString>

namespace lb {

struct EndpointFolder {
    QString dir; // <root>/endpoints/<name>

    EndpointFolder(const QString& workspaceRoot, const QString& name);

    QString logPath() const { return dir + QStringLiteral("/serve.log"); }
    QString lockPath() const { return dir + QStringLiteral("/serve.lock"); }
    QString keyPath() const { return dir + QStringLiteral("/key"); }
    QString limitsPath() const { return dir + QStringLiteral("/limits.json"); }
    QString sourceDir() const { return dir + QStringLiteral("/source"); }
    QString modelDir() const { return dir + QStringLiteral("/model-dir"); }
};

// Endpoint names become folder names and URLs: letters, digits, '.', '_' and '-', starting with
// a letter or digit, at most 64 characters. Throws lb::UsageError naming the rule otherwise.
void validateEndpointName(const QString& name);

} // namespace lb
