// EstimatorForm's Slurm section: a run's own sbatch --time, --mem and --gres, and how often it
// may be requeued after a preemption or a lost node, shown only while the chosen compute target
// is a Slurm target. The values are checked by the core's estimator validation
// (core/estimator/SlurmResources.h), like every other field.
#include "ui/estimator/EstimatorForm.h"

#include "core/estimator/SlurmResources.h"
#include "ui/common/FormSection.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>

namespace lb::ui {

QWidget* EstimatorForm::buildSlurmSection() {
    auto* section = new FormSection(tr("Slurm"));
    section->setObjectName(QStringLiteral("slurmSection"));
    slurmTime_ = section->add(tr("Time limit"),
                              makeLineEdit(tr("the target's (e.g. 90, 2:00:00 or 1-12)")));
    slurmTime_->setObjectName(QStringLiteral("slurmTime"));
    slurmTime_->setToolTip(tr("sbatch --time: MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS, "
                              "DAYS-HOURS, DAYS-HOURS:MINUTES or DAYS-HOURS:MINUTES:SECONDS; wins "
                              "over the maximum duration"));
    slurmMem_ = section->add(tr("Memory per node"), makeLineEdit(tr("the partition's (e.g. 4G)")));
    slurmMem_->setObjectName(QStringLiteral("slurmMem"));
    slurmMem_->setToolTip(tr("sbatch --mem: a whole number with K, M, G or T (megabytes without)"));
    slurmGres_ = section->add(tr("Resources"), makeLineEdit(tr("none (e.g. gpu:2)")));
    slurmGres_->setObjectName(QStringLiteral("slurmGres"));
    slurmGres_->setToolTip(tr("sbatch --gres: NAME[:TYPE][:COUNT], joined by commas"));
    // -1 stands for "not set" (the estimator's field stays empty and the default applies).
    slurmRequeues_ = section->add(tr("Requeues"), makeSpinBox(-1, kMostSlurmMaxRequeues));
    slurmRequeues_->setObjectName(QStringLiteral("slurmRequeues"));
    slurmRequeues_->setSpecialValueText(tr("the default (%1)").arg(kDefaultSlurmMaxRequeues));
    slurmRequeues_->setValue(-1);
    slurmRequeues_->setToolTip(
        tr("How many times the run may be requeued after Slurm preempts it or loses its node, "
           "before it ends Failed (--slurm-max-requeues). 0: never requeue. A requeued run "
           "starts again from its last checkpoint."));
    slurmSection_ = section;
    section->setVisible(false);
    return section;
}

void EstimatorForm::setSlurmTargets(const QStringList& names) {
    slurmTargets_ = names;
    showSlurmSection();
}

void EstimatorForm::showSlurmSection() {
    slurmSection_->setVisible(slurmTargets_.contains(target_->currentText().trimmed()));
    scheduleValidation();
}

} // namespace lb::ui
