#include "app/cli/CommandLine.h"

#include "core/Version.h"
#include "core/util/Error.h"
#include "core/workspace/WorkspaceDiscovery.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

std::optional<QString> Invocation::value(const QString& name) const {
    const auto it = values_.find(name);
    if (it == values_.end() || it->isEmpty())
        return std::nullopt;
    return it->last();
}

QString Invocation::valueOr(const QString& name, const QString& fallback) const {
    return value(name).value_or(fallback);
}

std::optional<long long> Invocation::intValue(const QString& name) const {
    const auto text = value(name);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const long long v = text->toLongLong(&ok);
    if (!ok)
        throw UsageError(QStringLiteral("--%1 needs a whole number, not '%2'.").arg(name, *text));
    return v;
}

Workspace& Invocation::workspace() {
    if (!workspace_)
        workspace_ = std::make_shared<Workspace>(discoverWorkspace(workspaceOption_));
    return *workspace_;
}

OptionSpec jsonOption() {
    return {QStringLiteral("json"), {}, {}, QStringLiteral("print JSON with stable field names")};
}

CommandLine::CommandLine() = default;

void CommandLine::add(CommandSpec spec) {
    spec.options.append({QStringLiteral("help"), QStringLiteral("h"), {}, QStringLiteral("show this help")});
    commands_.append(std::move(spec));
}

const CommandSpec* CommandLine::find(const QStringList& words, int* consumed) const {
    const CommandSpec* best = nullptr;
    for (const auto& c : commands_) {
        if (c.path.size() <= words.size() && words.mid(0, c.path.size()) == c.path &&
            (!best || c.path.size() > best->path.size()))
            best = &c;
    }
    if (best)
        *consumed = static_cast<int>(best->path.size());
    return best;
}

bool CommandLine::namesCommand(const QStringList& args) const {
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a == QLatin1String("--workspace")) {
            ++i;
            continue;
        }
        if (a.startsWith(QLatin1Char('-')))
            return a == QLatin1String("--version") || a == QLatin1String("--help") ||
                   a == QLatin1String("-h");
        for (const auto& c : commands_)
            if (c.path.first() == a)
                return true;
        return false;
    }
    return false;
}

void CommandLine::printOverview(QTextStream& out) const {
    out << "Usage: labbench [--workspace DIR] COMMAND [OPTIONS]\n"
           "       labbench [--workspace DIR] [SCRIPT.py | ESTIMATOR.json]   (the desktop workbench)\n\n"
           "Commands:\n";
    for (const auto& c : commands_)
        out << "  " << c.path.join(QLatin1Char(' ')).leftJustified(24) << ' ' << c.summary << '\n';
    out << "\nGlobal options:\n"
           "  --workspace DIR          the workspace folder (else $LABBENCH_WORKSPACE, else a\n"
           "                           config.json here or in a parent, else the default workspace)\n"
           "  --version                print the version\n"
           "  -h, --help               show help; 'labbench COMMAND --help' for one command\n";
}

void CommandLine::printHelp(const CommandSpec& spec, QTextStream& out) const {
    out << "Usage: labbench " << spec.path.join(QLatin1Char(' '));
    for (const auto& p : spec.positionals)
        out << ' ' << (p.optional ? "[" + p.name + "]" : p.name) << (p.repeatable ? "…" : "");
    if (!spec.options.isEmpty())
        out << " [OPTIONS]";
    if (spec.acceptsScriptArgs)
        out << " [-- SCRIPT_ARGS...]";
    out << "\n\n" << spec.summary << "\n";
    if (!spec.positionals.isEmpty()) {
        out << "\nArguments:\n";
        for (const auto& p : spec.positionals)
            out << "  " << p.name.leftJustified(24) << ' ' << p.help << '\n';
    }
    out << "\nOptions:\n";
    for (const auto& o : spec.options) {
        QString left = (o.shortName.isEmpty() ? QStringLiteral("    ") : "-" + o.shortName + ", ") +
                       "--" + o.name + (o.valueName.isEmpty() ? QString() : " " + o.valueName);
        out << "  " << left.leftJustified(24) << ' ' << o.help
            << (o.repeatable ? " (repeatable)" : "") << '\n';
    }
    out << "  " << QStringLiteral("    --workspace DIR").leftJustified(24) << " the workspace folder\n";
}

