#include "core/compute/TargetSettings.h"

#include "core/compute/LocalTarget.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/SshTarget.h"

#include <QDir>
#include <QRegularExpression>

namespace lb {

namespace {

const QStringList kSshFields = {QStringLiteral("host"),        QStringLiteral("port"),
                                QStringLiteral("user"),        QStringLiteral("identity"),
                                QStringLiteral("known-hosts"), QStringLiteral("host-key-policy"),
                                QStringLiteral("remote-dir")};

// Reads the text fields of one draft, collecting a problem per field that does not parse.
class FieldReader {
public:
    FieldReader(const TargetFields& fields, FieldProblems& problems)
        : fields_(fields)
        , problems_(problems) {}

    QString text(const char* field) const {
        return fields_.value(QString::fromLatin1(field)).trimmed();
    }

    // An integer field; `fallback` when empty, a problem (and `fallback`) when not a number.
    int number(const char* field, int fallback, const QString& what) {
        const QString t = text(field);
        if (t.isEmpty()) return fallback;
        bool ok = false;
        const int n = t.toInt(&ok);
        if (!ok) {
            problems_.append({QString::fromLatin1(field),
                              QStringLiteral("'%1' is not a whole number; give %2.").arg(t, what)});
            return fallback;
        }
        return n;
    }

    // A local file path, made absolute so the target keeps working from any folder.
    QString file(const char* field) const {
        const QString t = text(field);
        return t.isEmpty() ? t : QDir::cleanPath(QDir(t).absolutePath());
    }

