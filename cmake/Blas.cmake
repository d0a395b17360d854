# OpenBLAS (Debian's libopenblas-dev): cblas.h plus the library, as target Labbench::Blas.
find_package(PkgConfig REQUIRED)
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
add_library(Labbench::Blas ALIAS PkgConfig::OPENBLAS)
