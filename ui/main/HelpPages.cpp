#include "ui/main/HelpPages.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QMenu>
#include <QMenuBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// "&New estimator" → "New estimator".
QString plain(QString text) {
    return text.remove(QLatin1Char('&')).remove(QStringLiteral("…"));
}

void listShortcuts(const QMenu* menu, const QString& path, QString* rows) {
    for (const QAction* a : menu->actions()) {
        if (a->menu()) {
            listShortcuts(a->menu(), path + QStringLiteral(" → ") + plain(a->menu()->title()), rows);
            continue;
        }
        if (a->shortcut().isEmpty())
            continue;
        *rows += QStringLiteral("<tr><td>%1 → %2</td><td><b>%3</b></td></tr>")
                     .arg(path.toHtmlEscaped(), plain(a->text()).toHtmlEscaped(),
                          a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped());
    }
}

} // namespace

QString gettingStartedHtml() {
    return QObject::tr(
        "<h3>Getting started</h3>"
        "<ol>"
        "<li><b>Drop a training script</b> (or a project folder, or an estimator JSON) on the "
        "window, or type its name into a new estimator's Entry script. Its argparse flags become "
        "the Script parameters, with their types and choices; nothing runs yet.</li>"
        "<li><b>Check the form.</b> A field in red says what is wrong and how to fix it; Submit "
        "waits until the estimator is valid.</li>"
        "<li><b>Submit.</b> The run's dashboard opens: live metric charts, the log, images and "
        "outputs. Runs keep going when you close the window.</li>"
        "<li><b>Compare</b> runs: select several in the browser, then Runs → Compare selected "
        "runs; Runs → Runs table searches them all.</li>"
        "<li><b>Register</b> a completed run's output as a model (Register model on its "
        "dashboard); the Models page lists the versions.</li>"
        "<li><b>Tune</b> with a sweep: Sweep… on an estimator form, or File → New sweep.</li>"
        "<li><b>Run elsewhere</b>: the Compute menu adds SSH machines and Slurm clusters. On a "
        "Slurm target the form's Slurm section asks for the run's time limit, memory and GPUs "
        "(--time, --mem, --gres); a sweep's children go out as one job array. A run whose nodes "
        "Slurm gave to another job shows as Preempted until Slurm queues it again.</li>"
        "</ol>"
        "<p>Everything the window does, the command line does too: <code>labbench --help</code>."
        "</p>");
}

QString keyboardShortcutsHtml(const QMenuBar* bar) {
    QString rows;
    for (const QAction* a : bar->actions())
        if (a->menu())
            listShortcuts(a->menu(), plain(a->menu()->title()), &rows);
    const QString fixed = QObject::tr(
        "<tr><td>Move between fields</td><td><b>Tab</b>, <b>Shift+Tab</b></td></tr>"
        "<tr><td>Change a focused choice or number</td><td><b>Up</b>, <b>Down</b>, the mouse "
        "wheel</td></tr>"
        "<tr><td>Edit a table cell</td><td><b>F2</b> or type</td></tr>"
        "<tr><td>Press the default button of a form or dialog</td><td><b>Enter</b></td></tr>");
    return QObject::tr("<h3>Keyboard shortcuts</h3><table cellpadding=\"3\">%1%2</table>"
                       "<p>The mouse wheel scrolls the page; it changes a choice or a number "
                       "only once that field has the focus.</p>")
        .arg(rows, fixed);
}

QWidget* showHelpPage(QWidget* parent, const QString& title, const QString& html,
                      const QString& objectName) {
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(objectName);
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->resize(560, 480);
    auto* layout = new QVBoxLayout(dialog);
    auto* text = new QTextBrowser;
    text->setHtml(html);
    layout->addWidget(text, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->show();
    return dialog;
}

} // namespace lb::ui
