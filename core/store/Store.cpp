#include "core/store/Store.h"

#include "core/store/Migrations.h"

#include <QFile>

#include <sys/stat.h>

namespace lb {

namespace {
bool statFile(const QString& path, std::uint64_t* device, std::uint64_t* inode) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    *device = static_cast<std::uint64_t>(st.st_dev);
    *inode = static_cast<std::uint64_t>(st.st_ino);
    return true;
}
} // namespace

Store::Store(const QString& path, bool createIfMissing) : db_(path, createIfMissing) {
    migrate(db_);
    statFile(path, &device_, &inode_);
}

std::int64_t Store::dataVersion() {
    Statement s(db_, "PRAGMA data_version");
    s.step();
    return s.int64(0);
}

bool Store::holdsRunsOrModels() {
    Statement s(db_, "SELECT EXISTS(SELECT 1 FROM experiments) OR EXISTS(SELECT 1 FROM model_versions)");
    s.step();
    return s.int64(0) != 0;
}

bool Store::isReplacedOnDisk() const {
    std::uint64_t device = 0, inode = 0;
    if (!statFile(db_.path(), &device, &inode))
        return true;
    return device != device_ || inode != inode_;
}

} // namespace lb
