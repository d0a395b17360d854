#pragma once
// "compute_aliases" in a workspace's config.json: Azure ML compute names mapped to Labbench
// compute targets, {"gpu-cluster": "hpc"}, for the SDK surface (issue 24). WorkspaceConfig::parse
// validates the key with the rest of the file; it is read and written here, in place, so that
// every other key of config.json stays exactly as it was.

#include <QMap>
#include <QString>

namespace lb {

// The aliases of the config.json at `configPath` (empty when it has none). Throws lb::Error
// naming the file when it cannot be read or the key is malformed.
QMap<QString, QString> loadComputeAliases(const QString& configPath);

// Sets alias `name` -> `target` in that config.json (written atomically, other keys kept).
void saveComputeAlias(const QString& configPath, const QString& name, const QString& target);

} // namespace lb
