// The estimator form's Slurm section (#19 item 4, #20's requeue limit): it shows only while a
// Slurm target is chosen, a bad time is refused with the forms Slurm accepts (Submit waits), and
// good values travel in the estimator the form submits; on another target they are left out.
#include "core/estimator/Estimator.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/estimator/EstimatorForm.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;
using namespace lb::ui;

class TestSlurmForm : public QObject {
    Q_OBJECT
private slots:
    void slurmFieldsShowForSlurmTargetsAndBadTimesAreRefused() {
        QTemporaryDir dir;
        test::writeFile(dir.filePath(QStringLiteral("train.py")), "print('hi')\n");
        EstimatorForm form(nullptr);
        form.setComputeTargets({QStringLiteral("local"), QStringLiteral("hpc")});
        form.setSlurmTargets({QStringLiteral("hpc")});
        Estimator e;
        e.sourceDirectory = dir.path();
        e.entryScript = QStringLiteral("train.py");
        e.computeTarget = QStringLiteral("local");
        form.setEstimator(e);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        auto* section = form.findChild<QWidget*>(QStringLiteral("slurmSection"));
        auto* time = form.findChild<QLineEdit*>(QStringLiteral("slurmTime"));
        auto* mem = form.findChild<QLineEdit*>(QStringLiteral("slurmMem"));
        auto* gres = form.findChild<QLineEdit*>(QStringLiteral("slurmGres"));
        auto* requeues = form.findChild<QSpinBox*>(QStringLiteral("slurmRequeues"));
        QVERIFY(section && time && mem && gres && requeues);
        QVERIFY2(!section->isVisible(), "no Slurm section for the local target");

        // Choosing the Slurm target shows the section.
        auto* target = qobject_cast<QComboBox*>(form.findChildren<QComboBox*>().value(0));
        for (QComboBox* box : form.findChildren<QComboBox*>())
            if (box->findText(QStringLiteral("hpc")) >= 0)
                target = box;
        QVERIFY(target);
        target->setEditText(QStringLiteral("hpc"));
        QVERIFY(QTest::qWaitFor([&] { return section->isVisible(); }, 2000));

        // A time Slurm does not take: refused, in the form's words, with the accepted forms.
        time->setText(QStringLiteral("2h"));
        form.validateNow();
        QVERIFY2(form.validationError().startsWith(QLatin1String("Slurm time limit")),
                 qPrintable(form.validationError()));
        QVERIFY2(form.validationError().contains(QLatin1String("HOURS:MINUTES:SECONDS")),
                 qPrintable(form.validationError()));
        QVERIFY(!form.canSubmit());

        // Good values: the form is valid and its estimator carries them.
        time->setText(QStringLiteral("1:30:00"));
        mem->setText(QStringLiteral("4G"));
        gres->setText(QStringLiteral("gpu:2"));
        form.validateNow();
        QVERIFY2(form.validationError().isEmpty(), qPrintable(form.validationError()));
        Estimator out = form.estimator();
        QCOMPARE(out.slurmTime, QStringLiteral("1:30:00"));
        QCOMPARE(out.slurmMem, QStringLiteral("4G"));
        QCOMPARE(out.slurmGres, QStringLiteral("gpu:2"));
        // The requeue limit: unset shows the default and leaves the field empty; 0 (never) and
        // any other value up to the most travel as they are.
        QCOMPARE(requeues->text(), QStringLiteral("the default (3)"));
        QVERIFY(!out.slurmMaxRequeues.has_value());
        requeues->setValue(0);
        QCOMPARE(form.estimator().slurmMaxRequeues, std::optional<int>(0));
        requeues->setValue(5);
        form.validateNow();
        QVERIFY2(form.validationError().isEmpty(), qPrintable(form.validationError()));
        QCOMPARE(form.estimator().slurmMaxRequeues, std::optional<int>(5));
        // A bad --gres names its form too.
        gres->setText(QStringLiteral("gpu:0"));
        form.validateNow();
        QVERIFY2(form.validationError().startsWith(QLatin1String("Slurm resources")) &&
                     form.validationError().contains(QLatin1String("NAME[:TYPE][:COUNT]")),
                 qPrintable(form.validationError()));
        gres->setText(QStringLiteral("gpu:2"));

        // Back on the local target: hidden, and nothing Slurm goes with the run.
        target->setEditText(QStringLiteral("local"));
        QVERIFY(QTest::qWaitFor([&] { return !section->isVisible(); }, 2000));
        out = form.estimator();
        QVERIFY(out.slurmTime.isEmpty() && out.slurmMem.isEmpty() && out.slurmGres.isEmpty());
        QVERIFY(!out.slurmMaxRequeues.has_value());

        // An estimator that has them (a cloned run) shows them again on its Slurm target.
        Estimator cloned = e;
        cloned.computeTarget = QStringLiteral("hpc");
        cloned.slurmTime = QStringLiteral("45");
        cloned.slurmMaxRequeues = 2;
        form.setEstimator(cloned);
        QVERIFY(QTest::qWaitFor([&] { return section->isVisible(); }, 2000));
        QCOMPARE(time->text(), QStringLiteral("45"));
        QCOMPARE(form.estimator().slurmTime, QStringLiteral("45"));
        QCOMPARE(requeues->value(), 2);
        QCOMPARE(form.estimator().slurmMaxRequeues, std::optional<int>(2));
        // One cloned without a limit goes back to the default.
        cloned.slurmMaxRequeues.reset();
        form.setEstimator(cloned);
        QCOMPARE(requeues->value(), -1);
        QVERIFY(!form.estimator().slurmMaxRequeues.has_value());
    }
};

QTEST_MAIN(TestSlurmForm)
#include "tst_slurm_form.moc"