int CommandLine::run(const QStringList& args, QTextStream& out, QTextStream& err) {
    Invocation inv(out, err);
    QStringList rest;
    bool wantHelp = false;
    try {
        // Global options may come before the command words.
        int i = 0;
        for (; i < args.size(); ++i) {
            const QString& a = args[i];
            if (a == QLatin1String("--version")) {
                out << "labbench " << LABBENCH_VERSION << '\n';
                return 0;
            } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
                wantHelp = true;
            } else if (a == QLatin1String("--workspace")) {
                if (i + 1 >= args.size())
                    throw UsageError(QStringLiteral("--workspace needs a folder."));
                inv.workspaceOption_ = args[++i];
            } else if (a.startsWith(QLatin1String("--workspace="))) {
                inv.workspaceOption_ = a.mid(12);
            } else {
                break;
            }
        }
        rest = args.mid(i);
        int consumed = 0;
        const CommandSpec* spec = find(rest, &consumed);
        if (!spec) {
            if (rest.isEmpty() || wantHelp) {
                printOverview(wantHelp ? out : err);
                return wantHelp ? 0 : 2;
            }
            throw UsageError(QStringLiteral("'%1' is not a labbench command; run 'labbench --help' "
                                            "for the list.")
                                 .arg(rest.join(QLatin1Char(' '))));
        }
        rest = rest.mid(consumed);
        for (int k = 0; k < rest.size(); ++k) {
            const QString& a = rest[k];
            if (a == QLatin1String("--")) {
                if (!spec->acceptsScriptArgs)
                    throw UsageError(QStringLiteral("'labbench %1' takes no script arguments after --.")
                                         .arg(spec->path.join(QLatin1Char(' '))));
                inv.scriptArgs_ = rest.mid(k + 1);
                break;
            }
            if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
                QString name = a.startsWith(QLatin1String("--")) ? a.mid(2) : a.mid(1);
                std::optional<QString> inlineValue;
                if (const qsizetype eq = name.indexOf(QLatin1Char('=')); eq >= 0) {
                    inlineValue = name.mid(eq + 1);
                    name = name.left(eq);
                }
                if (name == QLatin1String("workspace")) {
                    if (!inlineValue && k + 1 >= rest.size())
                        throw UsageError(QStringLiteral("--workspace needs a folder."));
                    inv.workspaceOption_ = inlineValue ? *inlineValue : rest[++k];
                    continue;
                }
                const OptionSpec* opt = nullptr;
                for (const auto& o : spec->options)
                    if (o.name == name || (!a.startsWith(QLatin1String("--")) && o.shortName == name))
                        opt = &o;
                if (!opt)
                    throw UsageError(QStringLiteral("'labbench %1' has no option %2; see 'labbench %1 --help'.")
                                         .arg(spec->path.join(QLatin1Char(' ')), a));
                if (opt->valueName.isEmpty()) {
                    if (inlineValue)
                        throw UsageError(QStringLiteral("--%1 takes no value.").arg(opt->name));
                    inv.flags_.insert(opt->name);
                } else {
                    if (!inlineValue && k + 1 >= rest.size())
                        throw UsageError(QStringLiteral("--%1 needs a value (%2).").arg(opt->name, opt->valueName));
                    const QString v = inlineValue ? *inlineValue : rest[++k];
                    if (!opt->repeatable && inv.values_.contains(opt->name))
                        throw UsageError(QStringLiteral("--%1 is given twice.").arg(opt->name));
                    inv.values_[opt->name].append(v);
                }
                continue;
            }
            inv.positionals_.append(a);
        }
        if (wantHelp || inv.flag(QStringLiteral("help"))) {
            printHelp(*spec, out);
            return 0;
        }
        int required = 0;
        for (const auto& p : spec->positionals)
            required += p.optional ? 0 : 1;
        if (inv.positionals_.size() < required)
            throw UsageError(QStringLiteral("'labbench %1' needs %2; see 'labbench %1 --help'.")
                                 .arg(spec->path.join(QLatin1Char(' ')),
                                      spec->positionals[inv.positionals_.size()].name));
        const bool variadic = !spec->positionals.isEmpty() && spec->positionals.last().repeatable;
        if (!variadic && inv.positionals_.size() > spec->positionals.size())
            throw UsageError(QStringLiteral("Unexpected argument '%1' for 'labbench %2'.")
                                 .arg(inv.positionals_[spec->positionals.size()],
                                      spec->path.join(QLatin1Char(' '))));
        return spec->run(inv);
    } catch (const UsageError& e) {
        err << "labbench: " << e.message() << '\n';
        return 2;
    } catch (const Error& e) {
        err << "labbench: " << e.message() << '\n';
        return 1;
    } catch (const std::exception& e) {
        err << "labbench: internal error: " << e.what() << '\n';
        return 1;
    }
}

void registerAllCommands(CommandLine& cli) {
    registerWorkspaceCommands(cli);
    registerExperimentCommands(cli);
    registerRunCommands(cli);
    registerComputeCommands(cli);
    registerRemoteCommands(cli);
    registerEnvironmentCommands(cli);
    registerDatastoreCommands(cli);
    registerModelCommands(cli);
    registerSweepCommands(cli);
    registerSdkCommands(cli);
    registerEndpointCommands(cli);
}

} // namespace lb::cli
