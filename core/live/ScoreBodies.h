#pragma once
// The bodies the workbench's test panel sends to an endpoint's POST /score and reads back
// (issue 18): an example to start from, a drawn 28×28 digit as {"data": [[784 floats]]}, and
// the parts of an answer it shows. QtCore only, so they are tested without widgets.

#include <QByteArray>
#include <QString>
#include <QVector>
#include <optional>

namespace lb {

// An example body: for a native endpoint with `features` inputs a row of zeros written as
// lines of `width` numbers (an image reads as one); for score.py Azure's {"data": [...]} shape.
QByteArray exampleScoreBody(bool native, int features = 784, int width = 28);

// {"data": [[p0, p1, …]]} for one image whose pixels are already scaled to [0, 1], written as
// lines of `width` numbers (3 significant digits) so the body reads as the image.
QByteArray pixelsScoreBody(const QVector<float>& pixels, int width = 28);

// The first row of an answer's "probabilities", when it has one.
std::optional<QVector<double>> firstProbabilities(const QByteArray& answer);

// The answer indented for reading; a body that is not JSON as it came.
QString prettyJson(const QByteArray& body);

// The sentence of an error body ({"error": "…"}), or empty.
QString errorSentence(const QByteArray& body);

// How many inputs a row of /score's "data" holds, from the endpoint's /swagger.json (the native
// scorer states it as minItems); -1 when the description does not say.
int rowLengthFromOpenApi(const QByteArray& swagger);

} // namespace lb
