// labbench runs rename | note | tag | untag | archive | restore | delete: what the user says
// about runs and clean-up (issue 17). Each change goes to the store and to the run's run.json, so
// `workspace repair` brings it back.
#include "app/cli/RunCommands.h"

#include "core/lifecycle/RunFinish.h"
#include "core/runs/RunControl.h"
#include "core/runs/RunDelete.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace lb::cli {

namespace {

constexpr qsizetype kMaxNameChars = 200;
constexpr qsizetype kMaxNoteBytes = 1 << 20;

void validateTagKey(const QString& key) {
    if (key.isEmpty() || key.size() > 200 || key.contains(QLatin1Char('\n')))
        throw UsageError(QStringLiteral("A tag key is 1 to 200 characters on one line, not '%1'.").arg(key));
}

int rename(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = findRun(ws, inv.positional(0));
    const QString name = inv.positional(1).trimmed();
    if (name.size() > kMaxNameChars || name.contains(QLatin1Char('\n')))
        throw UsageError(QStringLiteral("A run name is one line of at most %1 characters.").arg(kMaxNameChars));
    ws.store().runs().setName(run.id, name);
    writeRunJson(ws.store(), run.id);
    inv.out << run.id << ' ' << (name.isEmpty() ? QStringLiteral("(name cleared)") : name) << '\n';
    return 0;
}

// The note from the argument, or from standard input when it is "-".
QString noteText(Invocation& inv) {
    const QString arg = inv.positional(1);
    if (arg != QLatin1String("-"))
        return arg;
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the note from standard input."));
    const QByteArray bytes = in.read(kMaxNoteBytes + 1);
    if (bytes.size() > kMaxNoteBytes)
        throw UsageError(QStringLiteral("The note is over 1 MiB; keep long documents in the run's outputs."));
    return QString::fromUtf8(bytes);
}

int note(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = findRun(ws, inv.positional(0));
    if (inv.positionalCount() < 2) { // no text: print the note
        inv.out << ws.store().runs().note(run.id);
        return 0;
    }
    const QString text = noteText(inv);
    if (text.toUtf8().size() > kMaxNoteBytes)
        throw UsageError(QStringLiteral("The note is over 1 MiB; keep long documents in the run's outputs."));
    ws.store().runs().setNote(run.id, text);
    writeRunJson(ws.store(), run.id);
    inv.out << run.id << (text.isEmpty() ? " note cleared\n" : " note saved\n");
    return 0;
}

int tag(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = findRun(ws, inv.positional(0));
    QList<QPair<QString, QString>> tags;
    for (int i = 1; i < inv.positionalCount(); ++i) {
        const QString kv = inv.positional(i);
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw UsageError(QStringLiteral("A tag is KEY=VALUE, not '%1'.").arg(kv));
        validateTagKey(kv.left(eq));
        tags.append({kv.left(eq), kv.mid(eq + 1)});
    }
    for (const auto& [key, value] : tags)
        ws.store().runs().setTag(run.id, key, value);
    writeRunJson(ws.store(), run.id);
    for (const auto& [key, value] : tags)
        inv.out << run.id << ' ' << key << '=' << value << '\n';
    return 0;
}

int untag(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = findRun(ws, inv.positional(0));
    const QString key = inv.positional(1);
    if (!ws.store().runs().removeTag(run.id, key))
        throw NotFoundError(QStringLiteral("Run %1 has no tag '%2'.").arg(run.id, key));
    writeRunJson(ws.store(), run.id);
    inv.out << run.id << " untagged " << key << '\n';
    return 0;
}

int setArchived(Invocation& inv, bool archived) {
    Workspace& ws = inv.workspace();
    QList<RunRecord> runs; // every id first: a typo archives nothing
    for (int i = 0; i < inv.positionalCount(); ++i)
        runs << findRun(ws, inv.positional(i));
    for (const RunRecord& run : runs) {
        ws.store().runs().setArchived(run.id, archived);
        writeRunJson(ws.store(), run.id);
        inv.out << run.id << (archived ? " archived\n" : " restored\n");
    }
    return 0;
}

QString humanBytes(qint64 bytes) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(v, 0, 'f', u == 0 ? 0 : 1).arg(QLatin1String(units[u]));
}

