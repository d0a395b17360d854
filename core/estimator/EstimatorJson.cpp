// Estimator <-> JSON: strict parsing with messages that name the field and the fix.

#include "core/estimator/Estimator.h"

#include "core/estimator/SecretVariables.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <climits>

namespace lb {

namespace {

// Reads fields out of the JSON object, failing with "ORIGIN[:LINE:COL]: problem fix".
struct Reader {
    const Json& doc;
    const QString& origin;
    const QByteArray* text; // the file's text when parsing a file, for line:column

    [[noreturn]] void fail(const std::string& key, const QString& problem, const QString& fix) const {
        QString where = origin;
        if (const auto pos = text ? positionOfKey(*text, key) : std::nullopt)
            where += QStringLiteral(":%1:%2").arg(pos->line).arg(pos->column);
        throw Error(QStringLiteral("%1: %2 %3").arg(where, problem, fix));
    }

    [[noreturn]] void wrongType(const std::string& key, const Json& v, const char* expected,
                                const QString& example) const {
        fail(key,
             QStringLiteral("\"%1\" must be %2, not %3.")
                 .arg(fromStd(key), QString::fromLatin1(expected), QString::fromLatin1(jsonTypeName(v))),
             QStringLiteral("Write it like %1.").arg(example));
    }

    bool has(const char* key) const { return doc.contains(key); }

    // A string, or {"b64": …} for bytes that are not UTF-8 (paths, arguments: JsonValues.h).
    QString string(const char* key, const char* example) const {
        const Json& v = doc[key];
        const auto text = stringFromJson(v);
        if (!text)
            wrongType(key, v, "a string", QString::fromUtf8(example));
        return *text;
    }

    bool boolean(const char* key) const {
        const Json& v = doc[key];
        if (!v.is_boolean())
            wrongType(key, v, "true or false", QStringLiteral("\"%1\": true").arg(QLatin1String(key)));
        return v.get<bool>();
    }

    int integer(const char* key, const char* example) const {
        const Json& v = doc[key];
        if (!v.is_number_integer())
            wrongType(key, v, "a whole number", QString::fromUtf8(example));
        const auto n = v.get<long long>();
        if (n < INT_MIN || n > INT_MAX)
            fail(key, QStringLiteral("\"%1\" is out of range.").arg(QLatin1String(key)),
                 QStringLiteral("Write it like %1.").arg(QString::fromUtf8(example)));
        return static_cast<int>(n);
    }

    QStringList stringList(const char* key, const char* example) const {
        const Json& v = doc[key];
        if (!v.is_array())
            wrongType(key, v, "a list of strings", QString::fromUtf8(example));
        QStringList out;
        for (const Json& item : v) {
            const auto text = stringFromJson(item);
            if (!text)
                wrongType(key, item, "a list of strings", QString::fromUtf8(example));
            out.append(*text);
        }
        return out;
    }

    // A string or a number, as the text a program would see ("0.01", "32").
    static std::optional<QString> scalarText(const Json& v) {
        if (const auto text = stringFromJson(v))
            return text;
        if (v.is_number())
            return fromStd(v.dump()); // shortest round-trip form: 0.01 -> "0.01", 1.0 -> "1.0"
        return std::nullopt;
    }

    QMap<QString, QString> stringMap(const char* key, const char* example) const {
        const Json& v = doc[key];
        if (!v.is_object())
            wrongType(key, v, "an object of names to strings", QString::fromUtf8(example));
        QMap<QString, QString> out;
        for (const auto& [name, value] : v.items()) {
            const auto text = scalarText(value);
            if (!text)
                fail(key,
                     QStringLiteral("\"%1\" entry \"%2\" must be a string or a number, not %3.")
                         .arg(QLatin1String(key), fromStd(name), QString::fromLatin1(jsonTypeName(value))),
                     QStringLiteral("Write it like %1.").arg(QString::fromUtf8(example)));
            out.insert(fromStd(name), *text);
        }
        return out;
    }

