#pragma once
// Datastores on remote targets: a script argument `datastore://NAME/sub/path` (or
// KEY=datastore://…) makes NAME's folder available on the target before the run starts — rsynced
// into DIR/.labbench/datastores/NAME, which later runs reuse (rsync sends only what changed,
// nothing when nothing did) — and becomes the path there. On a target that is this machine
// (Slurm without a host) the folder is used in place, as on `local`.

#include "core/compute/ssh/RemoteLayout.h"

#include <QStringList>

namespace lb {

class RemoteShell;
class Store;

// The arguments with every datastore URI replaced by its path on the target, after syncing what
// they name. Throws lb::Error as resolveDatastoreUri does (unknown name, '..', escapes) or when
// the copy fails.
QStringList stageRemoteDatastores(const QStringList& scriptParams, Store& store, RemoteShell& shell,
                                  const RemoteLayout& layout);

} // namespace lb
