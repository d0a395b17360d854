#pragma once
// The labbench command line: commands declare their options; one parser checks them and
// prints help. Every command gets --help; list/show commands add --json themselves.

#include <QHash>
#include <QSet>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>
#include <optional>

namespace lb {
class Workspace;
}

namespace lb::cli {

struct OptionSpec {
    QString name;          // long name without dashes: "workspace"
    QString shortName;     // one letter or empty
    QString valueName;     // empty for a flag; "DIR" for an option taking a value
    QString help;
    bool repeatable = false; // --pip A --pip B
};

struct PositionalSpec {
    QString name;
    QString help;
    bool optional = false;
    bool repeatable = false; // the last positional only: RUN… takes one or more
};

class Invocation;

struct CommandSpec {
    QStringList path; // {"workspace", "init"}
    QString summary;
    QList<OptionSpec> options;
    QList<PositionalSpec> positionals;
    bool acceptsScriptArgs = false; // everything after "--" is kept verbatim
    std::function<int(Invocation&)> run;
};

// What one call of a command received, plus the streams and the workspace it works on.
class Invocation {
public:
    Invocation(QTextStream& out, QTextStream& err) : out(out), err(err) {}

    bool flag(const QString& name) const { return flags_.contains(name); }
    std::optional<QString> value(const QString& name) const;
    QString valueOr(const QString& name, const QString& fallback) const;
    QStringList values(const QString& name) const { return values_.value(name); }
    QString positional(int index) const { return positionals_.value(index); }
    int positionalCount() const { return static_cast<int>(positionals_.size()); }
    const QStringList& scriptArgs() const { return scriptArgs_; }
    // An integer option; throws UsageError naming the option when it is not one.
    std::optional<long long> intValue(const QString& name) const;

    // The workspace this command works on (--workspace, LABBENCH_WORKSPACE, config.json
    // discovery, else the user's default workspace), opened on first use.
    Workspace& workspace();
    std::optional<QString> workspaceOption() const { return workspaceOption_; }

    QTextStream& out;
    QTextStream& err;

private:
    friend class CommandLine;
    QHash<QString, QStringList> values_;
    QSet<QString> flags_;
    QStringList positionals_;
    QStringList scriptArgs_;
    std::optional<QString> workspaceOption_;
    std::shared_ptr<Workspace> workspace_;
};

class CommandLine {
public:
    CommandLine();
    void add(CommandSpec spec);
    // Parses argv (without the program name) and runs the command. Returns the exit code:
    // 0 ok, 1 failure, 2 usage error. Errors go to `err` as one sentence.
    int run(const QStringList& args, QTextStream& out, QTextStream& err);
    // True when `args` name a subcommand (so the program should stay headless).
    bool namesCommand(const QStringList& args) const;

private:
    const CommandSpec* find(const QStringList& words, int* consumed) const;
    void printOverview(QTextStream& out) const;
    void printHelp(const CommandSpec& spec, QTextStream& out) const;
    QList<CommandSpec> commands_;
};

// Registers every command group (one function per file: workspace, experiments, …).
void registerAllCommands(CommandLine& cli);
void registerWorkspaceCommands(CommandLine& cli);
void registerWorkspaceRepairCommand(CommandLine& cli); // WorkspaceRepairCommand.cpp
void registerExperimentCommands(CommandLine& cli);
void registerRunCommands(CommandLine& cli);
void registerComputeCommands(CommandLine& cli);
void registerRemoteCommands(CommandLine& cli);
void registerEnvironmentCommands(CommandLine& cli);
void registerDatastoreCommands(CommandLine& cli);
void registerModelCommands(CommandLine& cli);
void registerSweepCommands(CommandLine& cli);
void registerSdkCommands(CommandLine& cli);
void registerEndpointCommands(CommandLine& cli); // EndpointCommands.cpp

// The one option every list/show command takes.
OptionSpec jsonOption();

} // namespace lb::cli
