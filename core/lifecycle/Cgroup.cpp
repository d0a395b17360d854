#include "core/lifecycle/Cgroup.h"

#include "core/util/SafeFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

QByteArray readSmall(const QString& path) {
    try {
        return readFileWithLimit(path, 1 << 20);
    } catch (const Error&) {
        return {};
    }
}

bool writeSmall(const QString& path, const QByteArray& text) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, text.constData(), static_cast<size_t>(text.size())) == text.size();
    ::close(fd);
    return ok;
}

// mountinfo writes spaces and other odd bytes of a path as \ooo.
QString unescapeMountPath(const QByteArray& field) {
    QByteArray out;
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            out.append(char(field.mid(i + 1, 3).toInt(nullptr, 8)));
            i += 3;
        } else {
            out.append(field[i]);
        }
    }
    return QFile::decodeName(out);
}

struct Mount {
    QString root;  // the folder of the hierarchy mounted there ("/" unless in a namespace)
    QString point; // where it is mounted: /sys/fs/cgroup or /sys/fs/cgroup/unified
};

// The cgroup v2 mount, from /proc/self/mountinfo: "ID PARENT M:N ROOT POINT OPTS... - TYPE ...".
std::optional<Mount> cgroup2Mount() {
    for (const QByteArray& line : readSmall(QStringLiteral("/proc/self/mountinfo")).split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        const qsizetype dash = fields.indexOf("-");
        if (fields.size() < 5 || dash < 0 || dash + 1 >= fields.size() ||
            fields[dash + 1] != "cgroup2")
            continue;
        return Mount{unescapeMountPath(fields[3]), unescapeMountPath(fields[4])};
    }
    return std::nullopt;
}

} // namespace

QString Cgroup::ownPath() {
    const std::optional<Mount> mount = cgroup2Mount();
    if (!mount) return {};
    // The v2 line of /proc/self/cgroup is "0::/PATH".
    for (const QByteArray& line : readSmall(QStringLiteral("/proc/self/cgroup")).split('\n')) {
        if (!line.startsWith("0::")) continue;
        QString path = QFile::decodeName(line.mid(3));
        if (mount->root != QLatin1String("/") && path.startsWith(mount->root))
            path = path.mid(mount->root.size());
        return QDir::cleanPath(mount->point + QLatin1Char('/') + path);
    }
    return {};
}

std::optional<Cgroup> Cgroup::createBelowOwn(const QString& name, QString* why) {
    const QString own = ownPath();
    if (own.isEmpty()) {
        if (why) *why = QStringLiteral("this machine has no cgroup v2 hierarchy mounted");
        return std::nullopt;
    }
    const QString path = own + QLatin1Char('/') + name;
    if (::mkdir(QFile::encodeName(path).constData(), 0755) != 0) {
        if (why)
            *why = QStringLiteral("cannot create %1 (%2)")
                       .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    return Cgroup(path);
}

std::optional<Cgroup> Cgroup::at(const QString& path) {
    const std::optional<Mount> mount = cgroup2Mount();
    const QString clean = QDir::cleanPath(path);
    if (!mount || !clean.startsWith(mount->point + QLatin1Char('/')) ||
        !QFileInfo::exists(clean + QStringLiteral("/cgroup.procs")))
        return std::nullopt;
    return Cgroup(clean);
}

bool Cgroup::moveInto(const QString& path, pid_t pid) {
    return writeSmall(path + QStringLiteral("/cgroup.procs"), QByteArray::number(pid));
}

QList<pid_t> Cgroup::processes() const {
    QList<pid_t> pids;
    for (const QByteArray& line : readSmall(path_ + QStringLiteral("/cgroup.procs")).split('\n'))
        if (const pid_t pid = line.trimmed().toInt(); pid > 0) pids.append(pid);
    return pids;
}

bool Cgroup::populated() const {
    // "populated 1" while any process is in it or below; without the file, ask cgroup.procs.
    const QByteArray events = readSmall(path_ + QStringLiteral("/cgroup.events"));
    if (events.isEmpty()) return !processes().isEmpty();
    return events.contains("populated 1");
}

void Cgroup::signalAll(int signal) const {
    for (const pid_t pid : processes())
        ::kill(pid, signal);
}

void Cgroup::killAll() const {
    if (writeSmall(path_ + QStringLiteral("/cgroup.kill"), "1")) return;
    // Before cgroup.kill: one by one, again while a fork races the kill (bounded).
    for (int round = 0; round < 100; ++round) {
        const QList<pid_t> pids = processes();
        if (pids.isEmpty()) return;
        for (const pid_t pid : pids)
            ::kill(pid, SIGKILL);
    }
}

bool Cgroup::remove() const {
    return ::rmdir(QFile::encodeName(path_).constData()) == 0 || errno == ENOENT;
}

} // namespace lb
