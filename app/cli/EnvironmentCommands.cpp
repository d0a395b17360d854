// labbench env list | remove: the workspace's cache of run environments (environments/).
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"
#include "core/environment/EnvironmentCache.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

namespace {

QString humanSize(qint64 bytes) {
    if (bytes < 1024 * 1024) return QStringLiteral("%1 KB").arg((bytes + 1023) / 1024);
    return QStringLiteral("%1 MB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

QStringList jsonStrings(const Json& list) {
    QStringList out;
    if (list.is_array())
        for (const auto& s : list)
            out.append(fromStd(s.get<std::string>()));
    return out;
}

int list(Invocation& inv) {
    EnvironmentCache cache(inv.workspace().environmentsDir());
    const auto envs = cache.list();
    if (inv.flag(QStringLiteral("json"))) {
        Json out = Json::array();
        for (const auto& e : envs) {
            Json j;
            j["hash"] = toStd(e.hash);
            j["kind"] = e.spec.value("kind", std::string());
            j["python"] = e.spec.value("python", std::string());
            j["pip_packages"] = e.spec.value("pip_packages", Json::array());
            j["conda_packages"] = e.spec.value("conda_packages", Json::array());
            j["path"] = toStd(e.dir);
            j["size"] = e.bytes;
            j["created"] = toStd(isoTime(e.created));
            j["last_used"] = toStd(isoTime(e.lastUsed));
            j["build_seconds"] = e.buildSeconds;
            out.push_back(j);
        }
        printJson(inv.out, out);
        return 0;
    }
    if (envs.isEmpty()) {
        inv.out << "No cached environments in " << cache.dir() << ".\n";
        return 0;
    }
    inv.out << QStringLiteral("HASH").leftJustified(18) << QStringLiteral("KIND").leftJustified(7)
            << QStringLiteral("SIZE").leftJustified(10)
            << QStringLiteral("LAST USED").leftJustified(26) << "PACKAGES\n";
    for (const auto& e : envs) {
        QStringList packages = jsonStrings(e.spec.value("pip_packages", Json::array()));
        for (const QString& c : jsonStrings(e.spec.value("conda_packages", Json::array())))
            packages.append(QStringLiteral("conda:") + c);
        inv.out << e.hash.leftJustified(18)
                << fromStd(e.spec.value("kind", std::string())).leftJustified(7)
                << humanSize(e.bytes).leftJustified(10) << isoTime(e.lastUsed).leftJustified(26)
                << packages.join(QLatin1Char(' ')) << '\n';
    }
    return 0;
}

int remove(Invocation& inv) {
    const bool all = inv.flag(QStringLiteral("all"));
    const QString hash = inv.positional(0);
    if (all == !hash.isEmpty())
        throw UsageError(QStringLiteral("'labbench env remove' needs either a HASH or --all."));
    EnvironmentCache cache(inv.workspace().environmentsDir());
    if (all) {
        const int removed = cache.removeAll();
        inv.out << "Removed " << removed << (removed == 1 ? " environment.\n" : " environments.\n");
    } else {
        inv.out << "Removed environment " << cache.remove(hash) << ".\n";
    }
    return 0;
}

} // namespace

void registerEnvironmentCommands(CommandLine& cli) {
    cli.add(
        {{QStringLiteral("env"), QStringLiteral("list")},
         QStringLiteral("List the cached run environments (one per interpreter and package list)."),
         {jsonOption()},
         {},
         false,
         list});
    cli.add(
        {{QStringLiteral("env"), QStringLiteral("remove")},
         QStringLiteral(
             "Remove a cached environment (a later run rebuilds it); runs using it must be over."),
         {{QStringLiteral("all"),
           {},
           {},
           QStringLiteral("remove every environment not being built")}},
         {{QStringLiteral("HASH"),
           QStringLiteral("the environment's hash or a unique prefix of it"), true}},
         false,
         remove});
}

} // namespace lb::cli
