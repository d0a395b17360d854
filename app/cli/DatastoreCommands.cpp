// labbench datastore add | list | remove: named data folders that script arguments refer to as
// datastore://NAME/sub/path.
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"
#include "core/datastore/Datastores.h"
#include "core/store/Store.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QFileInfo>

namespace lb::cli {

namespace {

int add(Invocation& inv) {
    const DatastoreRecord d =
        addDatastore(inv.workspace().store(), inv.positional(0), inv.positional(1));
    inv.out << "Added datastore '" << d.name << "' for " << d.path << "; scripts get it as "
            << kDatastoreScheme << d.name << "/\n";
    return 0;
}

int list(Invocation& inv) {
    const auto stores = inv.workspace().store().datastores().list();
    if (inv.flag(QStringLiteral("json"))) {
        Json out = Json::array();
        for (const auto& d : stores) {
            Json j;
            j["name"] = toStd(d.name);
            j["kind"] = toStd(d.kind);
            j["path"] = toStd(d.path);
            j["uri"] = toStd(kDatastoreScheme + d.name + QLatin1Char('/'));
            j["exists"] = QFileInfo(d.path).isDir();
            j["created"] = toStd(isoTime(d.created));
            out.push_back(j);
        }
        printJson(inv.out, out);
        return 0;
    }
    if (stores.isEmpty()) {
        inv.out << "No datastores; add one with 'labbench datastore add NAME DIR'.\n";
        return 0;
    }
    inv.out << QStringLiteral("NAME").leftJustified(20) << QStringLiteral("KIND").leftJustified(8)
            << "PATH\n";
    for (const auto& d : stores)
        inv.out << d.name.leftJustified(20) << d.kind.leftJustified(8) << d.path
                << (QFileInfo(d.path).isDir() ? "" : "  (missing)") << '\n';
    return 0;
}

int remove(Invocation& inv) {
    removeDatastore(inv.workspace().store(), inv.positional(0));
    inv.out << "Removed datastore '" << inv.positional(0) << "' (its files are untouched)\n";
    return 0;
}

} // namespace

void registerDatastoreCommands(CommandLine& cli) {
    cli.add(
        {{QStringLiteral("datastore"), QStringLiteral("add")},
         QStringLiteral(
             "Name a data folder; script arguments datastore://NAME/sub/path then resolve to it."),
         {},
         {{QStringLiteral("NAME"),
           QStringLiteral("the datastore's name (letters, digits, '_', '-')")},
          {QStringLiteral("DIR"),
           QStringLiteral("the folder that holds the data (used in place, never copied)")}},
         false,
         add});
    cli.add({{QStringLiteral("datastore"), QStringLiteral("list")},
             QStringLiteral("List the workspace's datastores."),
             {jsonOption()},
             {},
             false,
             list});
    cli.add({{QStringLiteral("datastore"), QStringLiteral("remove")},
             QStringLiteral("Forget a datastore (its folder and files are left alone)."),
             {},
             {{QStringLiteral("NAME"), QStringLiteral("the datastore")}},
             false,
             remove});
}

} // namespace lb::cli
