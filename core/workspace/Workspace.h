#pragma once
// A workspace: a folder with config.json, the SQLite store and the runs and models it holds.
//
//   <root>/config.json     name, id, created, schema version, default compute target, data folders
//   <root>/labbench.db     the store (WAL mode; several processes share it)
//   <root>/runs/<run-id>/  one folder per run (see DESIGN.md)
//   <root>/models/         registered model files
//   <root>/environments/   cached Python environments

#include "core/store/Store.h"
#include "core/workspace/WorkspaceConfig.h"

#include <memory>

namespace lb {

class Workspace {
public:
    // Creates a new workspace in `dir` (created if needed). Refuses a folder that already holds
    // a workspace. Every workspace starts with the compute target "local".
    static Workspace create(const QString& dir, const QString& name);
    // Opens the workspace whose root is `dir` (or `dir`/.labbench). Throws lb::Error naming the
    // file and the fix when it is missing, unreadable or invalid.
    static Workspace open(const QString& dir);

    const QString& root() const { return root_; }
    const WorkspaceConfig& config() const { return config_; }
    QString configPath() const { return root_ + QStringLiteral("/config.json"); }
    QString storePath() const { return root_ + QStringLiteral("/labbench.db"); }
    QString runsDir() const { return root_ + QStringLiteral("/runs"); }
    QString modelsDir() const { return root_ + QStringLiteral("/models"); }
    QString environmentsDir() const { return root_ + QStringLiteral("/environments"); }
    Store& store() { return *store_; }

    // The folder that holds a workspace's config.json inside `dir`, or empty when none does.
    static QString rootIn(const QString& dir);

    // Adds the compute target "local" to the store of the workspace at `root` when it has none:
    // with the settings of its mirror file (compute-targets/local.json) if there is one, else
    // this machine's defaults.
    static void ensureLocalTarget(const QString& root, Store& store);

private:
    Workspace(QString root, WorkspaceConfig config);
    QString root_;
    WorkspaceConfig config_;
    std::shared_ptr<Store> store_;
};

} // namespace lb
