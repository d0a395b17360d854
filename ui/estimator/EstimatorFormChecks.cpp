// EstimatorForm's checks: the core's estimator validation and the parameters table's argparse
// checks, each problem put on the field at fault in the form's own words (#23 items 2, 6, 9).
#include "ui/estimator/EstimatorForm.h"

#include "core/util/Error.h"
#include "ui/common/FormFooter.h"
#include "ui/common/TouchedFields.h"
#include "ui/estimator/ScriptParamsTable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHash>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

namespace lb::ui {

QList<QWidget*> EstimatorForm::fields() const {
    return {framework_, source_, entry_,       python_,     params_->table(), pip_,
            conda_,     image_,  nodes_,       processes_,  backend_,         workers_,
            parameterServers_,   env_,         experiment_, target_,          maxDuration_,
            slurmTime_,          slurmMem_,    slurmGres_,  slurmRequeues_};
}

QList<FieldLabel> EstimatorForm::fieldLabels() const {
    // The labels the form shows, for the keys the core's messages name (#23 item 9).
    return {{QStringLiteral("source_directory"), tr("Source folder")},
            {QStringLiteral("entry_script"), tr("Entry script")},
            {QStringLiteral("script_params"), tr("Script parameters")},
            {QStringLiteral("pip_packages"), tr("pip packages")},
            {QStringLiteral("conda_packages"), tr("conda packages")},
            {QStringLiteral("custom_docker_image"), tr("Container image")},
            {QStringLiteral("process_count_per_node"), tr("Processes per node")},
            {QStringLiteral("node_count"), tr("Nodes")},
            {QStringLiteral("distributed_backend"), tr("Backend")},
            {QStringLiteral("worker_count"), tr("Workers")},
            {QStringLiteral("parameter_server_count"), tr("Parameter servers")},
            {QStringLiteral("environment_variables"), tr("Variables")},
            {QStringLiteral("max_run_duration_seconds"), tr("Maximum duration")},
            {QStringLiteral("compute_target"), tr("Compute target")},
            {QStringLiteral("python"), tr("Interpreter")},
            {QStringLiteral("experiment"), tr("Experiment")},
            {QStringLiteral("framework"), tr("Framework")},
            {QStringLiteral("slurm_time"), tr("Slurm time limit")},
            {QStringLiteral("slurm_mem"), tr("Slurm memory")},
            {QStringLiteral("slurm_gres"), tr("Slurm resources")},
            {QStringLiteral("slurm_max_requeues"), tr("Slurm requeues")}};
}

QWidget* EstimatorForm::fieldFor(const QString& key) const {
    const QHash<QString, QWidget*> widgets = {
        {QStringLiteral("source_directory"), source_},
        {QStringLiteral("entry_script"), entry_},
        {QStringLiteral("script_params"), params_->table()},
        {QStringLiteral("pip_packages"), pip_},
        {QStringLiteral("conda_packages"), conda_},
        {QStringLiteral("custom_docker_image"), image_},
        {QStringLiteral("process_count_per_node"), processes_},
        {QStringLiteral("node_count"), nodes_},
        {QStringLiteral("distributed_backend"), backend_},
        {QStringLiteral("worker_count"), workers_},
        {QStringLiteral("parameter_server_count"), parameterServers_},
        {QStringLiteral("environment_variables"), env_},
        {QStringLiteral("max_run_duration_seconds"), maxDuration_},
        {QStringLiteral("compute_target"), target_},
        {QStringLiteral("python"), python_},
        {QStringLiteral("experiment"), experiment_},
        {QStringLiteral("framework"), framework_},
        {QStringLiteral("slurm_time"), slurmTime_},
        {QStringLiteral("slurm_mem"), slurmMem_},
        {QStringLiteral("slurm_gres"), slurmGres_},
        {QStringLiteral("slurm_max_requeues"), slurmRequeues_},
    };
    return widgets.value(key);
}

void EstimatorForm::validateNow() {
    validateTimer_.stop();
    marks_.clear();
    error_.clear();
    QWidget* field = nullptr;
    Estimator e = estimator();
    try {
        e.applyFrameworkDefaults();
        e.validate();
    } catch (const Error& err) {
        const QList<FieldLabel> labels = fieldLabels();
        field = fieldFor(fieldKeyOf(err.message(), labels));
        error_ = inFormWords(err.message(), labels);
    }
    // The table marks each bad cell itself, whatever else is wrong, so all of them show at once.
    const QString paramsProblem = params_->check();
    if (error_.isEmpty() && !paramsProblem.isEmpty()) {
        error_ = paramsProblem;
        field = params_->table();
    }
    // Red where the user has been, or where something is written; a blank field nobody has
    // reached yet only says, in grey, what Submit waits for.
    const bool loud = !error_.isEmpty() &&
                      (!field || touched_->isTouched(field) || !TouchedFields::isBlank(field));
    if (loud && field)
        marks_.mark(field, error_);
    if (error_.isEmpty())
        footer_->setHint(actions_ ? QString() : tr("Open a workspace to submit runs."));
    else if (loud)
        footer_->setError(error_);
    else
        footer_->setHint(error_);
    footer_->submitButton()->setEnabled(canSubmit());
    footer_->submitButton()->setToolTip(error_.isEmpty() ? tr("Submit this estimator as a run")
                                                         : error_);
    emit validated();
}

} // namespace lb::ui
