#pragma once
// config.json of a workspace: what it holds, how it is validated, how it is written.

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace lb {

// The parsed content of a workspace's config.json.
struct WorkspaceConfig {
    static constexpr int kSchemaVersion = 1;

    QString name;
    QString id;               // a UUID, stable for the life of the workspace
    QDateTime created;        // UTC
    int schemaVersion = kSchemaVersion;
    QString defaultComputeTarget = QStringLiteral("local");
    QStringList dataFolders;  // extra data folders shown in the workbench (absolute or relative)

    // A new config with a fresh id and the current time.
    static WorkspaceConfig makeNew(const QString& name);

    // Parses and validates config.json text. Every problem (syntax error, missing key, unknown
    // key, wrong type, bad value) throws lb::Error naming `fileName`, the line and column, and
    // the fix.
    static WorkspaceConfig parse(const QByteArray& text, const QString& fileName);
    static WorkspaceConfig load(const QString& path);

    QByteArray toJson() const;
    void save(const QString& path) const;
};

// A workspace name: 1–64 characters of letters, digits, '-', '_', '.', space; not blank.
bool isValidWorkspaceName(const QString& name);

} // namespace lb
