#pragma once
// The settings of a compute target as a user types them (command-line options or the
// workbench's dialog fields): one parser and one set of checks for both, each problem tied to
// its field. Field names are the `labbench compute create local|ssh|slurm` option names:
//
//   all:    name, python
//   local:  gpus ("0,1"), max-concurrent
//   ssh:    host, port, user, identity, known-hosts, host-key-policy, remote-dir
//   slurm:  the ssh fields (host optional: Slurm on this machine), partition, account,
//           time-limit (minutes), gpus-per-node

#include "core/store/Entities.h"
#include "core/util/FieldProblem.h"

#include <QMap>
#include <QStringList>

namespace lb {

using TargetFields = QMap<QString, QString>;

// The field names a kind uses, in the order a form shows them ("name" first). Empty for an
// unknown kind.
QStringList targetFieldNames(const QString& kind);

// A target ready to store, or the reasons it is not.
struct TargetDraft {
    ComputeTargetRecord record; // valid when problems is empty
    FieldProblems problems;

    bool ok() const { return problems.isEmpty(); }
    // The message for `field`, empty when it is fine.
    QString problemFor(const QString& field) const;
};

// Parses and checks `fields` for a target of `kind` ("local", "ssh", "slurm"). Empty fields take
// the CLI's defaults; relative identity and known_hosts paths become absolute. A name in
// `takenNames` is a problem (creating); pass none when editing an existing target.
TargetDraft draftComputeTarget(const QString& kind, const TargetFields& fields,
                               const QStringList& takenNames = {});

// The fields of a stored target, for editing it (the inverse of draftComputeTarget).
TargetFields targetFields(const ComputeTargetRecord& record);

// Compute target names: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.
// The problem (field "name") for a bad one; checkComputeTargetName throws it as UsageError.
std::optional<FieldProblem> computeTargetNameProblem(const QString& name);
void checkComputeTargetName(const QString& name);

} // namespace lb
