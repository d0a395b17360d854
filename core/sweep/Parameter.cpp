#include "core/sweep/Parameter.h"

#include "core/sweep/SweepRandom.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace lb::sweep {

namespace {

struct KindInfo {
    const char* name;
    ParameterKind kind;
    int arguments; // how many numbers it takes (choice: any)
    const char* form;
};

constexpr KindInfo kKinds[] = {
    {"choice", ParameterKind::Choice, -1, "{\"choice\": [128, 256]}"},
    {"randint", ParameterKind::RandInt, 1, "{\"randint\": [10]}"},
    {"uniform", ParameterKind::Uniform, 2, "{\"uniform\": [0.0, 1.0]}"},
    {"quniform", ParameterKind::QUniform, 3, "{\"quniform\": [0, 100, 5]}"},
    {"loguniform", ParameterKind::LogUniform, 2, "{\"loguniform\": [-6, -1]}"},
    {"qloguniform", ParameterKind::QLogUniform, 3, "{\"qloguniform\": [0, 5, 1]}"},
    {"normal", ParameterKind::Normal, 2, "{\"normal\": [0.0, 1.0]}"},
    {"qnormal", ParameterKind::QNormal, 3, "{\"qnormal\": [10, 2, 1]}"},
    {"lognormal", ParameterKind::LogNormal, 2, "{\"lognormal\": [0.0, 1.0]}"},
    {"qlognormal", ParameterKind::QLogNormal, 3, "{\"qlognormal\": [0, 1, 1]}"},
};

const KindInfo& info(ParameterKind kind) {
    for (const KindInfo& k : kKinds)
        if (k.kind == kind)
            return k;
    return kKinds[0];
}

double quantize(double x, double q) { return std::round(x / q) * q; }

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

bool isQuantized(ParameterKind k) {
    return k == ParameterKind::QUniform || k == ParameterKind::QLogUniform || k == ParameterKind::QNormal ||
           k == ParameterKind::QLogNormal;
}

// A quantized value with an integral quantum is an integer: "--batchsize 64", not "64.0".
Json numberValue(double x, ParameterKind kind, double q) {
    if (isQuantized(kind) && q == std::floor(q) && std::fabs(x) < 9e15)
        return Json(static_cast<long long>(std::llround(x)));
    return Json(x);
}

} // namespace

QString kindName(ParameterKind kind) { return QString::fromLatin1(info(kind).name); }

Parameter Parameter::fromJson(const QString& name, const Json& expression, const QString& where) {
    QStringList names;
    for (const KindInfo& k : kKinds)
        names.append(QString::fromLatin1(k.name));
    if (!expression.is_object() || expression.size() != 1)
        throw Error(QStringLiteral("%1 must be an object with one expression such as {\"choice\": "
                                   "[128, 256]} or {\"uniform\": [0, 1]} (one of %2).")
                        .arg(where, names.join(QStringLiteral(", "))));
    const QString kindText = fromStd(expression.begin().key());
    const KindInfo* found = nullptr;
    for (const KindInfo& k : kKinds)
        if (kindText == QLatin1String(k.name))
            found = &k;
    if (!found)
        throw Error(QStringLiteral("%1: '%2' is not a parameter expression; use one of %3.")
                        .arg(where, kindText, names.join(QStringLiteral(", "))));
    Parameter p;
    p.name = name;
    p.kind = found->kind;
    Json args = expression.begin().value();
    if (!args.is_array())
        args = Json::array({args}); // {"randint": 10}
    const auto bad = [&](const QString& what) {
        return Error(QStringLiteral("%1: %2 %3; write it like %4.")
                         .arg(where, kindText, what, QString::fromLatin1(found->form)));
    };
    if (p.kind == ParameterKind::Choice) {
        if (args.empty())
            throw bad(QStringLiteral("needs at least one value"));
        for (const Json& v : args)
            if (!v.is_number() && !v.is_string() && !v.is_boolean())
                throw bad(QStringLiteral("values must be numbers, strings or booleans"));
        p.choices = args;
        return p;
    }
    if (static_cast<int>(args.size()) != found->arguments)
        throw bad(QStringLiteral("takes %1 number%2, not %3")
                      .arg(found->arguments)
                      .arg(found->arguments == 1 ? "" : "s")
                      .arg(args.size()));
    for (const Json& v : args)
        if (!v.is_number())
            throw bad(QStringLiteral("takes numbers only"));
    if (p.kind == ParameterKind::RandInt) {
        if (!args[0].is_number_integer() || args[0].get<long long>() < 1)
            throw bad(QStringLiteral("needs a whole upper bound of at least 1 (values are 0 … upper-1)"));
        p.upper = args[0].get<long long>();
        return p;
    }
    p.a = args[0].get<double>();
    p.b = args[1].get<double>();
    if (found->arguments == 3) {
        p.q = args[2].get<double>();
        if (!(p.q > 0))
            throw bad(QStringLiteral("needs a quantum q above 0"));
    }
    const bool normalKind = p.kind == ParameterKind::Normal || p.kind == ParameterKind::QNormal ||
                            p.kind == ParameterKind::LogNormal || p.kind == ParameterKind::QLogNormal;
    if (normalKind && !(p.b > 0))
        throw bad(QStringLiteral("needs sigma (the second number) above 0"));
    if (!normalKind && !(p.a < p.b))
        throw bad(QStringLiteral("needs low below high"));
    if (!std::isfinite(p.a) || !std::isfinite(p.b))
        throw bad(QStringLiteral("needs finite numbers"));
    return p;
}

