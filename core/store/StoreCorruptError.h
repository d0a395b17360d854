#pragma once
// SQLite found the store damaged (SQLITE_CORRUPT, SQLITE_NOTADB). Unlike a busy store or an
// unreadable run folder, waiting does not help: loops that retry other failures (waiting for a
// run, reconciling runs) let this one through, so the user reads what is wrong at once instead of
// a run that stays Finalizing for ever.

#include "core/util/Error.h"

namespace lb {

class StoreCorruptError : public Error {
public:
    using Error::Error;
};

} // namespace lb
