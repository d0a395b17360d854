#pragma once
// Finding the workspace a command works on, like Azure ML's Workspace.from_config().

#include "core/workspace/Workspace.h"

#include <optional>

namespace lb {

// In order: `explicitDir` (--workspace), else $LABBENCH_WORKSPACE, else a workspace
// config.json (or .labbench/config.json) in `startDir` (default: the current folder) or any
// parent, else the user's default workspace (created on first use).
Workspace discoverWorkspace(const std::optional<QString>& explicitDir, const QString& startDir = {});

// The folder discovery would use, without opening it; empty means "the default workspace".
QString findWorkspaceRoot(const QString& startDir);

// The folder discoverWorkspace would open, found the same way, without opening its store or
// creating the default workspace (`workspace repair` works on a workspace whose store is gone).
QString discoverWorkspaceDir(const std::optional<QString>& explicitDir, const QString& startDir = {});

// $XDG_DATA_HOME/labbench/default (or ~/.local/share/labbench/default).
QString defaultWorkspaceDir();

} // namespace lb