    SshEndpoint endpoint() {
        SshEndpoint e;
        e.host = text("host");
        e.port = number("port", 22, QStringLiteral("the port sshd listens on (1-65535)"));
        e.user = text("user");
        e.identity = file("identity");
        e.knownHosts = file("known-hosts");
        const QString policy = text("host-key-policy");
        e.hostKeyPolicy = policy.isEmpty() ? QStringLiteral("strict") : policy;
        return e;
    }

private:
    const TargetFields& fields_;
    FieldProblems& problems_;
};

// The problems of `more` whose field has no problem yet (a field shows one reason at a time).
void addNew(FieldProblems& problems, const FieldProblems& more) {
    for (const FieldProblem& p : more) {
        bool seen = false;
        for (const FieldProblem& q : problems)
            seen = seen || q.field == p.field;
        if (!seen) problems.append(p);
    }
}

} // namespace

QStringList targetFieldNames(const QString& kind) {
    const QString name = QStringLiteral("name");
    const QString python = QStringLiteral("python");
    if (kind == QLatin1String("local"))
        return {name, QStringLiteral("gpus"), QStringLiteral("max-concurrent"), python};
    if (kind == QLatin1String("ssh")) return QStringList{name} + kSshFields + QStringList{python};
    if (kind == QLatin1String("slurm"))
        return QStringList{name} + kSshFields +
               QStringList{QStringLiteral("partition"), QStringLiteral("account"),
                           QStringLiteral("time-limit"), QStringLiteral("gpus-per-node"), python};
    return {};
}

QString TargetDraft::problemFor(const QString& field) const {
    for (const FieldProblem& p : problems)
        if (p.field == field) return p.message;
    return {};
}

std::optional<FieldProblem> computeTargetNameProblem(const QString& name) {
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    if (valid.match(name).hasMatch()) return std::nullopt;
    if (name.isEmpty())
        return FieldProblem{
            QStringLiteral("name"),
            QStringLiteral("A compute target needs a name: 1-64 letters, digits, '-', "
                           "'_' or '.', starting with a letter or digit.")};
    return FieldProblem{QStringLiteral("name"),
                        QStringLiteral("'%1' is not a valid compute target name: use 1-64 letters, "
                                       "digits, '-', '_' or '.', starting with a letter or digit.")
                            .arg(name)};
}

void checkComputeTargetName(const QString& name) {
    if (const auto p = computeTargetNameProblem(name)) throw UsageError(p->message);
}

TargetDraft draftComputeTarget(const QString& kind, const TargetFields& fields,
                               const QStringList& takenNames) {
    TargetDraft d;
    FieldReader read(fields, d.problems);
    const QString name = read.text("name");
    if (const auto p = computeTargetNameProblem(name))
        d.problems.append(*p);
    else if (takenNames.contains(name))
        d.problems.append(
            {QStringLiteral("name"),
             QStringLiteral("A compute target named '%1' already exists; choose another "
                            "name.")
                 .arg(name)});
    const QString python = read.text("python");
    if (kind == QLatin1String("local")) {
        LocalTargetConfig c;
        try {
            c.gpus = parseGpuList(read.text("gpus"));
        } catch (const Error& e) {
            d.problems.append({QStringLiteral("gpus"), e.message()});
        }
        c.maxConcurrentRuns =
            read.number("max-concurrent", c.gpus.isEmpty() ? 1 : int(c.gpus.size()),
                        QStringLiteral("the number of runs at a time (1-10000)"));
        c.python = python;
        addNew(d.problems, c.problems());
        d.record = {name, kind, fromStd(c.toJson().dump()), {}};
    } else if (kind == QLatin1String("ssh")) {
        SshTargetConfig c;
        c.endpoint = read.endpoint();
        c.remoteDir = read.text("remote-dir");
        c.python = python;
        addNew(d.problems, c.problems());
        d.record = {name, kind, fromStd(c.toJson().dump()), {}};
    } else if (kind == QLatin1String("slurm")) {
        SlurmTargetConfig c;
        c.endpoint = read.endpoint();
        c.remoteDir = read.text("remote-dir");
        c.python = python;
        c.partition = read.text("partition");
        c.account = read.text("account");
        c.timeLimitMinutes =
            read.number("time-limit", 0, QStringLiteral("the time limit in minutes"));
        c.gpusPerNode = read.number("gpus-per-node", 1, QStringLiteral("the GPUs per node"));
        addNew(d.problems, c.problems());
        d.record = {name, kind, fromStd(c.toJson().dump()), {}};
    } else {
        d.problems.append(
            {QStringLiteral("kind"),
             QStringLiteral("'%1' is not a compute target kind; use local, ssh or slurm.")
                 .arg(kind)});
    }
    return d;
}

TargetFields targetFields(const ComputeTargetRecord& record) {
    TargetFields f;
    f.insert(QStringLiteral("name"), record.name);
    auto endpoint = [&f](const SshEndpoint& e) {
        f.insert(QStringLiteral("host"), e.host);
        f.insert(QStringLiteral("port"), QString::number(e.port));
        f.insert(QStringLiteral("user"), e.user);
        f.insert(QStringLiteral("identity"), e.identity);
        f.insert(QStringLiteral("known-hosts"), e.knownHosts);
        f.insert(QStringLiteral("host-key-policy"), e.hostKeyPolicy);
    };
    if (record.kind == QLatin1String("local")) {
        const LocalTargetConfig c = LocalTargetConfig::parse(record.config, record.name);
        QStringList gpus;
        for (int g : c.gpus)
            gpus.append(QString::number(g));
        f.insert(QStringLiteral("gpus"), gpus.join(QLatin1Char(',')));
        f.insert(QStringLiteral("max-concurrent"), QString::number(c.maxConcurrentRuns));
        f.insert(QStringLiteral("python"), c.python);
    } else if (record.kind == QLatin1String("ssh")) {
        const SshTargetConfig c = SshTargetConfig::parse(record.config, record.name);
        endpoint(c.endpoint);
        f.insert(QStringLiteral("remote-dir"), c.remoteDir);
        f.insert(QStringLiteral("python"), c.python);
    } else if (record.kind == QLatin1String("slurm")) {
        const SlurmTargetConfig c = SlurmTargetConfig::parse(record.config, record.name);
        endpoint(c.endpoint);
        if (c.endpoint.isLocal()) f.insert(QStringLiteral("port"), QString());
        f.insert(QStringLiteral("remote-dir"), c.remoteDir);
        f.insert(QStringLiteral("partition"), c.partition);
        f.insert(QStringLiteral("account"), c.account);
        f.insert(QStringLiteral("time-limit"), QString::number(c.timeLimitMinutes));
        f.insert(QStringLiteral("gpus-per-node"), QString::number(c.gpusPerNode));
        f.insert(QStringLiteral("python"), c.python);
    }
    return f;
}

} // namespace lb