Json Parameter::toJson() const {
    Json args;
    switch (kind) {
    case ParameterKind::Choice: args = choices; break;
    case ParameterKind::RandInt: args = Json::array({upper}); break;
    default:
        args = Json::array({a, b});
        if (isQuantized(kind))
            args.push_back(q);
    }
    Json j = Json::object();
    j[info(kind).name] = args;
    return j;
}

Json Parameter::sample(SweepRandom& r) const {
    switch (kind) {
    case ParameterKind::Choice: return choices[static_cast<size_t>(r.below(choices.size()))];
    case ParameterKind::RandInt: return Json(static_cast<long long>(r.below(static_cast<std::uint64_t>(upper))));
    case ParameterKind::Uniform: return Json(r.uniform(a, b));
    case ParameterKind::QUniform: return numberValue(quantize(r.uniform(a, b), q), kind, q);
    case ParameterKind::LogUniform: return Json(std::exp(r.uniform(a, b)));
    case ParameterKind::QLogUniform: return numberValue(quantize(std::exp(r.uniform(a, b)), q), kind, q);
    case ParameterKind::Normal: return Json(a + b * r.normal());
    case ParameterKind::QNormal: return numberValue(quantize(a + b * r.normal(), q), kind, q);
    case ParameterKind::LogNormal: return Json(std::exp(a + b * r.normal()));
    case ParameterKind::QLogNormal: return numberValue(quantize(std::exp(a + b * r.normal()), q), kind, q);
    }
    return {};
}

double Parameter::encode(const Json& value) const {
    const auto clamp01 = [](double x) { return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0; };
    if (kind == ParameterKind::Choice) {
        for (size_t i = 0; i < choices.size(); ++i)
            if (choices[i] == value)
                return choices.size() > 1 ? double(i) / double(choices.size() - 1) : 0.0;
        return 0.0;
    }
    const double x = value.is_number() ? value.get<double>() : 0.0;
    switch (kind) {
    case ParameterKind::RandInt: return upper > 1 ? clamp01(x / double(upper - 1)) : 0.0;
    case ParameterKind::Uniform:
    case ParameterKind::QUniform: return clamp01((x - a) / (b - a));
    case ParameterKind::LogUniform:
    case ParameterKind::QLogUniform: return clamp01((std::log(std::max(x, 1e-300)) - a) / (b - a));
    case ParameterKind::Normal:
    case ParameterKind::QNormal: return normalCdf((x - a) / b);
    case ParameterKind::LogNormal:
    case ParameterKind::QLogNormal: return normalCdf((std::log(std::max(x, 1e-300)) - a) / b);
    default: return 0.0;
    }
}

QString valueText(const Json& value) {
    if (value.is_string())
        return fromStd(value.get<std::string>());
    return fromStd(value.dump()); // numbers: shortest form that reads back exactly
}

QStringList Parameter::scriptArguments(const Json& value) const {
    const QString flag = name.startsWith(QLatin1Char('-')) ? name : QStringLiteral("--") + name;
    return {flag, valueText(value)};
}

} // namespace lb::sweep