    // script_params: a list of words, or Azure ML's dict form {"--lr": 0.01, "--flag": ""}.
    QStringList scriptParams() const {
        static const char* example = "\"script_params\": [\"--lr\", \"0.01\", \"--epochs\", \"5\"]";
        const Json& v = doc["script_params"];
        QStringList out;
        if (v.is_array()) {
            for (const Json& item : v) {
                const auto text = scalarText(item);
                if (!text)
                    wrongType("script_params", item, "a list of strings or numbers",
                              QString::fromLatin1(example));
                out.append(*text);
            }
            return out;
        }
        if (!v.is_object())
            wrongType("script_params", v, "a list of arguments (or an object of option: value)",
                      QString::fromLatin1(example));
        for (const auto& [flag, value] : v.items()) {
            const QString name = fromStd(flag);
            if (value.is_null() || (value.is_boolean() && value.get<bool>()) ||
                (value.is_string() && value.get<std::string>().empty())) {
                out.append(name); // a bare flag
            } else if (value.is_boolean()) {
                // false: the flag is simply not given (argparse store_true semantics)
            } else if (value.is_array()) {
                out.append(name);
                for (const Json& item : value) {
                    const auto text = scalarText(item);
                    if (!text)
                        fail("script_params",
                             QStringLiteral("\"script_params\" option \"%1\" has a list holding "
                                            "%2; only strings and numbers can be arguments.")
                                 .arg(name, QString::fromLatin1(jsonTypeName(item))),
                             QStringLiteral("Write it like \"%1\": [1, 2].").arg(name));
                    out.append(*text);
                }
            } else if (const auto text = scalarText(value)) {
                out.append(name);
                out.append(*text);
            } else {
                fail("script_params",
                     QStringLiteral("\"script_params\" option \"%1\" is %2, which is not an "
                                    "argument value.")
                         .arg(name, QString::fromLatin1(jsonTypeName(value))),
                     QStringLiteral("Give a string, a number, true for a bare flag, or a list."));
            }
        }
        return out;
    }
};

const std::vector<std::string>& knownKeys() {
    static const std::vector<std::string> keys = {
        "source_directory", "entry_script",  "script_params",       "compute_target",
        "framework",        "pip_packages",  "conda_packages",      "custom_docker_image",
        "use_gpu",          "node_count",    "process_count_per_node", "distributed_backend",
        "worker_count",     "parameter_server_count", "environment_variables",
        "max_run_duration_seconds", "tags",  "python",              "experiment",
        "secret_environment_variables", "public_environment_variables",
        "slurm_time",       "slurm_mem",     "slurm_gres",          "slurm_max_requeues"};
    return keys;
}

Estimator parse(const Json& doc, const QString& origin, const QByteArray* text) {
    if (!doc.is_object())
        throw Error(QStringLiteral("%1: an estimator must be a JSON object like {\"source_directory\": "
                                   "\".\", \"entry_script\": \"train.py\"}, not %2.")
                        .arg(origin, QString::fromLatin1(jsonTypeName(doc))));
    const Reader r{doc, origin, text};
    for (const auto& [key, value] : doc.items()) {
        const auto& keys = knownKeys();
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            QStringList names;
            for (const auto& k : keys)
                names.append(fromStd(k));
            r.fail(key, QStringLiteral("unknown estimator field \"%1\".").arg(fromStd(key)),
                   QStringLiteral("Remove it or fix its spelling; the fields are: %1.")
                       .arg(names.join(QStringLiteral(", "))));
        }
    }

    Estimator e;
    e.origin = origin;
    if (r.has("source_directory"))
        e.sourceDirectory = r.string("source_directory", "\"source_directory\": \"./src\"");
    if (r.has("entry_script"))
        e.entryScript = r.string("entry_script", "\"entry_script\": \"train.py\"");
    if (r.has("script_params"))
        e.scriptParams = r.scriptParams();
    if (r.has("compute_target"))
        e.computeTarget = r.string("compute_target", "\"compute_target\": \"local\"");
    if (r.has("framework"))
        e.framework = r.string("framework", "\"framework\": \"pytorch\"");
    if (r.has("pip_packages"))
        e.pipPackages = r.stringList("pip_packages", "\"pip_packages\": [\"numpy\", \"torch==2.1\"]");
    if (r.has("conda_packages"))
        e.condaPackages = r.stringList("conda_packages", "\"conda_packages\": [\"scikit-learn\"]");
    if (r.has("custom_docker_image"))
        e.customDockerImage =
            r.string("custom_docker_image", "\"custom_docker_image\": \"pytorch/pytorch:latest\"");
    if (r.has("use_gpu"))
        e.useGpu = r.boolean("use_gpu");
    if (r.has("node_count"))
        e.nodeCount = r.integer("node_count", "\"node_count\": 2");
    if (r.has("process_count_per_node"))
        e.processCountPerNode = r.integer("process_count_per_node", "\"process_count_per_node\": 4");
    if (r.has("distributed_backend"))
        e.distributedBackend = r.string("distributed_backend", "\"distributed_backend\": \"mpi\"");
    if (r.has("worker_count"))
        e.workerCount = r.integer("worker_count", "\"worker_count\": 2");
    if (r.has("parameter_server_count"))
        e.parameterServerCount = r.integer("parameter_server_count", "\"parameter_server_count\": 1");
    if (r.has("environment_variables"))
        e.environmentVariables = r.stringMap("environment_variables",
                                             "\"environment_variables\": {\"OMP_NUM_THREADS\": \"2\"}");
    if (r.has("secret_environment_variables"))
        e.secretVariables = r.stringList("secret_environment_variables",
                                         "\"secret_environment_variables\": [\"HF_TOKEN\"]");
    if (r.has("public_environment_variables"))
        e.publicVariables = r.stringList("public_environment_variables",
                                         "\"public_environment_variables\": [\"KEYBOARD\"]");
    if (r.has("max_run_duration_seconds") && !doc["max_run_duration_seconds"].is_null())
        e.maxRunDurationSeconds =
            r.integer("max_run_duration_seconds", "\"max_run_duration_seconds\": 3600");
    if (r.has("tags"))
        e.tags = r.stringMap("tags", "\"tags\": {\"team\": \"vision\"}");
    if (r.has("python"))
        e.python = r.string("python", "\"python\": \"/usr/bin/python3\"");
    if (r.has("experiment"))
        e.experiment = r.string("experiment", "\"experiment\": \"mnist\"");
    if (r.has("slurm_time"))
        e.slurmTime = r.string("slurm_time", "\"slurm_time\": \"2:00:00\"");
    if (r.has("slurm_mem"))
        e.slurmMem = r.string("slurm_mem", "\"slurm_mem\": \"4G\"");
    if (r.has("slurm_gres"))
        e.slurmGres = r.string("slurm_gres", "\"slurm_gres\": \"gpu:2\"");
    if (r.has("slurm_max_requeues") && !doc["slurm_max_requeues"].is_null())
        e.slurmMaxRequeues = r.integer("slurm_max_requeues", "\"slurm_max_requeues\": 3");
    return e;
}

Json mapToJson(const QMap<QString, QString>& map) {
    Json out = Json::object();
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out[toStd(it.key())] = jsonString(it.value());
    return out;
}


} // namespace

