#include "core/store/Store.h"

#include "core/store/Migrations.h"

namespace lb {

Store::Store(const QString& path) : db_(path) { migrate(db_); }

std::int64_t Store::dataVersion() {
    Statement s(db_, "PRAGMA data_version");
    s.step();
    return s.int64(0);
}

} // namespace lb