int deleteCommand(Invocation& inv) {
    Workspace& ws = inv.workspace();
    QStringList ids;
    for (int i = 0; i < inv.positionalCount(); ++i)
        ids << inv.positional(i);
    const DeletePlan plan = planDelete(ws, ids, inv.flag(QStringLiteral("force")));
    if (!plan.refusals.isEmpty()) {
        for (const QString& why : plan.refusals)
            inv.err << "labbench: " << why << '\n';
        inv.err << "labbench: nothing was deleted.\n";
        return 1;
    }
    const QString what = QStringLiteral("%1 run%2 (%3 on disk)")
                             .arg(plan.runs.size())
                             .arg(plan.runs.size() == 1 ? "" : "s")
                             .arg(humanBytes(plan.bytes));
    if (!inv.flag(QStringLiteral("yes"))) {
        if (!::isatty(STDIN_FILENO)) {
            inv.err << "labbench: deleting " << what << " needs confirmation; no terminal can give it, so add --yes.\n";
            return 1;
        }
        inv.err << "Delete " << what << " and their files? [y/N] ";
        inv.err.flush();
        char answer[16] = {0};
        if (!std::fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            inv.err << "Nothing was deleted.\n";
            return 1;
        }
    }
    const int removed = deleteRuns(ws, plan);
    inv.out << "Deleted " << removed << " run" << (removed == 1 ? "" : "s") << ", freed " << humanBytes(plan.bytes) << '\n';
    return 0;
}

PositionalSpec runArg() { return {QStringLiteral("RUN"), QStringLiteral("a run id (or a unique prefix of one)")}; }
PositionalSpec runsArg() {
    return {QStringLiteral("RUN"), QStringLiteral("run ids (or unique prefixes)"), false, true};
}

} // namespace

void registerRunEditCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("runs"), QStringLiteral("rename")},
             QStringLiteral("Give a run a display name (an empty name clears it)."),
             {},
             {runArg(), {QStringLiteral("NAME"), QStringLiteral("the new name")}},
             false,
             rename});
    cli.add({{QStringLiteral("runs"), QStringLiteral("note")},
             QStringLiteral("Set a run's note (Markdown; '-' reads it from standard input), or print it."),
             {},
             {runArg(), {QStringLiteral("TEXT"), QStringLiteral("the note, or - for standard input"), true}},
             false,
             note});
    cli.add({{QStringLiteral("runs"), QStringLiteral("tag")},
             QStringLiteral("Set tags on a run."),
             {},
             {runArg(), {QStringLiteral("KEY=VALUE"), QStringLiteral("a tag (several may follow)"), false, true}},
             false,
             tag});
    cli.add({{QStringLiteral("runs"), QStringLiteral("untag")},
             QStringLiteral("Remove a tag from a run."),
             {},
             {runArg(), {QStringLiteral("KEY"), QStringLiteral("the tag's key")}},
             false,
             untag});
    cli.add({{QStringLiteral("runs"), QStringLiteral("archive")},
             QStringLiteral("Hide runs from lists (their files are kept; 'runs restore' shows them again)."),
             {},
             {runsArg()},
             false,
             [](Invocation& inv) { return setArchived(inv, true); }});
    cli.add({{QStringLiteral("runs"), QStringLiteral("delete")},
             QStringLiteral("Delete runs: their records and folders (a sweep takes its runs with it)."),
             {{QStringLiteral("force"), {}, {}, QStringLiteral("also delete runs whose outputs back a registered model")},
              {QStringLiteral("yes"), {}, {}, QStringLiteral("do not ask (needed without a terminal)")}},
             {runsArg()},
             false,
             deleteCommand});
    cli.add({{QStringLiteral("runs"), QStringLiteral("restore")},
             QStringLiteral("Show archived runs in lists again."),
             {},
             {runsArg()},
             false,
             [](Invocation& inv) { return setArchived(inv, false); }});
}

} // namespace lb::cli
