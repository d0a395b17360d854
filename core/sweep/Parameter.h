#pragma once
// HyperDrive's parameter expressions: how one hyperparameter is drawn, and how its value is
// encoded on [0, 1] for the Bayesian sampler's surrogate model.

#include "core/util/Json.h"

#include <QString>
#include <QStringList>

namespace lb::sweep {

class SweepRandom;

// choice(v...)             one of the values (numbers or strings), equally likely
// randint(upper)           an integer in [0, upper)
// uniform(lo, hi)          uniform on [lo, hi]
// quniform(lo, hi, q)      round(uniform(lo, hi) / q) * q
// loguniform(lo, hi)       exp(uniform(lo, hi)): lo and hi are natural logarithms
// qloguniform(lo, hi, q)   round(exp(uniform(lo, hi)) / q) * q
// normal(mu, sigma)        normally distributed
// qnormal(mu, sigma, q)    round(normal(mu, sigma) / q) * q
// lognormal(mu, sigma)     exp(normal(mu, sigma))
// qlognormal(mu, sigma, q) round(exp(normal(mu, sigma)) / q) * q
enum class ParameterKind {
    Choice, RandInt, Uniform, QUniform, LogUniform, QLogUniform, Normal, QNormal, LogNormal, QLogNormal
};

struct Parameter {
    QString name; // as written in the spec: "--lr"
    ParameterKind kind = ParameterKind::Choice;
    Json choices = Json::array(); // Choice
    double a = 0, b = 0;          // (lo, hi) or (mu, sigma)
    double q = 1;                 // quantum of the q* kinds
    long long upper = 0;          // RandInt

    // Parses {"uniform": [0, 1]} and friends; errors name `where` (e.g. "parameters.--lr"), the
    // expression and the fix.
    static Parameter fromJson(const QString& name, const Json& expression, const QString& where);
    Json toJson() const; // the same form fromJson reads

    Json sample(SweepRandom& random) const;
    // The value mapped onto [0, 1] so that the prior is roughly spread over it.
    double encode(const Json& value) const;
    bool isChoice() const { return kind == ParameterKind::Choice; }

    // The argv words for a sampled value: "--lr" "0.01" (a name without a leading '-' gets "--").
    QStringList scriptArguments(const Json& value) const;
};

QString kindName(ParameterKind kind);
// A sampled value as it appears on a command line: numbers in their shortest exact form.
QString valueText(const Json& value);

} // namespace lb::sweep
