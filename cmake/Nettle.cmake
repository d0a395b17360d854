# Nettle (Debian's nettle-dev): SHA-256 for the trainer's dataset and checkpoint sums, instead of
# a hash of our own. Target PkgConfig::NETTLE; the main build and the fuzz preset both include it.
find_package(PkgConfig REQUIRED)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