Estimator Estimator::fromJson(const Json& json, const QString& origin) {
    return parse(json, origin, nullptr);
}

Estimator Estimator::load(const QString& path) {
    const QByteArray text = readWholeFile(path);
    Estimator e = parse(parseJson(text, path), path, &text);
    if (!e.sourceDirectory.isEmpty() && QDir::isRelativePath(e.sourceDirectory))
        e.sourceDirectory = QDir::cleanPath(QFileInfo(path).absoluteDir().filePath(e.sourceDirectory));
    return e;
}

bool Estimator::isSecretVariable(const QString& name) const {
    return secretVariables.contains(name) || (looksSecret(name) && !publicVariables.contains(name));
}

Json Estimator::toJson(SecretValues secrets) const {
    Json doc = Json::object();
    doc["source_directory"] = jsonString(sourceDirectory);
    doc["entry_script"] = jsonString(entryScript);
    doc["script_params"] = jsonStringList(scriptParams);
    doc["compute_target"] = toStd(computeTarget);
    doc["framework"] = toStd(framework);
    doc["pip_packages"] = jsonStringList(pipPackages);
    doc["conda_packages"] = jsonStringList(condaPackages);
    doc["custom_docker_image"] = toStd(customDockerImage);
    doc["use_gpu"] = useGpu;
    doc["node_count"] = nodeCount;
    doc["process_count_per_node"] = processCountPerNode;
    doc["distributed_backend"] = toStd(distributedBackend);
    doc["worker_count"] = workerCount;
    doc["parameter_server_count"] = parameterServerCount;
    QMap<QString, QString> environment = environmentVariables;
    if (secrets == SecretValues::Masked)
        for (auto it = environment.begin(); it != environment.end(); ++it)
            if (isSecretVariable(it.key()))
                it.value() = kMaskedSecret;
    doc["environment_variables"] = mapToJson(environment);
    doc["secret_environment_variables"] = jsonStringList(secretVariables);
    doc["public_environment_variables"] = jsonStringList(publicVariables);
    doc["max_run_duration_seconds"] =
        maxRunDurationSeconds ? Json(*maxRunDurationSeconds) : Json(nullptr);
    doc["tags"] = mapToJson(tags);
    doc["python"] = jsonString(python);
    doc["experiment"] = toStd(experiment);
    // Written only when set, so that estimators without them read as before.
    if (!slurmTime.isEmpty())
        doc["slurm_time"] = toStd(slurmTime);
    if (!slurmMem.isEmpty())
        doc["slurm_mem"] = toStd(slurmMem);
    if (!slurmGres.isEmpty())
        doc["slurm_gres"] = toStd(slurmGres);
    if (slurmMaxRequeues)
        doc["slurm_max_requeues"] = *slurmMaxRequeues;
    return doc;
}

bool Estimator::operator==(const Estimator& o) const {
    return sourceDirectory == o.sourceDirectory && entryScript == o.entryScript &&
           scriptParams == o.scriptParams && computeTarget == o.computeTarget &&
           framework == o.framework && pipPackages == o.pipPackages &&
           condaPackages == o.condaPackages && customDockerImage == o.customDockerImage &&
           useGpu == o.useGpu && nodeCount == o.nodeCount &&
           processCountPerNode == o.processCountPerNode &&
           distributedBackend == o.distributedBackend && workerCount == o.workerCount &&
           parameterServerCount == o.parameterServerCount &&
           environmentVariables == o.environmentVariables &&
           secretVariables == o.secretVariables && publicVariables == o.publicVariables &&
           maxRunDurationSeconds == o.maxRunDurationSeconds && tags == o.tags &&
           python == o.python && experiment == o.experiment && slurmTime == o.slurmTime &&
           slurmMem == o.slurmMem && slurmGres == o.slurmGres &&
           slurmMaxRequeues == o.slurmMaxRequeues;
}

} // namespace lb
