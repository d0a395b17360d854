# OpenBLAS (Debian's libopenblas-dev): cblas.h plus the library, as target Labbench::Blas.
find_package(PkgConfig REQUIRED)
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
add_library(Labbench::Blas ALIAS PkgConfig::OPENBLAS)
# Nettle (Debian's nettle-dev): SHA-256 for the trainer's dataset and checkpoint sums, instead
# of a hash of our own.
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
